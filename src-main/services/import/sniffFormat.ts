/**
 * Recognises an image from its first bytes, so that a video or a document in a photo folder is
 * refused without being read to the end. sharp still has the last word on the accepted ones.
 */
export type SniffedFormat = 'jpeg' | 'png' | 'webp' | 'tiff' | 'unsupported_image' | 'unknown';

/** Bytes `sniffFormat` needs to decide. */
export const SNIFF_BYTES = 16;

const startsWith = (data: Uint8Array, bytes: readonly number[], at = 0): boolean =>
  bytes.every((b, i) => data[at + i] === b);
const ascii = (data: Uint8Array, from: number, to: number): string =>
  String.fromCharCode(...data.subarray(from, to));

/** ISO base media brands of image formats sharp's prebuilt libvips does not decode for us. */
const HEIF_BRANDS = new Set([
  'heic',
  'heix',
  'hevc',
  'hevx',
  'heim',
  'heis',
  'mif1',
  'msf1',
  'avif',
  'avis',
]);

export function sniffFormat(head: Uint8Array): SniffedFormat {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) {
    return 'tiff';
  }
  if (ascii(head, 4, 8) === 'ftyp' && HEIF_BRANDS.has(ascii(head, 8, 12))) {
    return 'unsupported_image';
  }
  if (ascii(head, 0, 4) === 'GIF8') return 'unsupported_image';
  // BMP: "BM", then a DIB header size that only BMP writers use.
  if (ascii(head, 0, 2) === 'BM' && [12, 40, 52, 56, 108, 124].includes(head[14] ?? 0)) {
    return 'unsupported_image';
  }
  return 'unknown';
}
