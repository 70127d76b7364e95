import type { Db } from '../db/db.js';
import type { FieldCipher } from '../crypto/fieldCipher.js';
import { cipherTenant } from '../users/userRepository.js';
import {
  countRowsNotUnder,
  ENCRYPTED_TABLES,
  findRowsNotUnder,
  replaceSealedValues,
} from './personalDataRepository.js';

export interface ReencryptResult {
  readonly reencrypted: number;
  /** Rows still under an older key (changed concurrently); running again picks them up. */
  readonly remaining: number;
}

/**
 * Re-seals every personal-data value under the keyring's current key, in bounded batches (one
 * short transaction each, so the API keeps working during a rotation). Idempotent: rows already
 * under the current key are not touched, and an interrupted run is finished by running it again.
 * The AAD (tenant, column) is unchanged, so a value cannot move rows in the process.
 */
export async function reencryptPersonalData(
  db: Db,
  cipher: FieldCipher,
  currentKeyId: string,
  batchSize = 200,
): Promise<ReencryptResult> {
  const prefix = `v1.${currentKeyId}.`;
  let reencrypted = 0;
  let remaining = 0;
  for (const spec of ENCRYPTED_TABLES) {
    let afterId: string | null = null;
    for (;;) {
      const batch = await findRowsNotUnder(db, spec, prefix, afterId, batchSize);
      if (batch.length === 0) break;
      afterId = batch[batch.length - 1]?.id ?? null;
      reencrypted += await db.transaction(async (tx) => {
        let written = 0;
        for (const row of batch) {
          const next: Record<string, string | null> = {};
          for (const column of spec.columns) {
            const stored = row.values[column] ?? null;
            const ctx = {
              tenantId: cipherTenant(row.tenantId),
              column: `${spec.table}.${column}`,
            };
            next[column] =
              stored === null ? null : cipher.encrypt(cipher.decrypt(stored, ctx), ctx);
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
