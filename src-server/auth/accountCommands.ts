import { TENANT_KINDS, type TenantKind } from '../../src-shared/auth/roles.js';
import type { Db } from '../db/db.js';
import { createFieldCipher } from '../crypto/fieldCipher.js';
import { addDataKey, keyringFrom, writeKeyringFile } from '../crypto/keyring.js';
import { loadKeyring } from '../keys/loadKeyring.js';
import { countRowsNotUnderKey, reencryptPersonalData } from '../keys/reencrypt.js';
import { displayText } from '../../src-shared/cloud/schemas.js';
import { createTenantService } from '../tenants/tenantService.js';
import { createUserService } from '../users/userService.js';
import { createPasswordTools } from './passwordTools.js';

/** CLI commands that work on accounts, tenants and keys (parsing is separate from running). */
export type AccountCommand =
  | { readonly kind: 'bootstrap'; readonly json: boolean; readonly loginId: string }
  | {
      readonly kind: 'tenant-create';
      readonly json: boolean;
      readonly tenantKind: TenantKind;
      readonly name: string;
      readonly contractStart: Date | undefined;
      readonly contractEnd: Date | undefined;
    }
  | { readonly kind: 'keys-rotate' };

export const ACCOUNT_COMMAND_HELP = `  bootstrap [--login-id <id>] [--json]
            create the first operator account (once); prints its temporary password once
  tenant create --kind studio|school --name <name> [--contract-start ISO] [--contract-end ISO] [--json]
            create a tenant
  keys rotate
            add a new data key (key file) and re-encrypt every personal-data column under it`;

const DEFAULT_OPERATOR_LOGIN_ID = 'operator';

/** Parsing outcome; the error is a usage message for the terminal. */
type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const err = (error: string): { readonly ok: false; readonly error: string } => ({
  ok: false,
  error,
});

/** `--name value` pairs and bare `--flag`s; anything else is a usage error. */
function parseFlags(
  args: readonly string[],
  valued: readonly string[],
  bare: readonly string[],
): Parsed<{ values: Map<string, string>; flags: Set<string> }> {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name !== undefined && bare.includes(name)) {
      flags.add(name);
    } else if (name !== undefined && valued.includes(name)) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) return err(`--${name} needs a value`);
      if (values.has(name)) return err(`--${name} given twice`);
      values.set(name, value);
      i++;
    } else {
      return err(`unexpected argument: ${arg}`);
    }
  }
  return ok({ values, flags });
}

function parseInstant(value: string | undefined, flag: string): Parsed<Date | undefined> {
  if (value === undefined) return ok(undefined);
  const date = new Date(value);
  if (
    !/^\d{4}-\d\d-\d\d(T[\d:.]+(Z|[+-]\d\d:\d\d))?$/.test(value) ||
    Number.isNaN(date.getTime())
  ) {
    return err(
      `--${flag} must be an ISO 8601 date or instant, e.g. 2026-04-01 or 2026-04-01T00:00:00+09:00`,
    );
  }
  return ok(date);
}

/** undefined when the command is not one of these; an error string for bad usage. */
export function parseAccountCommand(
  command: string,
  rest: readonly string[],
): Parsed<AccountCommand> | undefined {
  if (command === 'bootstrap') {
    const parsed = parseFlags(rest, ['login-id'], ['json']);
    if (!parsed.ok) return parsed;
    const loginId = parsed.value.values.get('login-id') ?? DEFAULT_OPERATOR_LOGIN_ID;
    if (loginId.trim() === '' || loginId.length > 254)
      return err('--login-id must be 1-254 characters');
    return ok({ kind: 'bootstrap', json: parsed.value.flags.has('json'), loginId });
  }
  if (command === 'tenant') {
    const [sub, ...args] = rest;
    if (sub !== 'create') return err('usage: tenant create --kind studio|school --name <name>');
    const parsed = parseFlags(args, ['kind', 'name', 'contract-start', 'contract-end'], ['json']);
    if (!parsed.ok) return parsed;
    const { values, flags } = parsed.value;
    const kind = values.get('kind');
    if (kind === undefined || !(TENANT_KINDS as readonly string[]).includes(kind)) {
      return err('--kind must be studio or school');
    }
    const name = values.get('name')?.trim() ?? '';
    if (name === '' || name.length > 200 || !displayText(200).safeParse(name).success) {
      return err('--name must be 1-200 characters without control characters');
    }
    const start = parseInstant(values.get('contract-start'), 'contract-start');
    if (!start.ok) return start;
    const end = parseInstant(values.get('contract-end'), 'contract-end');
    if (!end.ok) return end;
    return ok({
      kind: 'tenant-create',
      json: flags.has('json'),
      tenantKind: kind as TenantKind,
      name,
      contractStart: start.value,
      contractEnd: end.value,
    });
  }
  if (command === 'keys') {
    if (rest.length !== 1 || rest[0] !== 'rotate') return err('usage: keys rotate');
    return ok({ kind: 'keys-rotate' });
  }
  return undefined;
}

export interface AccountCommandContext {
  readonly db: Db;
  readonly dataDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  readonly now: () => Date;
}

/** Runs a parsed command on a migrated database; returns the exit code. */
export async function runAccountCommand(
  cmd: AccountCommand,
  ctx: AccountCommandContext,
): Promise<number> {
  const { keyring, source } = await loadKeyring(ctx.env, ctx.dataDir, ctx.now());
  if (cmd.kind === 'keys-rotate') {
    let current = keyring;
    const pending = () => countRowsNotUnderKey(ctx.db, current.currentKeyId);
    if (source.kind === 'env') {
      ctx.stdout(
        'The keyring comes from WEEBUM_KEYRING: add the new key there and make it current; ' +
          `re-encrypting under its current key ${current.currentKeyId}.`,
      );
    } else if ((await pending()) > 0) {
      // An earlier rotation was interrupted: finish it instead of adding yet another key.
      ctx.stdout(`Finishing the re-encryption under key ${current.currentKeyId}.`);
    } else {
      const next = addDataKey(source.file, ctx.now());
      await writeKeyringFile(source.path, next);
      current = keyringFrom(next);
      ctx.stdout(`Added data key ${current.currentKeyId} to ${source.path}.`);
    }
    const result = await reencryptPersonalData(
      ctx.db,
      createFieldCipher(current),
      current.currentKeyId,
    );
    ctx.stdout(
      `Re-encrypted ${result.reencrypted} rows under key ${current.currentKeyId}` +
        (result.remaining > 0
          ? `; ${result.remaining} rows changed meanwhile: run "keys rotate" again.`
          : '.') +
        ' Restart running servers so they load the new key.',
    );
    return result.remaining > 0 ? 1 : 0;
  }

  const cipher = createFieldCipher(keyring);
  const tools = await createPasswordTools();
  const deps = { db: ctx.db, cipher, ...tools, now: ctx.now };
  const cliActor = { userId: null, tenantId: null, sourceAddress: null };

  if (cmd.kind === 'bootstrap') {
    const issued = await createUserService(deps).bootstrapOperator({
      loginId: cmd.loginId,
      displayName: 'Operator',
      email: null,
    });
    if (issued === undefined) {
      ctx.stderr(
        'weebum-server bootstrap: an operator account already exists; nothing was changed ' +
          '(an operator resets passwords through the API)',
      );
      return 1;
    }
    if (cmd.json) {
      ctx.stdout(
        JSON.stringify({
          loginId: issued.user.loginId,
          temporaryPassword: issued.temporaryPassword,
        }),
      );
    } else {
      ctx.stdout(`Operator account created. This password is shown only once.`);
      ctx.stdout(`Login id:           ${issued.user.loginId}`);
      ctx.stdout(`Temporary password: ${issued.temporaryPassword}`);
      ctx.stdout(
        `Sign in and change it before ${issued.temporaryPasswordExpiresAt.toISOString()}.`,
      );
    }
    return 0;
  }

  const start = cmd.contractStart ?? ctx.now();
  const tenant = await createTenantService(deps).create(cliActor, {
    kind: cmd.tenantKind,
    name: cmd.name,
    contractStart: start,
    contractEnd: cmd.contractEnd ?? null,
  });
  if (cmd.json) {
    ctx.stdout(
      JSON.stringify({
        id: tenant.id,
        kind: tenant.kind,
        name: tenant.name,
        contractStart: tenant.contractStart.toISOString(),
        contractEnd: tenant.contractEnd?.toISOString() ?? null,
      }),
    );
  } else {
    ctx.stdout(`Tenant created: ${tenant.id} (${tenant.kind}, ${tenant.name})`);
  }
  return 0;
}
