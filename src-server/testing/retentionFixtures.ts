import { randomBytes, randomUUID } from 'node:crypto';
import { photoExpiresAt } from '../../src-shared/retention/deadlines.js';
import { PHOTO_VARIANTS } from '../../src-shared/cloud/photos.js';
import { photoKey, type BlobKey } from '../blobs/blobKeys.js';
import type { BlobStore } from '../blobs/blobStore.js';
import type { Db, Queryable } from '../db/db.js';
import { startS3rverStore } from './s3rverStore.js';

/** s3rver on a free port with a fresh bucket. */
export const startS3 = () => startS3rverStore('weebum-retention');

export async function insertTenant(
  q: Queryable,
  kind: 'studio' | 'school',
  options: { contractEnd?: Date; legalHold?: boolean } = {},
): Promise<string> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO tenants (kind, name, contract_start, contract_end, legal_hold)
     VALUES ($1, $2, '2025-04-01T00:00:00Z', $3, $4) RETURNING id`,
    [
      kind,
      `${kind} ${randomUUID().slice(0, 8)}`,
      options.contractEnd ?? null,
      options.legalHold ?? false,
    ],
  );
  const id = rows[0]?.id;
  if (id === undefined) throw new Error('no tenant');
  return id;
}

/** A user row with placeholder ciphertexts: retention never reads them. */
export async function insertUser(
  q: Queryable,
  tenantId: string,
  role: 'studio_admin' | 'school_admin' | 'designer' | 'school_staff',
  options: { emailEnc?: string } = {},
): Promise<string> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO users (tenant_id, role, login_id_index, login_id_enc, display_name_enc,
                        email_enc, email_index, password_hash, created_at, updated_at)
     VALUES ($1, $2, $3, 'x', 'x', $4, $5, 'x', now(), now()) RETURNING id`,
    [
      tenantId,
      role,
      randomBytes(16).toString('hex'),
      options.emailEnc ?? null,
      options.emailEnc === undefined ? null : randomBytes(16).toString('hex'),
    ],
  );
  const id = rows[0]?.id;
  if (id === undefined) throw new Error('no user');
  return id;
}

export async function insertAlbum(
  db: Db,
  studioTenantId: string,
  schoolTenantId: string,
  name = 'Album',
): Promise<string> {
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO albums (id, studio_tenant_id, school_tenant_id, document)
       VALUES ($1, $2, $3, $4::jsonb)`,
      [id, studioTenantId, schoolTenantId, JSON.stringify({ name })],
    );
    await tx.query('INSERT INTO album_change_counters (album_id) VALUES ($1)', [id]);
  });
  return id;
}

export interface SeededPhoto {
  readonly id: string;
  readonly albumId: string;
  readonly studioTenantId: string;
  readonly expiresAt: Date;
  readonly keys: readonly BlobKey[];
}

/** A ready photo uploaded at `uploadedAt`, with its original and derivatives in `blobs`. */
export async function insertReadyPhoto(
  db: Db,
  blobs: BlobStore,
  album: { id: string; studioTenantId: string },
  uploadedAt: Date,
): Promise<SeededPhoto> {
  const id = randomUUID();
  const expiresAt = photoExpiresAt(uploadedAt);
  await db.query(
    `INSERT INTO photos (id, album_id, uploaded_by, sha256, size, file_name, content_type, status,
                         width, height, format, created_at, completed_at, ready_at, expires_at,
                         updated_at)
     VALUES ($1, $2, $3, $4, 3, 'p.jpg', 'image/jpeg', 'ready', 1, 1, 'jpeg', $5, $5, $5, $6, $5)`,
    [id, album.id, randomUUID(), randomBytes(32).toString('hex'), uploadedAt, expiresAt],
  );
  const keys = PHOTO_VARIANTS.map((v) => photoKey(album.studioTenantId, album.id, id, v));
  for (const key of keys) await blobs.write(key, Buffer.from('img'), 'image/jpeg');
  return { id, albumId: album.id, studioTenantId: album.studioTenantId, expiresAt, keys };
}

/** How many of `keys` still exist. */
export async function presentCount(blobs: BlobStore, keys: readonly BlobKey[]): Promise<number> {
  let n = 0;
  for (const key of keys) if ((await blobs.head(key)) !== null) n++;
  return n;
}

export async function count(q: Queryable, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await q.query<{ n: string }>(`SELECT count(*) AS n FROM (${sql}) s`, params);
  return Number(rows[0]?.n ?? 0);
}

/** Audit events of an action, oldest first. */
export async function auditOf(
  q: Queryable,
  action: string,
): Promise<{ tenant_id: string | null; details: Record<string, unknown> }[]> {
  const { rows } = await q.query<{ tenant_id: string | null; details: Record<string, unknown> }>(
    'SELECT tenant_id, details FROM audit_events WHERE action = $1 ORDER BY id',
    [action],
  );
  return rows;
}
