import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { err, ok, type AppError, type Result } from '../src-shared/result.js';
import { validateCidr } from './geo/geoPolicy.js';

export interface ServerConfig {
  /** Absolute path; holds the PGlite database, the local CA and (later) key files. */
  readonly dataDir: string;
  readonly host: string;
  /** 0 asks the OS for a free port (tests). */
  readonly port: number;
  /** PostgreSQL connection string; absent means embedded PGlite in `dataDir`. */
  readonly databaseUrl: string | undefined;
  /** Both or neither; neither means a local development CA in `<dataDir>/tls`. */
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  /** Plain HTTP for a TLS-terminating proxy; connections from other peers are refused. */
  readonly behindProxy: boolean;
  /** Addresses or CIDRs of the proxies whose X-Forwarded-For is believed. */
  readonly trustedProxies: readonly string[];
  /** Where customer data is stored (P2); reported at /v1/about. */
  readonly storageRegion: string;
  readonly bodyLimitBytes: number;
  readonly logLevel: LogLevel;
  /** Who may use the API, by source address (P7). */
  readonly geo: GeoConfig;
  /** Requests per source address and window (P14). */
  readonly rateLimit: RateLimitConfig;
  /** Prometheus metrics on a listener of their own (P14). */
  readonly metrics: MetricsConfig;
  /** Where photos live: S3 when a bucket is configured, else local disk in `<dataDir>/blobs`. */
  readonly blobs: BlobsConfig;
  /** Notices (P9, P17): SMTP when a URL is set, else `.eml` files in `<dataDir>/mail`. */
  readonly mail: MailConfig;
}

export interface MailConfig {
  /** `smtps://user:pass@host:465` or `smtp://host:587` (STARTTLS, certificate verified). */
  readonly smtpUrl: string | undefined;
  readonly from: string;
}

export interface BlobsConfig {
  /** Credentials come from the AWS SDK's usual sources (AWS_ACCESS_KEY_ID, roles), never here. */
  readonly s3:
    | {
        readonly endpoint: string | undefined;
        readonly region: string;
        readonly bucket: string;
        readonly forcePathStyle: boolean;
        /** SSE-KMS with this key on every write; absent: SSE-S3 (AES256). */
        readonly kmsKeyId: string | undefined;
      }
    | undefined;
}

export interface GeoConfig {
  /** ISO 3166 codes, upper case. */
  readonly allowedCountries: readonly string[];
  /** CIDRs let in whatever their country (e.g. an office VPN abroad). */
  readonly allowCidrs: readonly string[];
  /** Let in addresses the country dataset does not know (private ranges); off by default. */
  readonly allowUnknown: boolean;
  /**
   * Let in loopback peers whatever the rules above say. On by default only when the server
   * faces clients itself (a loopback peer is then this machine); behind a proxy it is off, since
   * the proxy's own address may be loopback.
   */
  readonly allowLoopback: boolean;
}

export interface RateLimitConfig {
  /** Requests per source address and window, on every route. */
  readonly max: number;
  /** Requests per source address and window on routes marked strict (sign-in). */
  readonly strictMax: number;
  readonly windowSeconds: number;
}

export interface MetricsConfig {
  readonly host: string;
  /** undefined: no metrics listener. */
  readonly port: number | undefined;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How a value may be written: env values are always strings, file values are JSON. */
interface Field<K extends keyof FieldValues> {
  readonly key: K;
  readonly env: string;
  readonly schema: z.ZodType<FieldValues[K]>;
  /** The one message shown for any bad value of this field. */
  readonly message: string;
  readonly fallback: FieldValues[K];
  /** Where the value sits in the config file, dotted for sections (default: `key`). */
  readonly file?: string;
  /** Never echo the value (connection strings carry passwords). */
  readonly secret?: boolean;
}

interface FieldValues {
  dataDir: string;
  host: string;
  port: number;
  databaseUrl: string | undefined;
  tlsCertFile: string | undefined;
  tlsKeyFile: string | undefined;
  behindProxy: boolean;
  trustedProxies: readonly string[];
  storageRegion: string;
  bodyLimitBytes: number;
  logLevel: LogLevel;
  geoAllowedCountries: readonly string[];
  geoAllowCidrs: readonly string[];
  geoAllowUnknown: boolean;
  geoAllowLoopback: boolean | undefined;
  rateLimitMax: number;
  rateLimitStrictMax: number;
  rateLimitWindowSeconds: number;
  metricsHost: string;
  metricsPort: number | undefined;
  s3Endpoint: string | undefined;
  s3Region: string | undefined;
  s3Bucket: string | undefined;
  s3ForcePathStyle: boolean;
  s3KmsKeyId: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
}

const nonEmpty = z.string().trim().min(1);
const integerText = z
  .union([z.number(), z.string().trim().regex(/^\d+$/).transform(Number)])
  .pipe(z.number().int());
const booleanText = z.union([
  z.boolean(),
  z.enum(['true', '1', 'yes']).transform(() => true),
  z.enum(['false', '0', 'no', '']).transform(() => false),
]);
const listText = z.union([
  z.array(z.string()),
  z.string().transform((s) =>
    s
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== ''),
  ),
]);

function isCidrOrAddress(value: string): boolean {
  const [address = '', prefix, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

const FIELDS: readonly Field<keyof FieldValues>[] = [
  {
    key: 'dataDir',
    env: 'WEEBUM_DATA_DIR',
    schema: nonEmpty,
    message: 'must be a directory path',
    fallback: './.weebum/cloud',
  },
  {
    key: 'host',
    env: 'WEEBUM_HOST',
    schema: nonEmpty.refine((h) => isIP(h) !== 0 || /^[A-Za-z0-9.-]+$/.test(h)),
    message: 'must be an IP address or host name',
    fallback: '127.0.0.1',
  },
  {
    key: 'port',
    env: 'WEEBUM_PORT',
    schema: integerText.pipe(z.number().min(0).max(65535)),
    message: 'must be an integer 1-65535 (or 0 for any free port)',
    fallback: 8443,
  },
  {
    key: 'databaseUrl',
    env: 'DATABASE_URL',
    schema: z.union([
      z.literal('').transform(() => undefined),
      z.string().regex(/^postgres(ql)?:\/\/\S+$/),
    ]),
    message: 'must be a postgres:// or postgresql:// URL',
    fallback: undefined,
    secret: true,
  },
  {
    key: 'tlsCertFile',
    env: 'WEEBUM_TLS_CERT_FILE',
    schema: nonEmpty,
    message: 'must be a file path',
    fallback: undefined,
    file: 'tls.certFile',
  },
  {
    key: 'tlsKeyFile',
    env: 'WEEBUM_TLS_KEY_FILE',
    schema: nonEmpty,
    message: 'must be a file path',
    fallback: undefined,
    file: 'tls.keyFile',
  },
  {
    key: 'behindProxy',
    env: 'WEEBUM_BEHIND_PROXY',
    schema: booleanText,
    message: 'must be true or false',
    fallback: false,
  },
  {
    key: 'trustedProxies',
    env: 'WEEBUM_TRUSTED_PROXIES',
    schema: listText.pipe(z.array(z.string().refine(isCidrOrAddress))),
    message: 'must be a comma-separated list of IP addresses or CIDRs (e.g. 10.0.0.0/8)',
    fallback: [],
  },
  {
    key: 'storageRegion',
    env: 'WEEBUM_STORAGE_REGION',
    schema: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/),
    message: 'must be a region name like ap-northeast-1',
    fallback: 'ap-northeast-1',
  },
  {
    key: 'bodyLimitBytes',
    env: 'WEEBUM_BODY_LIMIT_BYTES',
    schema: integerText.pipe(
      z
        .number()
        .min(1024)
        .max(64 * 1024 * 1024),
    ),
    message: 'must be an integer 1024-67108864',
    fallback: 1024 * 1024,
  },
  {
    key: 'logLevel',
    env: 'WEEBUM_LOG_LEVEL',
    schema: z.enum(LOG_LEVELS),
    message: `must be one of ${LOG_LEVELS.join(', ')}`,
    fallback: 'info',
  },
  {
    key: 'geoAllowedCountries',
    env: 'WEEBUM_GEO_ALLOWED_COUNTRIES',
    schema: listText.pipe(
      z.array(
        z
          .string()
          .regex(/^[A-Za-z]{2}$/)
          .transform((c) => c.toUpperCase()),
      ),
    ),
    message: 'must be a comma-separated list of two-letter country codes (e.g. JP)',
    fallback: ['JP'],
    file: 'geo.allowedCountries',
  },
  {
    key: 'geoAllowCidrs',
    env: 'WEEBUM_GEO_ALLOW_CIDRS',
    schema: listText.pipe(z.array(z.string().refine((c) => validateCidr(c) === null))),
    message: 'must be a comma-separated list of CIDRs (e.g. 203.0.113.0/24)',
    fallback: [],
    file: 'geo.allowCidrs',
  },
  {
    key: 'geoAllowUnknown',
    env: 'WEEBUM_GEO_ALLOW_UNKNOWN',
    schema: booleanText,
    message: 'must be true or false',
    fallback: false,
    file: 'geo.allowUnknown',
  },
  {
    key: 'geoAllowLoopback',
    env: 'WEEBUM_GEO_ALLOW_LOOPBACK',
    schema: booleanText,
    message: 'must be true or false',
    fallback: undefined,
    file: 'geo.allowLoopback',
  },
  {
    key: 'rateLimitMax',
    env: 'WEEBUM_RATE_LIMIT_MAX',
    schema: integerText.pipe(z.number().min(1).max(1_000_000)),
    message: 'must be an integer 1-1000000 (requests per source address and window)',
    fallback: 600,
    file: 'rateLimit.max',
  },
  {
    key: 'rateLimitStrictMax',
    env: 'WEEBUM_RATE_LIMIT_STRICT_MAX',
    schema: integerText.pipe(z.number().min(1).max(1_000_000)),
    message: 'must be an integer 1-1000000 (sign-in requests per source address and window)',
    fallback: 20,
    file: 'rateLimit.strictMax',
  },
  {
    key: 'rateLimitWindowSeconds',
    env: 'WEEBUM_RATE_LIMIT_WINDOW_SECONDS',
    schema: integerText.pipe(z.number().min(1).max(3600)),
    message: 'must be an integer 1-3600',
    fallback: 60,
    file: 'rateLimit.windowSeconds',
  },
  {
    key: 'metricsHost',
    env: 'WEEBUM_METRICS_HOST',
    schema: z.string().refine((h) => isIP(h) !== 0),
    message: 'must be an IP address (keep it private, e.g. 127.0.0.1)',
    fallback: '127.0.0.1',
    file: 'metrics.host',
  },
  {
    key: 'metricsPort',
    env: 'WEEBUM_METRICS_PORT',
    schema: z.union([
      z.literal('').transform(() => undefined),
      integerText.pipe(z.number().min(0).max(65535)),
    ]),
    message: 'must be an integer 1-65535 (or 0 for any free port; empty: no metrics listener)',
    fallback: undefined,
    file: 'metrics.port',
  },
  {
    key: 's3Endpoint',
    env: 'WEEBUM_S3_ENDPOINT',
    schema: z.union([
      z.literal('').transform(() => undefined),
      z.string().regex(/^https?:\/\/\S+$/),
    ]),
    message: 'must be an http:// or https:// URL (empty: the AWS endpoint of the region)',
    fallback: undefined,
    file: 'blobs.s3.endpoint',
  },
  {
    key: 's3Region',
    env: 'WEEBUM_S3_REGION',
    schema: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/),
    message: 'must be a region name like ap-northeast-1',
    fallback: undefined,
    file: 'blobs.s3.region',
  },
  {
    key: 's3Bucket',
    env: 'WEEBUM_S3_BUCKET',
    schema: z.union([
      z.literal('').transform(() => undefined),
      z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/),
    ]),
    message: 'must be an S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)',
    fallback: undefined,
    file: 'blobs.s3.bucket',
  },
  {
    key: 's3ForcePathStyle',
    env: 'WEEBUM_S3_FORCE_PATH_STYLE',
    schema: booleanText,
    message: 'must be true or false',
    fallback: false,
    file: 'blobs.s3.forcePathStyle',
  },
  {
    key: 's3KmsKeyId',
    env: 'WEEBUM_S3_KMS_KEY_ID',
    schema: z.union([
      z.literal('').transform(() => undefined),
      z
        .string()
        .regex(
          /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+|alias\/[A-Za-z0-9/_-]+|(mrk-)?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12})$/,
        ),
    ]),
    message: 'must be a KMS key id, key ARN, alias/<name> or alias ARN (empty: SSE-S3)',
    fallback: undefined,
    file: 'blobs.s3.kmsKeyId',
  },
  {
    key: 'smtpUrl',
    env: 'WEEBUM_SMTP_URL',
    schema: z.union([
      z.literal('').transform(() => undefined),
      z.string().regex(/^smtps?:\/\/\S+$/),
    ]),
    message: 'must be an smtp:// or smtps:// URL',
    fallback: undefined,
    file: 'mail.smtpUrl',
    secret: true,
  },
  {
    key: 'mailFrom',
    env: 'WEEBUM_MAIL_FROM',
    schema: nonEmpty.refine((v) => /^[^\r\n]+@[^\r\n]+$/.test(v)),
    message: 'must be a sender address, e.g. "Weebum <notice@example.jp>"',
    fallback: 'Weebum <notice@weebum.invalid>',
    file: 'mail.from',
  },
];

const fileKeyOf = (field: Field<keyof FieldValues>): string => field.file ?? field.key;

/** Keys a config file may hold, as a tree: sections (`tls`, `geo`, `blobs.s3`, ...) nest. */
type KeyTree = Map<string, KeyTree>;
const FILE_TREE: KeyTree = new Map();
for (const field of FIELDS) {
  let node = FILE_TREE;
  for (const part of fileKeyOf(field).split('.')) {
    const next = node.get(part) ?? new Map<string, KeyTree>();
    node.set(part, next);
    node = next;
  }
}

/** Unknown keys under `values` (dotted), or the first section that is not an object. */
function checkKeys(
  values: Record<string, unknown>,
  tree: KeyTree,
  prefix: string,
): { unknown: string[]; notObject?: string } {
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const node = tree.get(key);
    const path = `${prefix}${key}`;
    if (node === undefined) {
      unknown.push(path);
      continue;
    }
    if (node.size === 0 || value === undefined) continue;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return {
        unknown,
        notObject: `"${path}" must be an object with ${[...node.keys()].join(', ')}`,
      };
    }
    const nested = checkKeys(value as Record<string, unknown>, node, `${path}.`);
    if (nested.notObject !== undefined) return nested;
    unknown.push(...nested.unknown);
  }
  return { unknown };
}

export interface ConfigSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative paths (data dir, files) resolve against this. */
  readonly cwd: string;
  /** Injected so tests need no files; defaults to reading from disk. */
  readonly readFile?: (path: string) => string;
}

/**
 * Defaults, then the JSON file named by WEEBUM_CONFIG, then the environment. Every bad value
 * is reported, one line each, naming where it came from; nothing is echoed for secrets.
 */
export function loadConfig(sources: ConfigSources): Result<ServerConfig> {
  const problems: string[] = [];
  const fileResult = readConfigFile(sources);
  if (!fileResult.ok) return fileResult;
  const { values: file, label: fileLabel } = fileResult.value;

  const values: Partial<Record<keyof FieldValues, unknown>> = {};
  for (const field of FIELDS) {
    const envValue = sources.env[field.env];
    const fileValue = fileValueOf(file, fileKeyOf(field));
    let raw: unknown;
    let where: string;
    if (envValue !== undefined) {
      raw = envValue;
      where = field.env;
    } else if (fileValue !== undefined) {
      raw = fileValue;
      where = `${fileKeyOf(field)} in ${fileLabel}`;
    } else {
      values[field.key] = field.fallback;
      continue;
    }
    const parsed = field.schema.safeParse(raw);
    if (parsed.success) {
      values[field.key] = parsed.data;
    } else {
      const got = field.secret ? 'value not shown' : `got ${JSON.stringify(raw)}`;
      problems.push(`${where}: ${field.message} (${got})`);
    }
  }
  if (problems.length > 0) return configError(problems);

  const v = values as FieldValues;
  if ((v.tlsCertFile === undefined) !== (v.tlsKeyFile === undefined)) {
    problems.push('WEEBUM_TLS_CERT_FILE and WEEBUM_TLS_KEY_FILE: set both or neither');
  }
  if (v.behindProxy && v.trustedProxies.length === 0) {
    problems.push(
      'WEEBUM_TRUSTED_PROXIES: required when WEEBUM_BEHIND_PROXY is true (the proxy addresses)',
    );
  }
  if (v.behindProxy && v.tlsCertFile !== undefined) {
    problems.push(
      'WEEBUM_BEHIND_PROXY: the server speaks plain HTTP behind a proxy; remove the TLS certificate settings or the proxy setting',
    );
  }
  if (v.metricsPort !== undefined && v.metricsPort !== 0 && v.metricsPort === v.port) {
    problems.push('WEEBUM_METRICS_PORT: must differ from WEEBUM_PORT (metrics are never public)');
  }
  if (problems.length > 0) return configError(problems);

  const absolute = (p: string) => (isAbsolute(p) ? p : resolve(sources.cwd, p));
  return ok({
    dataDir: absolute(v.dataDir),
    host: v.host,
    port: v.port,
    databaseUrl: v.databaseUrl,
    tls:
      v.tlsCertFile !== undefined && v.tlsKeyFile !== undefined
        ? { certFile: absolute(v.tlsCertFile), keyFile: absolute(v.tlsKeyFile) }
        : undefined,
    behindProxy: v.behindProxy,
    trustedProxies: v.trustedProxies,
    storageRegion: v.storageRegion,
    bodyLimitBytes: v.bodyLimitBytes,
    logLevel: v.logLevel,
    geo: {
      allowedCountries: v.geoAllowedCountries,
      allowCidrs: v.geoAllowCidrs,
      allowUnknown: v.geoAllowUnknown,
      allowLoopback: v.geoAllowLoopback ?? !v.behindProxy,
    },
    rateLimit: {
      max: v.rateLimitMax,
      strictMax: v.rateLimitStrictMax,
      windowSeconds: v.rateLimitWindowSeconds,
    },
    metrics: { host: v.metricsHost, port: v.metricsPort },
    blobs: {
      s3:
        v.s3Bucket === undefined
          ? undefined
          : {
              endpoint: v.s3Endpoint,
              region: v.s3Region ?? v.storageRegion,
              bucket: v.s3Bucket,
              forcePathStyle: v.s3ForcePathStyle,
              kmsKeyId: v.s3KmsKeyId,
            },
    },
    mail: { smtpUrl: v.smtpUrl, from: v.mailFrom },
  });
}

function configError(problems: readonly string[]): Result<never> {
  return err({ code: 'config_invalid', message: problems.join('\n') });
}

function fileValueOf(file: Record<string, unknown>, path: string): unknown {
  let value: unknown = file;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function readConfigFile(
  sources: ConfigSources,
): Result<{ values: Record<string, unknown>; label: string }> {
  const name = sources.env['WEEBUM_CONFIG'];
  if (name === undefined || name === '') return ok({ values: {}, label: '' });
  const path = isAbsolute(name) ? name : resolve(sources.cwd, name);
  const fail = (why: string): Result<never, AppError> =>
    err({ code: 'config_invalid', message: `WEEBUM_CONFIG: ${why} (${path})` });
  let text: string;
  try {
    text = (sources.readFile ?? ((p: string) => readFileSync(p, 'utf8')))(path);
  } catch {
    return fail('cannot read the file');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail('the file is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fail('the file must hold a JSON object');
  }
  const values = parsed as Record<string, unknown>;
  // A misspelt key would otherwise be ignored silently and a default used instead.
  const checked = checkKeys(values, FILE_TREE, '');
  if (checked.notObject !== undefined) return fail(checked.notObject);
  const unknownKeys = checked.unknown;
  if (unknownKeys.length > 0) return fail(`unknown keys: ${unknownKeys.join(', ')}`);
  return ok({ values, label: path });
}
