import { encryptedTables, type EncryptedTable } from '../crypto/encryptedColumns.js';
import type { FieldCipher } from '../crypto/fieldCipher.js';
import type { Db } from '../db/db.js';
import {
  countRowsNotUnder,
  findRowsNotUnder,
  replaceSealedValues,
} from './personalDataRepository.js';

export interface ReencryptResult {
  readonly reencrypted: number;
  /** Rows still under an older key (changed concurrently); running again picks them up. */
  readonly remaining: number;
}

/**
 * Re-seals every value of every registry column (crypto/encryptedColumns.ts) under the
 * keyring's current key, in bounded batches (one short transaction each, so the API keeps
 * working during a rotation). Idempotent: rows already under the current key are not touched,
 * and an interrupted run is finished by running it again. The label and tenant are unchanged,
 * so a value cannot move rows in the process.
 */
export async function reencryptPersonalData(
  db: Db,
  cipher: FieldCipher,
  currentKeyId: string,
  batchSize = 200,
  tables: readonly EncryptedTable[] = encryptedTables(),
): Promise<ReencryptResult> {
  const prefix = `v1.${currentKeyId}.`;
  let reencrypted = 0;
  let remaining = 0;
  for (const spec of tables) {
    let after: readonly unknown[] | null = null;
    for (;;) {
      const batch = await findRowsNotUnder(db, spec, prefix, after, batchSize);
      if (batch.length === 0) break;
      after = batch[batch.length - 1]?.key ?? null;
      reencrypted += await db.transaction(async (tx) => {
        let written = 0;
        for (const row of batch) {
          const next: Record<string, string | null> = {};
          for (const column of spec.columns) {
            const sealed = row.values[column.column]?.sealed ?? null;
            const ctx = { tenantId: row.values[column.column]?.tenantId ?? null, column };
            next[column.column] =
              sealed === null ? null : cipher.encrypt(cipher.decrypt(sealed, ctx), ctx);
          }
          if (await replaceSealedValues(tx, spec, row, next)) written++;
        }
        return written;
      });
    }
    remaining += await countRowsNotUnder(db, spec, prefix);
  }
  return { reencrypted, remaining };
}

/** Rows of every registry table with a value not under `keyId` (an unfinished rotation). */
export async function countRowsNotUnderKey(
  db: Db,
  keyId: string,
  tables: readonly EncryptedTable[] = encryptedTables(),
): Promise<number> {
  let n = 0;
  for (const spec of tables) n += await countRowsNotUnder(db, spec, `v1.${keyId}.`);
  return n;
}
