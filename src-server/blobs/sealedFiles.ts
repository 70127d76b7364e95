import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  BLOB_HEADER_BYTES,
  BLOB_HEADER_TAIL_AT,
  BLOB_TAG_BYTES,
  BlobCipherError,
  chunkOffset,
  createBlobSealer,
  isSealedBlob,
  openBlobHeader,
  type BlobKeys,
  type OpenedBlobHeader,
} from '../crypto/blobCipher.js';
import { checkRange, type ByteRange } from './blobStore.js';

/** Sealed chunks are written in batches of about this much (fewer system calls). */
const WRITE_BATCH_BYTES = 1024 * 1024;
const READ_BUFFER_BYTES = 1024 * 1024;

/** A stored blob, open: its plaintext size, and one stream of it (which closes the file). */
export interface OpenedBlobFile {
  readonly size: number;
  /** The keyring data key it is sealed under; null for a plain file from before encryption. */
  readonly keyId: string | null;
  /** Identity of the file opened, to tell whether the path still names it later. */
  readonly inode: number;
  stream(range?: ByteRange): Readable;
  /** Only when no stream is taken. */
  close(): Promise<void>;
}

/** Bytes taken off the front of a list of buffers, copying only when a frame spans two. */
class ByteQueue {
  private parts: Buffer[] = [];
  length = 0;
  push(data: Buffer): void {
    this.parts.push(data);
    this.length += data.length;
  }
  take(n: number): Buffer {
    const first = this.parts[0] as Buffer;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.parts.shift();
      else this.parts[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let filled = 0;
      while (filled < n) {
        const part = this.parts[0] as Buffer;
        const used = Math.min(part.length, n - filled);
        part.copy(out, filled, 0, used);
        filled += used;
        if (used === part.length) this.parts.shift();
        else this.parts[0] = part.subarray(used);
      }
    }
    this.length -= n;
    return out;
  }
}

/**
 * Blob files of the local store: written sealed (crypto/blobCipher.ts), read back decrypting
 * only the chunks a range touches. Files without the magic are plain objects from before
 * encryption, served only while `acceptsPlain()` says so.
 */
export function createSealedFiles(deps: { keys: BlobKeys; acceptsPlain: () => boolean }) {
  const { keys } = deps;

  /** Writes `source` sealed and bound to `boundTo` into a new file; returns the plaintext size. */
  async function write(
    path: string,
    boundTo: string,
    source: AsyncIterable<Buffer> | Iterable<Buffer>,
  ): Promise<number> {
    const sealer = createBlobSealer(keys, boundTo);
    const chunkBytes = sealer.chunkBytes;
    const file = await open(path, 'wx', 0o600);
    try {
      let batch: Buffer[] = [sealer.header];
      let batchBytes = sealer.header.length;
      const chunk = Buffer.allocUnsafe(chunkBytes);
      let filled = 0;
      let index = 0;
      let total = 0;
      for await (const data of source) {
        let at = 0;
        while (at < data.length) {
          // A full chunk is sealed only once more bytes come: then it is not the final one.
          if (filled === chunkBytes) {
            for (const piece of sealer.seal(chunk, index++, false)) {
              batch.push(piece);
              batchBytes += piece.length;
            }
            filled = 0;
          }
          const n = Math.min(chunkBytes - filled, data.length - at);
          data.copy(chunk, filled, at, at + n);
          filled += n;
          at += n;
          total += n;
        }
        if (batchBytes >= WRITE_BATCH_BYTES) {
          await file.writev(batch);
          batch = [];
          batchBytes = 0;
        }
      }
      batch.push(...sealer.seal(chunk.subarray(0, filled), index, true));
      await file.writev(batch);
      const tail = sealer.finish(total);
      await file.write(tail, 0, tail.length, BLOB_HEADER_TAIL_AT);
      return total;
    } finally {
      await file.close();
    }
  }

  function sealedStream(
    file: FileHandle,
    opened: OpenedBlobHeader,
    boundTo: string,
    range: ByteRange | undefined,
  ): Readable {
    const { chunkBytes, plaintextBytes } = opened.header;
    const start = range?.offset ?? 0;
    const end = range === undefined ? plaintextBytes : range.offset + range.length;
    const first = Math.floor(start / chunkBytes);
    // An empty blob still has its (empty, final) chunk: reading it authenticates the end.
    const last = end === 0 ? 0 : Math.floor((end - 1) / chunkBytes);
    const frameBytes = (index: number) => opened.plainBytesOf(index) + BLOB_TAG_BYTES;
    const source = file.createReadStream({
      start: chunkOffset(first, chunkBytes),
      end: chunkOffset(last, chunkBytes) + frameBytes(last) - 1,
      highWaterMark: READ_BUFFER_BYTES,
      autoClose: true,
    });
    async function* plaintext(): AsyncGenerator<Buffer> {
      const queue = new ByteQueue();
      let index = first;
      for await (const data of source as AsyncIterable<Buffer>) {
        queue.push(data);
        while (index <= last && queue.length >= frameBytes(index)) {
          const plain = opened.open(queue.take(frameBytes(index)), index);
          const chunkStart = index * chunkBytes;
          const from = Math.max(0, start - chunkStart);
          const to = Math.min(plain.length, end - chunkStart);
          index++;
          if (to > from) yield from === 0 && to === plain.length ? plain : plain.subarray(from, to);
        }
      }
      if (index <= last) {
        throw new BlobCipherError('blob_corrupt', `blob ${boundTo}: ends inside chunk ${index}`);
      }
    }
    const out = Readable.from(plaintext(), { objectMode: false });
    // Whoever stops reading early (a closed connection) closes the file with the stream.
    out.once('close', () => source.destroy());
    return out;
  }

  /** The blob at `path` bound to `boundTo`, open; null when there is no such file. */
  async function openBlob(
    path: string,
    boundTo: string,
    options: { acceptPlain?: boolean } = {},
  ): Promise<OpenedBlobFile | null> {
    let file: FileHandle;
    try {
      file = await open(path, 'r');
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw error;
    }
    try {
      const info = await file.stat();
      if (!info.isFile()) {
        await file.close();
        return null;
      }
      const start = Buffer.alloc(BLOB_HEADER_BYTES);
      const { bytesRead } = await file.read(start, 0, BLOB_HEADER_BYTES, 0);
      const head = start.subarray(0, bytesRead);
      if (!isSealedBlob(head)) {
        if (!(options.acceptPlain ?? deps.acceptsPlain())) {
          throw new BlobCipherError(
            'blob_plain_refused',
            `blob ${boundTo} is not encrypted, and this store holds only encrypted blobs`,
          );
        }
        const size = info.size;
        return {
          size,
          keyId: null,
          inode: info.ino,
          stream: (range) => {
            if (range !== undefined) checkRange(range, size);
            return file.createReadStream({
              start: range?.offset ?? 0,
              ...(range === undefined ? {} : { end: range.offset + range.length - 1 }),
              highWaterMark: READ_BUFFER_BYTES,
              autoClose: true,
            });
          },
          close: () => file.close(),
        };
      }
      const opened = openBlobHeader(keys, head, boundTo, info.size);
      const size = opened.header.plaintextBytes;
      return {
        size,
        keyId: opened.header.keyId,
        inode: info.ino,
        stream: (range) => {
          if (range !== undefined) checkRange(range, size);
          return sealedStream(file, opened, boundTo, range);
        },
        close: () => file.close(),
      };
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  return { write, open: openBlob };
}
export type SealedFiles = ReturnType<typeof createSealedFiles>;
