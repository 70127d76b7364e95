import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { addDataKey, generateKeyringFile, keyringFrom } from '../crypto/keyring.js';
import { createBackupDecryptor, createBackupEncryptor } from './backupCipher.js';

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const file = generateKeyringFile(new Date('2026-01-01T00:00:00Z'));
const keyring = keyringFrom(file);
const meta = { dialect: 'postgres' as const, backupId: 'b', createdAt: '2026-01-01T00:00:00Z' };

const encrypt = (plain: Buffer, pieces = 7): Promise<Buffer> => {
  const size = Math.ceil(plain.length / pieces);
  const parts = Array.from({ length: pieces }, (_, i) => plain.subarray(i * size, (i + 1) * size));
  return collect(Readable.from(parts).pipe(createBackupEncryptor(keyring, meta)));
};

/** Feeds in odd-sized pieces: the decryptor must reassemble frames across chunk borders. */
const decrypt = (sealed: Buffer, ring = keyring): Promise<Buffer> => {
  const parts: Buffer[] = [];
  for (let i = 0; i < sealed.length; i += 9_999) parts.push(sealed.subarray(i, i + 9_999));
  const decryptor = createBackupDecryptor(ring);
  const source = Readable.from(parts);
  source.on('error', (error) => decryptor.destroy(error));
  return collect(source.pipe(decryptor));
};

describe('backup cipher', () => {
  const marker = Buffer.from('PLAINTEXT-MARKER-生徒名簿');
  const plain = Buffer.concat([randomBytes(150_000), marker, randomBytes(100_000)]);

  it('round-trips any size, hides the plaintext, and names its key in the header', async () => {
    const sealed = await encrypt(plain);
    expect(sealed.includes(marker)).toBe(false);
    expect(sealed.toString('latin1')).toContain(`"keyId":"${file.current}"`);
    expect((await decrypt(sealed)).equals(plain)).toBe(true);
    expect((await decrypt(await encrypt(Buffer.alloc(0), 1))).length).toBe(0);
  });

  it('still opens after the key is rotated, while the old key is kept', async () => {
    const sealed = await encrypt(plain);
    const rotated = keyringFrom(addDataKey(file, new Date('2026-06-01T00:00:00Z')));
    expect(rotated.currentKeyId).not.toBe(file.current);
    expect((await decrypt(sealed, rotated)).equals(plain)).toBe(true);
  });

  it('fails on a wrong key, a changed byte, a truncation or a dropped chunk', async () => {
    const sealed = await encrypt(plain);
    const wrong = keyringFrom({
      ...generateKeyringFile(new Date()),
      current: file.current,
      dataKeys: { [file.current]: randomBytes(32).toString('base64') },
    });
    await expect(decrypt(sealed, wrong)).rejects.toMatchObject({ code: 'backup_auth_failed' });

    const flipped = Buffer.from(sealed);
    flipped[sealed.length - 100] = (flipped[sealed.length - 100] as number) ^ 1;
    await expect(decrypt(flipped)).rejects.toMatchObject({ code: 'backup_auth_failed' });

    // Cut exactly at a chunk border, so every remaining chunk is intact.
    const headerEnd = 12 + sealed.readUInt32BE(8);
    const chunk = 5 + 64 * 1024 + 16;
    await expect(decrypt(sealed.subarray(0, headerEnd + 2 * chunk))).rejects.toMatchObject({
      code: 'backup_corrupt',
    });
    const dropped = Buffer.concat([
      sealed.subarray(0, headerEnd),
      sealed.subarray(headerEnd + chunk),
    ]);
    await expect(decrypt(dropped)).rejects.toMatchObject({ code: 'backup_auth_failed' });

    await expect(decrypt(Buffer.from('not a backup at all'))).rejects.toMatchObject({
      code: 'backup_corrupt',
    });
  });
});
