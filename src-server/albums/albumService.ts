import { randomUUID } from 'node:crypto';
import { ALBUM_SCHEMA_VERSION, type Album } from '../../src-shared/model/album.js';
import { parseAlbum } from '../../src-shared/model/parse.js';
import { recordAudit, type AuditAction, type AuditDetails } from '../audit/auditLog.js';
import type { FieldCipher } from '../crypto/fieldCipher.js';
import type { Db, Queryable } from '../db/db.js';
import { ApiError } from '../http/apiError.js';
import type { AuthContext } from '../http/authContext.js';
import { tenantRepository } from '../tenants/tenantRepository.js';
import { createUserRepository } from '../users/userRepository.js';
import { canSeeAlbum, sideOf } from './albumAccess.js';
import { albumNotFound, requireWritable, visibleAlbum } from './albumGate.js';
import { albumMemberRepository as members, type AlbumMember } from './albumMemberRepository.js';
import { albumRepository as albums, insertAlbum, type AlbumRecord } from './albumRepository.js';
import { appendChange } from './changeFeed.js';

export interface AlbumServiceDeps {
  readonly db: Db;
  readonly cipher: FieldCipher;
  readonly now: () => Date;
}

/** Who acts and from where, for audit records. */
export interface AlbumActor {
  readonly auth: AuthContext;
  readonly sourceAddress: string | null;
}

/** Fields of the Album document the server owns: a client may not set or change them. */
const SERVER_FIELDS = ['id', 'schemaVersion'] as const;

function invalidDocument(message: string, path: readonly (string | number)[]): ApiError {
  return new ApiError(422, 'invalid_document', message, path);
}

/** Validates settings with the src-shared Album schema; the path names the first bad field. */
function parseSettings(raw: Record<string, unknown>, id: string): Album {
  for (const field of SERVER_FIELDS) {
    if (field in raw) {
      throw invalidDocument(`settings.${field}: is set by the server`, ['settings', field]);
    }
  }
  const parsed = parseAlbum({ ...raw, schemaVersion: ALBUM_SCHEMA_VERSION, id });
  if (!parsed.ok) {
    const path = ['settings', ...(parsed.error.path ?? [])];
    throw invalidDocument(`settings.${parsed.error.message}`, path);
  }
  return parsed.value;
}

const ownTenant = (auth: AuthContext): string => {
  if (auth.tenantId === null) throw albumNotFound();
  return auth.tenantId;
};

/**
 * Albums, their settings and their members. Every method starts from the caller's own tenant
 * and `visibleAlbum`, so another tenant's album, or one the caller is not a member of, is 404.
 */
export function createAlbumService(deps: AlbumServiceDeps) {
  const { db, now } = deps;
  const users = createUserRepository(deps.cipher);

  const audit = (
    q: Queryable,
    actor: AlbumActor,
    action: AuditAction,
    albumId: string,
    at: Date,
    details: AuditDetails = {},
  ) =>
    recordAudit(q, {
      tenantId: actor.auth.tenantId,
      actorId: actor.auth.userId,
      action,
      outcome: 'success',
      targetType: 'album',
      targetId: albumId,
      ...(actor.sourceAddress === null ? {} : { sourceAddress: actor.sourceAddress }),
      details,
      occurredAt: at,
    });

  const albumChanged = (tx: Queryable, album: AlbumRecord, op: 'upsert' | 'delete' = 'upsert') =>
    appendChange(tx, {
      albumId: album.id,
      entity: 'album',
      entityId: album.id,
      op,
      version: album.version,
    });

  return {
    async list(auth: AuthContext): Promise<AlbumRecord[]> {
      const tenantId = ownTenant(auth);
      const found = await albums.listForTenant(db, { tenantId, userId: auth.userId });
      return found.filter((f) => canSeeAlbum(f.album, auth, f.isMember)).map((f) => f.album);
    },

    async get(auth: AuthContext, albumId: string): Promise<AlbumRecord> {
      return (await visibleAlbum(db, auth, albumId)).album;
    },

    /**
     * A studio admin creates an album for a school tenant. No pages are made here: page ids
     * are the clients' (pages are created offline too), and `pageCount` is the plan the
     * desktop lays out, not rows the server invents.
     */
    async create(
      actor: AlbumActor,
      input: { schoolTenantId: string; settings: Record<string, unknown> },
    ): Promise<AlbumRecord> {
      const studioTenantId = ownTenant(actor.auth);
      const id = randomUUID();
      const document = parseSettings(input.settings, id);
      const at = now();
      return db.transaction(async (tx) => {
        const studio = await tenantRepository.findById(tx, studioTenantId);
        const school = await tenantRepository.findById(tx, input.schoolTenantId);
        if (studio?.kind !== 'studio') throw albumNotFound();
        if (school?.kind !== 'school') {
          throw new ApiError(
            422,
            'school_not_found',
            'schoolTenantId does not name a school tenant',
            ['schoolTenantId'],
          );
        }
        await insertAlbum(tx, {
          album: document,
          studioTenantId,
          schoolTenantId: school.id,
          createdBy: actor.auth.userId,
          now: at,
        });
        await audit(tx, actor, 'album.create', id, at, { schoolTenantId: school.id });
        const created = await albums.findLive(tx, id);
        if (created === undefined) throw new Error('album vanished after insert');
        return created;
      });
    },

    async updateSettings(
      actor: AlbumActor,
      albumId: string,
      patch: Record<string, unknown>,
    ): Promise<AlbumRecord> {
      const at = now();
      return db.transaction(async (tx) => {
        const found = await visibleAlbum(tx, actor.auth, albumId, true);
        requireWritable(found, at);
        const { album } = found;
        const { id: _id, schemaVersion: _v, ...current } = album.document;
        const document = parseSettings({ ...current, ...patch }, album.id);
        const updated = await albums.updateDocument(tx, album.id, document, at);
        await albumChanged(tx, updated);
        await audit(tx, actor, 'album.update', album.id, at, {
          fields: Object.keys(patch).sort().join(','),
        });
        return updated;
      });
    },

    async setArchived(actor: AlbumActor, albumId: string, archived: boolean): Promise<AlbumRecord> {
      const at = now();
      return db.transaction(async (tx) => {
        const { album } = await visibleAlbum(tx, actor.auth, albumId, true);
        if ((album.archivedAt !== null) === archived) return album;
        const updated = await albums.setArchived(tx, album.id, archived ? at : null, at);
        await albumChanged(tx, updated);
        await audit(tx, actor, archived ? 'album.archive' : 'album.unarchive', album.id, at);
        return updated;
      });
    },

    /** Soft delete: 404 for everyone from now on; retention purges rows and objects later. */
    async remove(actor: AlbumActor, albumId: string): Promise<Date> {
      const at = now();
      return db.transaction(async (tx) => {
        const { album } = await visibleAlbum(tx, actor.auth, albumId, true);
        const version = await albums.softDelete(tx, album.id, at);
        await albumChanged(tx, { ...album, version }, 'delete');
        await audit(tx, actor, 'album.delete', album.id, at);
        return at;
      });
    },

    async listMembers(auth: AuthContext, albumId: string): Promise<AlbumMember[]> {
      const { album } = await visibleAlbum(db, auth, albumId);
      return members.list(db, album.id);
    },

    /**
     * An admin adds a user of their own tenant (so always the album's studio or school).
     * Another tenant's user is reported like a missing one. Audited.
     */
    async addMember(actor: AlbumActor, albumId: string, userId: string): Promise<AlbumMember> {
      const at = now();
      return db.transaction(async (tx) => {
        const found = await visibleAlbum(tx, actor.auth, albumId, true);
        requireWritable(found, at);
        const { album } = found;
        const tenantId = ownTenant(actor.auth);
        const user = await users.findById(tx, userId, { tenantId });
        if (user === undefined || sideOf(album, user.tenantId) === null) {
          throw new ApiError(404, 'not_found', 'Not found');
        }
        const added = await members.add(tx, album.id, user.id, actor.auth.userId, at);
        if (added === undefined) {
          const existing = await members.find(tx, album.id, user.id);
          if (existing === undefined) throw new Error('membership vanished');
          return existing;
        }
        await appendChange(tx, {
          albumId: album.id,
          entity: 'membership',
          entityId: user.id,
          op: 'upsert',
        });
        await audit(tx, actor, 'album.member_add', album.id, at, { userId: user.id });
        return added;
      });
    },

    /** The removed user's next request about the album answers 404 (feed included). */
    async removeMember(actor: AlbumActor, albumId: string, userId: string): Promise<void> {
      const at = now();
      await db.transaction(async (tx) => {
        const { album } = await visibleAlbum(tx, actor.auth, albumId, true);
        const tenantId = ownTenant(actor.auth);
        const user = await users.findById(tx, userId, { tenantId });
        if (user === undefined || !(await members.remove(tx, album.id, user.id))) {
          throw new ApiError(404, 'not_found', 'Not found');
        }
        await appendChange(tx, {
          albumId: album.id,
          entity: 'membership',
          entityId: user.id,
          op: 'delete',
        });
        await audit(tx, actor, 'album.member_remove', album.id, at, { userId: user.id });
      });
    },
  };
}
export type AlbumService = ReturnType<typeof createAlbumService>;
