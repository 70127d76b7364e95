import type { z } from 'zod';
import { err, ok, type Result } from '../result.js';
import { ALBUM_SCHEMA_VERSION, AlbumSchema, type Album } from './album.js';
import { migrateDocument, type MigrationStep } from './migrate.js';
import {
  MAX_ELEMENTS_PER_PAGE,
  MAX_PAGE_BYTES,
  PAGE_SCHEMA_VERSION,
  PageSchema,
  type Page,
} from './page.js';
import { utf8ByteLength } from './utf8.js';

/** Migrations per document kind; index n migrates version n to n + 1. Empty while at v1. */
export const PAGE_MIGRATIONS: readonly MigrationStep[] = [];
export const ALBUM_MIGRATIONS: readonly MigrationStep[] = [];

function firstIssue(error: z.ZodError): { message: string; path: (string | number)[] } {
  const issue = error.issues[0];
  if (!issue) return { message: 'invalid document', path: [] };
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const where = path.length > 0 ? path.join('.') : '(root)';
  return { message: `${where}: ${issue.message}`, path };
}

function validate<T>(schema: z.ZodType<T>, doc: unknown): Result<T> {
  const parsed = schema.safeParse(doc);
  if (parsed.success) return ok(parsed.data);
  return err({ code: 'invalid_document', ...firstIssue(parsed.error) });
}

/** Parses an untrusted page (from disk, the network or the renderer): bounded, migrated, validated. */
export function parsePage(raw: unknown, migrations = PAGE_MIGRATIONS): Result<Page> {
  if (typeof raw === 'string') {
    if (utf8ByteLength(raw) > MAX_PAGE_BYTES) return tooLarge();
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return err({ code: 'invalid_json', message: 'page is not valid JSON', path: [] });
    }
    return parsePage(json, migrations);
  }
  const elements = (raw as { elements?: unknown } | null)?.elements;
  if (Array.isArray(elements) && elements.length > MAX_ELEMENTS_PER_PAGE) {
    return err({
      code: 'document_too_large',
      message: `a page holds at most ${MAX_ELEMENTS_PER_PAGE} elements (got ${elements.length})`,
      path: ['elements'],
    });
  }
  if (utf8ByteLength(JSON.stringify(raw) ?? '') > MAX_PAGE_BYTES) return tooLarge();
  const migrated = migrateDocument(raw, PAGE_SCHEMA_VERSION, migrations);
  if (!migrated.ok) return migrated;
  return validate(PageSchema, migrated.value);
}

export function parseAlbum(raw: unknown, migrations = ALBUM_MIGRATIONS): Result<Album> {
  const migrated = migrateDocument(raw, ALBUM_SCHEMA_VERSION, migrations);
  if (!migrated.ok) return migrated;
  return validate(AlbumSchema, migrated.value);
}

function tooLarge(): Result<never> {
  return err({
    code: 'document_too_large',
    message: `a page is at most ${MAX_PAGE_BYTES} bytes of JSON`,
    path: [],
  });
}
