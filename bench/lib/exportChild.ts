/**
 * Runs one PDF export in its own process, so the bench can read the export's peak memory
 * (max RSS) apart from the bench's own. Argument: JSON {kind, files, out, fontsDir}. Prints
 * JSON {ms, maxRssBytes, result}.
 */
import { performance } from 'node:perf_hooks';
import { exportPdf } from '../../src-main/services/export/exportPdf.js';
import {
  benchPages,
  fullPageAlbum,
  layoutAlbum,
  PHOTO_HEIGHT,
  PHOTO_WIDTH,
} from './exportAlbums.js';

const args = JSON.parse(process.argv[2]!) as {
  kind: 'full' | 'layout';
  files: string[];
  out: string;
  fontsDir: string;
  width?: number;
  height?: number;
};
const album = args.kind === 'full' ? fullPageAlbum() : layoutAlbum();
const pages = benchPages(args.kind, album, args.files.length);
const start = performance.now();
const result = await exportPdf({
  album,
  pages,
  photo: (id) => {
    const file = args.files[Number(id.slice('photo-'.length))];
    return file
      ? {
          filePath: file,
          width: args.width ?? PHOTO_WIDTH,
          height: args.height ?? PHOTO_HEIGHT,
          state: 'ready',
        }
      : null;
  },
  destinationPath: args.out,
  spreads: false,
  cropMarks: false,
  fontsDir: args.fontsDir,
});
const ms = performance.now() - start;
// resourceUsage().maxRSS is in KiB.
console.log(JSON.stringify({ ms, maxRssBytes: process.resourceUsage().maxRSS * 1024, result }));
