import { err, ok, type Result } from '../result.js';

/** One step: takes a document of version N and returns it as version N + 1. */
export type MigrationStep = (doc: Record<string, unknown>) => Record<string, unknown>;

/**
 * Brings a stored document up to `currentVersion`. `steps[n]` migrates version n to n + 1;
 * documents written before `schemaVersion` existed count as version 0.
 */
export function migrateDocument(
  raw: unknown,
  currentVersion: number,
  steps: readonly MigrationStep[],
): Result<Record<string, unknown>> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return err({ code: 'invalid_document', message: 'document must be a JSON object', path: [] });
  }
  let doc = raw as Record<string, unknown>;
  const declared = doc.schemaVersion ?? 0;
  if (typeof declared !== 'number' || !Number.isInteger(declared) || declared < 0) {
    return err({
      code: 'invalid_document',
      message: 'schemaVersion must be a non-negative integer',
      path: ['schemaVersion'],
    });
  }
  if (declared > currentVersion) {
    return err({
      code: 'schema_too_new',
      message: `document has schemaVersion ${declared}; this version understands up to ${currentVersion}. Update Weebum Studio.`,
      path: ['schemaVersion'],
    });
  }
  for (let version = declared; version < currentVersion; version++) {
    const step = steps[version];
    if (!step) {
      return err({
        code: 'schema_unsupported',
        message: `no migration from schemaVersion ${version}`,
        path: ['schemaVersion'],
      });
    }
    doc = { ...step(doc), schemaVersion: version + 1 };
  }
  return ok(doc);
}
