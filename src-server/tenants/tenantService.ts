import type { TenantKind } from '../../src-shared/auth/roles.js';
import { recordAudit } from '../audit/auditLog.js';
import type { AccountDeps } from '../auth/accountDeps.js';
import { ApiError } from '../http/apiError.js';
import type { Actor } from '../users/userService.js';
import { tenantRepository as tenants, type Tenant } from './tenantRepository.js';

export interface TenantPatch {
  readonly name?: string;
  readonly contractStart?: Date;
  readonly contractEnd?: Date | null;
}

const notFound = () => new ApiError(404, 'not_found', 'Not found');
const datesInvalid = () =>
  new ApiError(400, 'contract_dates_invalid', 'The contract cannot end before it starts');

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/** Operator work on tenants (the route requires 'tenant.manage'; the CLI acts as the operator). */
export function createTenantService(deps: Pick<AccountDeps, 'db' | 'now'>) {
  const { db, now } = deps;
  return {
    async create(
      actor: Actor,
      input: { kind: TenantKind; name: string; contractStart: Date; contractEnd: Date | null },
    ): Promise<Tenant> {
      if (input.contractEnd !== null && input.contractEnd < input.contractStart) {
        throw datesInvalid();
      }
      const at = now();
      return db.transaction(async (tx) => {
        const tenant = await tenants.insert(tx, { ...input, now: at });
        await recordAudit(tx, {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: 'tenant.create',
          outcome: 'success',
          targetType: 'tenant',
          targetId: tenant.id,
          ...(actor.sourceAddress === null ? {} : { sourceAddress: actor.sourceAddress }),
          details: { kind: tenant.kind },
          occurredAt: at,
        });
        return tenant;
      });
    },

    list: (): Promise<Tenant[]> => tenants.list(db),

    async get(id: string): Promise<Tenant> {
      const tenant = await tenants.findById(db, id);
      if (tenant === undefined) throw notFound();
      return tenant;
    },

    async update(actor: Actor, id: string, patch: TenantPatch): Promise<Tenant> {
      const at = now();
      return db.transaction(async (tx) => {
        const before = await tenants.findById(tx, id, true);
        if (before === undefined) throw notFound();
        const next = {
          name: patch.name ?? before.name,
          contractStart: patch.contractStart ?? before.contractStart,
          contractEnd: patch.contractEnd === undefined ? before.contractEnd : patch.contractEnd,
        };
        if (next.contractEnd !== null && next.contractEnd < next.contractStart) {
          throw datesInvalid();
        }
        const after = await tenants.update(tx, id, next);
        const base = {
          tenantId: id,
          actorId: actor.userId,
          outcome: 'success' as const,
          targetType: 'tenant',
          targetId: id,
          ...(actor.sourceAddress === null ? {} : { sourceAddress: actor.sourceAddress }),
          occurredAt: at,
        };
        if (after.name !== before.name) {
          await recordAudit(tx, { ...base, action: 'tenant.update', details: { fields: 'name' } });
        }
        const contractChanged =
          iso(after.contractStart) !== iso(before.contractStart) ||
          iso(after.contractEnd) !== iso(before.contractEnd);
        if (contractChanged) {
          // Contract dates drive retention (P4), so the old and new values are kept.
          await recordAudit(tx, {
            ...base,
            action: 'tenant.contract_change',
            details: {
              startFrom: iso(before.contractStart),
              startTo: iso(after.contractStart),
              endFrom: iso(before.contractEnd),
              endTo: iso(after.contractEnd),
            },
          });
        }
        return after;
      });
    },

    /** Sets or lifts the legal hold; audited with the old and new value. */
    async setLegalHold(actor: Actor, id: string, legalHold: boolean): Promise<Tenant> {
      const at = now();
      return db.transaction(async (tx) => {
        const before = await tenants.findById(tx, id, true);
        if (before === undefined) throw notFound();
        const after = await tenants.setLegalHold(tx, id, legalHold);
        await recordAudit(tx, {
          tenantId: id,
          actorId: actor.userId,
          action: 'tenant.legal_hold',
          outcome: 'success',
          targetType: 'tenant',
          targetId: id,
          ...(actor.sourceAddress === null ? {} : { sourceAddress: actor.sourceAddress }),
          details: { from: before.legalHold, to: legalHold },
          occurredAt: at,
        });
        return after;
      });
    },
  };
}
export type TenantService = ReturnType<typeof createTenantService>;
