/**
 * bench:blobStore: write and read throughput of the local blob store (the embedded default),
 * against plain files written and read with `fs` in the same run: the price of what the store
 * adds (atomic rename, and since issue 17 AES-256-GCM in 64 KiB chunks).
 * Target: writes at least a fifth of the speed of plain `fs` writes of the same bytes. Both
 * directions are bound by AES-256-GCM itself, whose in-memory speed is measured beside (on a
 * loaded 2-core machine it ran at about 400 MiB/s, where plain writes reach over 1 GiB/s).
 *
 * Each round writes OBJECTS photo-sized buffers through the store and the same buffers as plain
 * files, then reads both back whole; rounds alternate the order and the median round counts,
 * because the machine is shared. Ranged reads (one preview-sized slice per object) are reported
 * beside.
 *
 * `BENCH_SMOKE=1` or `--smoke`: a few small objects, one round (for bench/smoke.test.ts).
 */
import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { photoKey } from '../src-server/blobs/blobKeys.js';
import { createLocalBlobStore } from '../src-server/blobs/localBlobStore.js';
import { generateKeyringFile, keyringFrom } from '../src-server/crypto/keyring.js';
import { isSmoke, writeReport } from './lib/report.js';

const smoke = isSmoke();
const OBJECTS = smoke ? 4 : 40;
const OBJECT_BYTES = smoke ? 300_000 : 4 * 1024 * 1024;
const ROUNDS = smoke ? 1 : 7;
const RANGE_BYTES = 256 * 1024;
const TARGET_RATIO = 0.2;

async function drain(stream: Readable): Promise<number> {
  let n = 0;
  for await (const chunk of stream) n += (chunk as Buffer).length;
  return n;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const root = await mkdtemp(join(tmpdir(), 'weebum-bench-blobs-'));
const plainDir = join(root, 'plain');
await mkdir(plainDir, { recursive: true });
const local = createLocalBlobStore({
  root: join(root, 'store'),
  secret: randomBytes(32),
  baseUrl: () => 'https://127.0.0.1',
  keyring: keyringFrom(generateKeyringFile(new Date())),
  plainObjects: 'refuse',
});
const tenant = randomUUID();
const album = randomUUID();
const bodies = Array.from({ length: OBJECTS }, () => randomBytes(OBJECT_BYTES));
const totalMiB = (OBJECTS * OBJECT_BYTES) / 1024 / 1024;

const rounds: { storeWrite: number; fsWrite: number; storeRead: number; fsRead: number }[] = [];
const rangedReads: number[] = [];
try {
  for (let round = 0; round < ROUNDS; round++) {
    const keys = bodies.map(() => photoKey(tenant, album, randomUUID(), 'original'));
    const files = bodies.map(() => join(plainDir, randomUUID()));

    const storeWrite = async () => {
      const t = performance.now();
      for (const [i, body] of bodies.entries()) {
        await local.store.write(keys[i]!, body, 'image/jpeg');
      }
      return performance.now() - t;
    };
    // The store writes a temporary file and renames it; the baseline does the same.
    const fsWrite = async () => {
      const t = performance.now();
      for (const [i, body] of bodies.entries()) {
        const temp = `${files[i]!}.tmp`;
        await writeFile(temp, body, { mode: 0o600 });
        await rename(temp, files[i]!);
      }
      return performance.now() - t;
    };
    const storeRead = async () => {
      const t = performance.now();
      for (const key of keys) {
        if ((await drain(await local.store.read(key))) !== OBJECT_BYTES) throw new Error('short');
      }
      return performance.now() - t;
    };
    const fsRead = async () => {
      const t = performance.now();
      for (const file of files) {
        if ((await readFile(file)).length !== OBJECT_BYTES) throw new Error('short');
      }
      return performance.now() - t;
    };

    const storeFirst = round % 2 === 0;
    const w1 = storeFirst ? await storeWrite() : await fsWrite();
    const w2 = storeFirst ? await fsWrite() : await storeWrite();
    const r1 = storeFirst ? await storeRead() : await fsRead();
    const r2 = storeFirst ? await fsRead() : await storeRead();
    rounds.push(
      storeFirst
        ? { storeWrite: w1, fsWrite: w2, storeRead: r1, fsRead: r2 }
        : { storeWrite: w2, fsWrite: w1, storeRead: r2, fsRead: r1 },
    );

    const t = performance.now();
    for (const key of keys) {
      const offset = Math.floor(OBJECT_BYTES / 3);
      const length = Math.min(RANGE_BYTES, OBJECT_BYTES - offset);
      if ((await drain(await local.store.read(key, { offset, length }))) !== length) {
        throw new Error('short range');
      }
    }
    rangedReads.push((performance.now() - t) / keys.length);

    for (const key of keys) await local.store.delete(key);
    for (const file of files) await rm(file, { force: true });
  }
} finally {
  await rm(root, { recursive: true, force: true });
}

// The bound encryption sets: AES-256-GCM of the same bytes in memory, in 64 KiB calls.
const gcmRounds: number[] = [];
const gcmKey = randomBytes(32);
for (let round = 0; round < ROUNDS; round++) {
  const t = performance.now();
  for (const body of bodies) {
    for (let at = 0; at < body.length; at += 65_536) {
      const cipher = createCipheriv('aes-256-gcm', gcmKey, randomBytes(12));
      cipher.update(body.subarray(at, at + 65_536));
      cipher.final();
    }
  }
  gcmRounds.push(performance.now() - t);
}

const mibPerSecond = (ms: number) => totalMiB / (ms / 1000);
const gcmMiBs = mibPerSecond(median(gcmRounds));
const storeWriteMiBs = mibPerSecond(median(rounds.map((r) => r.storeWrite)));
const fsWriteMiBs = mibPerSecond(median(rounds.map((r) => r.fsWrite)));
const storeReadMiBs = mibPerSecond(median(rounds.map((r) => r.storeRead)));
const fsReadMiBs = mibPerSecond(median(rounds.map((r) => r.fsRead)));
const writeRatio = storeWriteMiBs / fsWriteMiBs;
const readRatio = storeReadMiBs / fsReadMiBs;

console.log(
  `${OBJECTS} objects of ${(OBJECT_BYTES / 1024 / 1024).toFixed(2)} MiB, ${ROUNDS} rounds (median): ` +
    `write store ${storeWriteMiBs.toFixed(0)} MiB/s vs fs ${fsWriteMiBs.toFixed(0)} MiB/s (ratio ${writeRatio.toFixed(2)}); ` +
    `read store ${storeReadMiBs.toFixed(0)} MiB/s vs fs ${fsReadMiBs.toFixed(0)} MiB/s (ratio ${readRatio.toFixed(2)}); ` +
    `ranged read of ${RANGE_BYTES / 1024} KiB: ${median(rangedReads).toFixed(2)} ms median; ` +
    `AES-256-GCM in memory ${gcmMiBs.toFixed(0)} MiB/s`,
);

writeReport({
  name: 'blobStore',
  metric: 'write_ratio',
  value: writeRatio,
  unit: 'ratio',
  target: { op: '>=', value: TARGET_RATIO },
  baseline: { what: 'fs_write_mib_s', value: fsWriteMiBs },
  ratio: writeRatio,
  smoke,
  extra: {
    objects: OBJECTS,
    objectBytes: OBJECT_BYTES,
    rounds: ROUNDS,
    storeWriteMiBs,
    fsWriteMiBs,
    storeReadMiBs,
    fsReadMiBs,
    readRatio,
    gcmMiBs,
    rangedReadMs: median(rangedReads),
    rangeBytes: RANGE_BYTES,
  },
});
