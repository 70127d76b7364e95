import { BlobRangeError, type ByteRange } from './blobStore.js';

/**
 * One HTTP byte range (RFC 9110 §14.1.2) of an object of `size` bytes: `bytes=a-b`, `bytes=a-`
 * or `bytes=-n`. undefined (send the whole object) for no header, another unit, several ranges
 * or bad syntax, which a server may ignore; BlobRangeError when none of it is inside the object.
 */
export function parseRangeHeader(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  const unsatisfiable = () =>
    new BlobRangeError(`range ${header} is outside the object (${size} bytes)`);
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) throw unsatisfiable();
    const length = Math.min(suffix, size);
    return { offset: size - length, length };
  }
  const offset = Number(first);
  if (last !== '' && Number(last) < offset) return undefined;
  if (offset >= size) throw unsatisfiable();
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return { offset, length: end - offset + 1 };
}
