import type { Db } from '../db/db.js';
import type { Album } from '../../src-shared/model/album.js';
import { appendChange, createChangeCounter } from './changeFeed.js';

/** Creates an album with its change counter and its first change, in one transaction. */
export async function createAlbum(
  db: Db,
  input: { album: Album; studioTenantId: string; schoolTenantId: string; createdBy: string | null },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO albums (id, studio_tenant_id, school_tenant_id, document, created_by)
       VALUES ($1, $2, $3, $4::jsonb, $5)`,
      [
        input.album.id,
        input.studioTenantId,
        input.schoolTenantId,
        JSON.stringify(input.album),
        input.createdBy,
      ],
    );
    await createChangeCounter(tx, input.album.id);
    await appendChange(tx, {
      albumId: input.album.id,
      entity: 'album',
      entityId: input.album.id,
      op: 'upsert',
      version: 1,
    });
  });
}
