// Generates the app icons electron-builder packs from build/icon.svg (run after changing it;
// the outputs are checked in): icon.png (1024 px, Linux and the source for the others),
// icon.ico (Windows: PNG entries 16-256 px) and icon.icns (macOS: PNG entries 16-1024 px).
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const dir = fileURLToPath(new URL('.', import.meta.url));
const svg = `${dir}icon.svg`;
const png = (size) => sharp(svg, { density: 300 }).resize(size, size).png().toBuffer();

/** ICO: a directory of entries, each a whole PNG (supported since Windows Vista). */
async function ico(sizes) {
  const images = await Promise.all(sizes.map(png));
  const header = Buffer.alloc(6 + 16 * sizes.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(sizes.length, 4);
  let offset = header.length;
  sizes.forEach((size, i) => {
    const at = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, at);
    header.writeUInt8(size >= 256 ? 0 : size, at + 1);
    header.writeUInt16LE(1, at + 4);
    header.writeUInt16LE(32, at + 6);
    header.writeUInt32LE(images[i].length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += images[i].length;
  });
  return Buffer.concat([header, ...images]);
}

/** ICNS: typed chunks of PNG data (ic04 16 px ... ic10 1024 px). */
async function icns(types) {
  const chunks = await Promise.all(
    types.map(async ([type, size]) => {
      const data = await png(size);
      const head = Buffer.alloc(8);
      head.write(type, 0, 'ascii');
      head.writeUInt32BE(data.length + 8, 4);
      return Buffer.concat([head, data]);
    }),
  );
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

await writeFile(`${dir}icon.png`, await png(1024));
await writeFile(`${dir}icon.ico`, await ico([16, 24, 32, 48, 64, 128, 256]));
await writeFile(
  `${dir}icon.icns`,
  await icns([
    ['ic04', 16],
    ['ic05', 32],
    ['ic07', 128],
    ['ic08', 256],
    ['ic09', 512],
    ['ic10', 1024],
  ]),
);
console.log('wrote build/icon.png, build/icon.ico, build/icon.icns');
