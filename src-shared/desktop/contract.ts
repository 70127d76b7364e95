import { z } from 'zod';
import { ROLES } from '../auth/roles.js';
import {
  AlbumSchema,
  AlbumStatusSchema,
  BindingSideSchema,
  TrimSizeSchema,
} from '../model/album.js';
import { IdSchema, PageSchema } from '../model/page.js';
import { DISPLAY_ZONES } from '../time/formatInstant.js';
import { importPathsFit } from './importPaths.js';

/**
 * The desktop API: one contract between the renderer and the desktop app's Node side, carried
 * by two transports (Electron IPC and the browser host's WebSocket). The renderer is untrusted:
 * the Node side validates every argument with these schemas. Secrets (tokens, keys) never
 * appear in any result or event.
 */

const Empty = z.strictObject({});
const Uuid = z.uuid();
const ServerUrl = z.url({ protocol: /^https$/ }).max(2048);
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day is YYYY-MM-DD');

export const SessionInfoSchema = z.object({
  serverUrl: z.string(),
  userId: z.string(),
  loginId: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  tenantId: z.string().nullable(),
  passwordChangeRequired: z.boolean(),
  /** False when no system keychain exists: the session ends when the app closes. */
  remembered: z.boolean(),
  /** Why the session is not remembered, for the user (Japanese and English). */
  notRememberedReason: z.string().nullable(),
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

export const AlbumSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  schoolName: z.string(),
  fiscalYear: z.number(),
  status: AlbumStatusSchema,
  pageCount: z.number(),
  /** Local edits not yet on the server. */
  pendingChanges: z.number(),
  conflicts: z.number(),
});
export type AlbumSummary = z.infer<typeof AlbumSummarySchema>;

export const NewAlbumSchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  schoolTenantId: Uuid,
  schoolName: z.string().trim().min(1).max(200),
  fiscalYear: z.int().min(2000).max(2100),
  trim: TrimSizeSchema,
  bleedMm: z.number().min(0).max(20),
  safeMarginMm: z.number().min(0).max(50),
  binding: BindingSideSchema,
  pageCount: z.int().min(1).max(1000),
});

export const PhotoStateSchema = z.enum([
  'imported',
  'queued',
  'uploading',
  'uploaded',
  'ready',
  'failed',
  'expired',
]);

export const PhotoSummarySchema = z.object({
  id: z.string(),
  albumId: z.string(),
  fileName: z.string(),
  width: z.number(),
  height: z.number(),
  takenAtLocal: z.string().nullable(),
  state: PhotoStateSchema,
  failureReason: z.string().nullable(),
  /** Same-origin URL of the 320 px thumbnail; never a file path. */
  thumbnailUrl: z.string().nullable(),
  /** The `photos.import` call that brought it in; null for photos from before batches. */
  importBatchId: z.string().nullable(),
  importedAt: z.string(),
  /** How many frames and page backgrounds of the album show it. */
  placements: z.number(),
});
export type PhotoSummary = z.infer<typeof PhotoSummarySchema>;

export const SyncStateSchema = z.object({
  connection: z.enum(['online', 'offline', 'signed-out']),
  syncing: z.boolean(),
  pending: z.number(),
  conflicts: z.number(),
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
  lastSyncedAt: z.string().nullable(),
});
export type SyncState = z.infer<typeof SyncStateSchema>;

export const UploadProgressSchema = z.object({
  batchId: z.string(),
  albumId: z.string(),
  total: z.number(),
  done: z.number(),
  failed: z.number(),
  bytesDone: z.number(),
  bytesTotal: z.number(),
  paused: z.boolean(),
  failures: z.array(z.object({ fileName: z.string(), reason: z.string() })),
});
export type UploadProgress = z.infer<typeof UploadProgressSchema>;

export const ImportProgressSchema = z.object({
  batchId: z.string(),
  albumId: z.string(),
  total: z.number(),
  done: z.number(),
  skippedDuplicates: z.number(),
  failed: z.number(),
  bytesDone: z.number(),
  etaSeconds: z.number().nullable(),
  failures: z.array(z.object({ path: z.string(), reason: z.string() })),
});
export type ImportProgress = z.infer<typeof ImportProgressSchema>;

/**
 * A conflict sync reported (the merged page kept the server's value) and the designer has not
 * dismissed yet. `elementId` null: the page's background or element order.
 */
export const ConflictSchema = z.object({
  id: z.string(),
  albumId: z.string(),
  pageId: z.string(),
  elementId: z.string().nullable(),
  field: z.string().nullable(),
  kind: z.enum(['field', 'delete-vs-edit', 'kind-changed', 'order']),
  detectedAt: z.string(),
});
export type Conflict = z.infer<typeof ConflictSchema>;

export const ExportProgressEventSchema = z.object({
  exportId: z.string(),
  albumId: z.string(),
  destinationPath: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  /** PDF pages (single pages or spreads) written, and in all. */
  done: z.number(),
  total: z.number(),
  /** Frames printed as "photo missing" placeholders (known when done). */
  placeholders: z.number(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type ExportProgressEvent = z.infer<typeof ExportProgressEventSchema>;

export const UserSummarySchema = z.object({
  id: z.string(),
  loginId: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  role: z.enum(ROLES),
  disabled: z.boolean(),
  passwordChangeRequired: z.boolean(),
});

const method = <A extends z.ZodType, R extends z.ZodType>(args: A, result: R) => ({ args, result });

/** Every method: its arguments (validated on the Node side) and its result. */
export const DESKTOP_METHODS = {
  'session.signIn': method(
    z.strictObject({
      serverUrl: ServerUrl,
      loginId: z.string().min(1).max(254),
      password: z.string().min(1).max(1024),
    }),
    SessionInfoSchema,
  ),
  'session.changePassword': method(
    z.strictObject({
      currentPassword: z.string().min(1).max(1024),
      newPassword: z.string().min(1).max(1024),
    }),
    SessionInfoSchema,
  ),
  'session.signOut': method(Empty, z.null()),
  'session.current': method(Empty, SessionInfoSchema.nullable()),

  'albums.list': method(Empty, z.array(AlbumSummarySchema)),
  'albums.create': method(NewAlbumSchema, AlbumSummarySchema),
  'albums.open': method(z.strictObject({ albumId: Uuid }), AlbumSchema),
  /**
   * The cloud's album archive (P1; docs/export-format.md) saved to `destinationPath`, an
   * absolute path from the native save dialog. Online only; never a partial file at that path.
   */
  'albums.exportArchive': method(
    z.strictObject({ albumId: Uuid, destinationPath: z.string().min(1).max(4096) }),
    z.object({ path: z.string(), bytes: z.number() }),
  ),

  'pages.list': method(z.strictObject({ albumId: Uuid }), z.array(PageSchema)),
  /** Saved locally at once; pushed by the sync engine when online. */
  'pages.save': method(z.strictObject({ albumId: Uuid, page: PageSchema }), z.null()),
  'pages.add': method(
    z.strictObject({ albumId: Uuid, afterPageId: IdSchema.nullable() }),
    PageSchema,
  ),
  'pages.delete': method(z.strictObject({ albumId: Uuid, pageId: IdSchema }), z.null()),
  'pages.reorder': method(
    z.strictObject({ albumId: Uuid, pageIds: z.array(IdSchema).min(1).max(1000) }),
    z.null(),
  ),

  /** Paths come from the native file dialog (Electron) or the host's file picker. */
  'photos.import': method(
    z.strictObject({
      albumId: Uuid,
      paths: z
        .array(z.string().min(1).max(4096))
        .min(1)
        .max(10_000)
        .refine(importPathsFit, 'too many paths for one import: choose their folder instead'),
    }),
    z.object({ batchId: z.string() }),
  ),
  'photos.list': method(
    z.strictObject({
      albumId: Uuid,
      state: PhotoStateSchema.optional(),
      batchId: z.string().max(64).optional(),
      /** Camera-local days, inclusive (YYYY-MM-DD); undated photos are left out. */
      takenFrom: Day.optional(),
      takenTo: Day.optional(),
      placed: z.enum(['used', 'unused']).optional(),
    }),
    z.array(PhotoSummarySchema),
  ),

  /**
   * Starts a print-ready PDF export in the background (progress and the end as
   * `export.progress`). The destination comes from the native save dialog (Electron) or the
   * host's; it is written only when complete.
   */
  'export.pdf': method(
    z.strictObject({
      albumId: Uuid,
      /** 1-based, inclusive; the whole album when absent. */
      pageRange: z
        .strictObject({ from: z.int().min(1).max(1000), to: z.int().min(1).max(1000) })
        .optional(),
      spreads: z.boolean(),
      cropMarks: z.boolean(),
      destinationPath: z.string().min(1).max(4096),
    }),
    z.object({ exportId: z.string() }),
  ),
  'export.cancel': method(z.strictObject({ exportId: z.string().min(1).max(64) }), z.null()),
  /**
   * The system's file dialogs (Electron; the browser host has none: `dialogs_unavailable`).
   * Import: chosen files or folders, an empty list when cancelled. Export: the chosen file, or
   * null when cancelled.
   */
  'dialogs.chooseImport': method(
    z.strictObject({ kind: z.enum(['files', 'folder']) }),
    z.array(z.string()),
  ),
  'dialogs.chooseExportFile': method(
    z.strictObject({ suggestedName: z.string().trim().min(1).max(255) }),
    z.string().nullable(),
  ),

  'uploads.status': method(Empty, z.array(UploadProgressSchema)),
  'uploads.pause': method(Empty, z.null()),
  'uploads.resume': method(Empty, z.null()),
  'uploads.retry': method(z.strictObject({ photoIds: z.array(z.string()).max(10_000) }), z.null()),

  'sync.status': method(Empty, SyncStateSchema),
  'sync.now': method(Empty, z.null()),
  /** Conflicts not yet dismissed, oldest first; one album's or all. */
  'conflicts.list': method(z.strictObject({ albumId: Uuid.optional() }), z.array(ConflictSchema)),
  'conflicts.dismiss': method(
    z.strictObject({ ids: z.array(z.string().max(64)).min(1).max(1000) }),
    z.null(),
  ),

  'admin.users.list': method(Empty, z.array(UserSummarySchema)),
  'admin.users.create': method(
    z.strictObject({
      loginId: z.string().min(1).max(254),
      displayName: z.string().min(1).max(200),
      email: z.email().max(254).optional(),
      role: z.enum(ROLES),
    }),
    z.object({ user: UserSummarySchema, temporaryPassword: z.string() }),
  ),
  'admin.users.update': method(
    z.strictObject({
      userId: Uuid,
      role: z.enum(ROLES).optional(),
      disabled: z.boolean().optional(),
      displayName: z.string().min(1).max(200).optional(),
    }),
    UserSummarySchema,
  ),
  'admin.users.delete': method(z.strictObject({ userId: Uuid }), z.null()),
  'admin.users.resetPassword': method(
    z.strictObject({ userId: Uuid }),
    z.object({ temporaryPassword: z.string() }),
  ),
  'admin.audit.list': method(
    z.strictObject({
      tz: z.enum(DISPLAY_ZONES),
      before: z.string().optional(),
      limit: z.int().min(1).max(500).optional(),
    }),
    z.object({
      events: z.array(
        z.object({
          id: z.string(),
          occurredAt: z.string(),
          action: z.string(),
          outcome: z.string(),
          actorId: z.string().nullable(),
          targetId: z.string().nullable(),
        }),
      ),
      nextBefore: z.string().nullable(),
    }),
  ),
} as const;

/** Every event: its payload. Subscriptions return an unsubscribe function. */
export const DESKTOP_EVENTS = {
  'session.changed': SessionInfoSchema.nullable(),
  'sync.state': SyncStateSchema,
  /** Conflicts one sync just found (the list to show is `conflicts.list`). */
  'sync.conflicts': z.array(ConflictSchema),
  'pages.changed': z.object({ albumId: z.string(), pageIds: z.array(z.string()) }),
  'albums.changed': z.object({ albumIds: z.array(z.string()), accessLost: z.array(z.string()) }),
  /** Sync recorded, changed or dropped photos of the album, or fetched their thumbnails. */
  'photos.changed': z.object({ albumId: z.string() }),
  'import.progress': ImportProgressSchema,
  'uploads.progress': UploadProgressSchema,
  'export.progress': ExportProgressEventSchema,
} as const;

export type MethodName = keyof typeof DESKTOP_METHODS;
export type EventName = keyof typeof DESKTOP_EVENTS;
export type MethodArgs<M extends MethodName> = z.input<(typeof DESKTOP_METHODS)[M]['args']>;
export type ParsedArgs<M extends MethodName> = z.output<(typeof DESKTOP_METHODS)[M]['args']>;
export type MethodResult<M extends MethodName> = z.output<(typeof DESKTOP_METHODS)[M]['result']>;
export type EventPayload<E extends EventName> = z.output<(typeof DESKTOP_EVENTS)[E]>;

export const METHOD_NAMES = Object.keys(DESKTOP_METHODS) as MethodName[];
export const EVENT_NAMES = Object.keys(DESKTOP_EVENTS) as EventName[];
