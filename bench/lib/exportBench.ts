import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FONTS_DIR = fileURLToPath(new URL('../../assets/fonts/', import.meta.url));

export interface ChildExport {
  readonly ms: number;
  readonly maxRssBytes: number;
  readonly result: {
    sheets: number;
    passedThrough: number;
    downsampled: number;
    placeholders: number;
  };
}

/** One export in a child process (see exportChild.ts). */
export async function exportInChild(args: {
  kind: 'full' | 'layout';
  files: readonly string[];
  out: string;
  width?: number;
  height?: number;
}): Promise<ChildExport> {
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/lib/exportChild.ts',
      JSON.stringify({ ...args, fontsDir: FONTS_DIR }),
    ],
    { cwd: REPO_ROOT, maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildExport;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const GIB = 1024 ** 3;
