import { describe, expect, it } from 'vitest';
import { loadConfig, type ConfigSources } from './config.js';

const load = (env: Record<string, string>, files: Record<string, string> = {}) =>
  loadConfig({
    env,
    cwd: '/srv/weebum',
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error('ENOENT');
      return text;
    },
  } satisfies ConfigSources);

const problems = (result: ReturnType<typeof load>): string[] =>
  result.ok ? [] : result.error.message.split('\n');

describe('loadConfig', () => {
  it('has development defaults', () => {
    const result = load({});
    expect(result).toEqual({
      ok: true,
      value: {
        dataDir: '/srv/weebum/.weebum/cloud',
        host: '127.0.0.1',
        port: 8443,
        databaseUrl: undefined,
        tls: undefined,
        behindProxy: false,
        trustedProxies: [],
        storageRegion: 'ap-northeast-1',
        bodyLimitBytes: 1048576,
        logLevel: 'info',
        geo: { allowedCountries: ['JP'], allowCidrs: [], allowUnknown: false, allowLoopback: true },
        rateLimit: { max: 600, strictMax: 20, windowSeconds: 60 },
        metrics: { host: '127.0.0.1', port: undefined },
        blobs: { s3: undefined },
        mail: { smtpUrl: undefined, from: 'Weebum <notice@weebum.invalid>' },
      },
    });
  });

  it('reads SMTP settings and never echoes the URL (it carries a password)', () => {
    const result = load({
      WEEBUM_SMTP_URL: 'smtps://mailer:secret@mail.example.jp:465',
      WEEBUM_MAIL_FROM: 'Weebum <notice@example.jp>',
    });
    expect(result.ok && result.value.mail).toEqual({
      smtpUrl: 'smtps://mailer:secret@mail.example.jp:465',
      from: 'Weebum <notice@example.jp>',
    });
    const bad = problems(load({ WEEBUM_SMTP_URL: 'http://secret@x' }));
    expect(bad.join('\n')).toMatch(/WEEBUM_SMTP_URL: must be an smtp/);
    expect(bad.join('\n')).not.toMatch(/secret/);
  });

  it('reads S3 settings (three levels deep in the file), else stays on local disk', () => {
    const fromFile = load(
      { WEEBUM_CONFIG: '/s3.json' },
      {
        '/s3.json': JSON.stringify({
          blobs: {
            s3: {
              endpoint: 'http://127.0.0.1:9000',
              bucket: 'weebum-photos',
              forcePathStyle: true,
            },
          },
        }),
      },
    );
    expect(fromFile.ok && fromFile.value.blobs).toEqual({
      s3: {
        endpoint: 'http://127.0.0.1:9000',
        region: 'ap-northeast-1',
        bucket: 'weebum-photos',
        forcePathStyle: true,
        kmsKeyId: undefined,
      },
    });
    const fromEnv = load({ WEEBUM_S3_BUCKET: 'photos-jp', WEEBUM_S3_REGION: 'ap-northeast-3' });
    expect(fromEnv.ok && fromEnv.value.blobs.s3).toMatchObject({
      region: 'ap-northeast-3',
      endpoint: undefined,
      forcePathStyle: false,
    });
    const typo = load(
      { WEEBUM_CONFIG: '/t.json' },
      { '/t.json': JSON.stringify({ blobs: { s3: { bukket: 'x' } } }) },
    );
    expect(typo.ok ? '' : typo.error.message).toBe(
      'WEEBUM_CONFIG: unknown keys: blobs.s3.bukket (/t.json)',
    );
    const bad = load({ WEEBUM_S3_BUCKET: 'Not_A_Bucket' });
    expect(bad.ok ? '' : bad.error.message).toMatch(/^WEEBUM_S3_BUCKET: must be an S3 bucket name/);
  });

  it('reads the KMS key for S3 server-side encryption (absent: SSE-S3)', () => {
    const arn = 'arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    for (const [value, expected] of [
      [arn, arn],
      ['alias/weebum-photos', 'alias/weebum-photos'],
      ['1234abcd-12ab-34cd-56ef-1234567890ab', '1234abcd-12ab-34cd-56ef-1234567890ab'],
      ['', undefined],
    ] as const) {
      const result = load({ WEEBUM_S3_BUCKET: 'photos-jp', WEEBUM_S3_KMS_KEY_ID: value });
      expect(result.ok && result.value.blobs.s3?.kmsKeyId).toBe(expected);
    }
    const fromFile = load(
      { WEEBUM_CONFIG: '/kms.json' },
      {
        '/kms.json': JSON.stringify({
          blobs: { s3: { bucket: 'photos-jp', kmsKeyId: 'alias/weebum-photos' } },
        }),
      },
    );
    expect(fromFile.ok && fromFile.value.blobs.s3?.kmsKeyId).toBe('alias/weebum-photos');
    const bad = load({ WEEBUM_S3_BUCKET: 'photos-jp', WEEBUM_S3_KMS_KEY_ID: 'my key' });
    expect(bad.ok ? '' : bad.error.message).toBe(
      'WEEBUM_S3_KMS_KEY_ID: must be a KMS key id, key ARN, alias/<name> or alias ARN (empty: SSE-S3) (got "my key")',
    );
  });

  it('reads the environment', () => {
    const result = load({
      WEEBUM_DATA_DIR: '/var/lib/weebum',
      WEEBUM_HOST: '0.0.0.0',
      WEEBUM_PORT: '9443',
      DATABASE_URL: 'postgres://weebum:pw@db:5432/weebum',
      WEEBUM_TLS_CERT_FILE: 'tls/cert.pem',
      WEEBUM_TLS_KEY_FILE: '/etc/weebum/key.pem',
      WEEBUM_STORAGE_REGION: 'ap-northeast-3',
    });
    expect(result.ok && result.value).toMatchObject({
      dataDir: '/var/lib/weebum',
      host: '0.0.0.0',
      port: 9443,
      databaseUrl: 'postgres://weebum:pw@db:5432/weebum',
      tls: { certFile: '/srv/weebum/tls/cert.pem', keyFile: '/etc/weebum/key.pem' },
      storageRegion: 'ap-northeast-3',
    });
  });

  it('reports one clear line per bad value', () => {
    const result = load({
      WEEBUM_PORT: 'abc',
      WEEBUM_HOST: 'bad host!',
      WEEBUM_BEHIND_PROXY: 'maybe',
      WEEBUM_TRUSTED_PROXIES: '10.0.0.0/8, 10.1.0.0/33',
      WEEBUM_LOG_LEVEL: 'loud',
    });
    expect(result.ok).toBe(false);
    expect(problems(result)).toEqual([
      'WEEBUM_HOST: must be an IP address or host name (got "bad host!")',
      'WEEBUM_PORT: must be an integer 1-65535 (or 0 for any free port) (got "abc")',
      'WEEBUM_BEHIND_PROXY: must be true or false (got "maybe")',
      'WEEBUM_TRUSTED_PROXIES: must be a comma-separated list of IP addresses or CIDRs (e.g. 10.0.0.0/8) (got "10.0.0.0/8, 10.1.0.0/33")',
      'WEEBUM_LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    ]);
    if (!result.ok) expect(result.error.code).toBe('config_invalid');
  });

  it('rejects out-of-range and fractional ports', () => {
    for (const port of ['65536', '-1', '80.5', '']) {
      expect(problems(load({ WEEBUM_PORT: port }))[0]).toMatch(/^WEEBUM_PORT: must be an integer/);
    }
  });

  it('never echoes a database URL, which may hold a password', () => {
    const result = load({ DATABASE_URL: 'mysql://root:s3cret@db/x' });
    expect(problems(result)).toEqual([
      'DATABASE_URL: must be a postgres:// or postgresql:// URL (value not shown)',
    ]);
  });

  it('checks settings that belong together', () => {
    expect(problems(load({ WEEBUM_TLS_CERT_FILE: 'c.pem' }))).toEqual([
      'WEEBUM_TLS_CERT_FILE and WEEBUM_TLS_KEY_FILE: set both or neither',
    ]);
    expect(problems(load({ WEEBUM_BEHIND_PROXY: 'true' }))[0]).toMatch(
      /^WEEBUM_TRUSTED_PROXIES: required when WEEBUM_BEHIND_PROXY is true/,
    );
    const proxied = load({
      WEEBUM_BEHIND_PROXY: 'true',
      WEEBUM_TRUSTED_PROXIES: '10.0.0.1,fd00::/8',
    });
    expect(proxied.ok && proxied.value.trustedProxies).toEqual(['10.0.0.1', 'fd00::/8']);
  });

  it('reads a JSON file, which the environment overrides', () => {
    const file = JSON.stringify({
      port: 9000,
      host: '10.0.0.5',
      behindProxy: true,
      trustedProxies: ['10.0.0.0/8'],
      storageRegion: 'ap-northeast-3',
    });
    const result = load(
      { WEEBUM_CONFIG: 'weebum.json', WEEBUM_PORT: '9001' },
      { '/srv/weebum/weebum.json': file },
    );
    expect(result.ok && result.value).toMatchObject({
      port: 9001,
      host: '10.0.0.5',
      behindProxy: true,
      trustedProxies: ['10.0.0.0/8'],
    });
  });

  it('names the file and key of a bad file value, and refuses unknown keys', () => {
    const files = {
      '/c.json': JSON.stringify({ port: 'x', tls: { certFile: 'a', keyFile: 'b', pass: 'x' } }),
      '/d.json': JSON.stringify({ prot: 8443 }),
      '/e.json': '{ not json',
    };
    expect(problems(load({ WEEBUM_CONFIG: '/c.json' }, files))).toEqual([
      'WEEBUM_CONFIG: unknown keys: tls.pass (/c.json)',
    ]);
    expect(problems(load({ WEEBUM_CONFIG: '/d.json' }, files))).toEqual([
      'WEEBUM_CONFIG: unknown keys: prot (/d.json)',
    ]);
    expect(problems(load({ WEEBUM_CONFIG: '/e.json' }, files))).toEqual([
      'WEEBUM_CONFIG: the file is not valid JSON (/e.json)',
    ]);
    expect(problems(load({ WEEBUM_CONFIG: '/missing.json' }, files))).toEqual([
      'WEEBUM_CONFIG: cannot read the file (/missing.json)',
    ]);
    const badValue = { '/f.json': JSON.stringify({ port: 'x' }) };
    expect(problems(load({ WEEBUM_CONFIG: '/f.json' }, badValue))).toEqual([
      'port in /f.json: must be an integer 1-65535 (or 0 for any free port) (got "x")',
    ]);
  });

  it('reads geo, rate limit and metrics settings from the environment and the file', () => {
    const fromEnv = load({
      WEEBUM_GEO_ALLOWED_COUNTRIES: 'jp, kr',
      WEEBUM_GEO_ALLOW_CIDRS: '203.0.113.0/24,2001:db8::/32',
      WEEBUM_GEO_ALLOW_UNKNOWN: 'true',
      WEEBUM_RATE_LIMIT_MAX: '1200',
      WEEBUM_RATE_LIMIT_STRICT_MAX: '10',
      WEEBUM_RATE_LIMIT_WINDOW_SECONDS: '30',
      WEEBUM_METRICS_PORT: '9464',
    });
    expect(fromEnv.ok && fromEnv.value).toMatchObject({
      geo: {
        allowedCountries: ['JP', 'KR'],
        allowCidrs: ['203.0.113.0/24', '2001:db8::/32'],
        allowUnknown: true,
      },
      rateLimit: { max: 1200, strictMax: 10, windowSeconds: 30 },
      metrics: { host: '127.0.0.1', port: 9464 },
    });
    const file = JSON.stringify({
      geo: { allowCidrs: ['198.51.100.0/24'] },
      rateLimit: { strictMax: 5 },
      metrics: { host: '10.0.0.5', port: 9100 },
    });
    const fromFile = load({ WEEBUM_CONFIG: '/g.json' }, { '/g.json': file });
    expect(fromFile.ok && fromFile.value).toMatchObject({
      geo: {
        allowedCountries: ['JP'],
        allowCidrs: ['198.51.100.0/24'],
        allowUnknown: false,
        allowLoopback: true,
      },
      rateLimit: { max: 600, strictMax: 5, windowSeconds: 60 },
      metrics: { host: '10.0.0.5', port: 9100 },
    });
  });

  it('lets loopback in by default only where the server faces clients itself', () => {
    const direct = load({});
    const proxied = load({ WEEBUM_BEHIND_PROXY: 'true', WEEBUM_TRUSTED_PROXIES: '127.0.0.1' });
    const proxiedButAllowed = load({
      WEEBUM_BEHIND_PROXY: 'true',
      WEEBUM_TRUSTED_PROXIES: '127.0.0.1',
      WEEBUM_GEO_ALLOW_LOOPBACK: 'true',
    });
    const directButClosed = load(
      { WEEBUM_CONFIG: '/l.json' },
      { '/l.json': JSON.stringify({ geo: { allowLoopback: false } }) },
    );
    expect(
      [direct, proxied, proxiedButAllowed, directButClosed].map(
        (r) => r.ok && r.value.geo.allowLoopback,
      ),
    ).toEqual([true, false, true, false]);
  });

  it('reports bad geo, rate limit and metrics values one line each', () => {
    expect(
      problems(
        load({
          WEEBUM_GEO_ALLOWED_COUNTRIES: 'JP,Japan',
          WEEBUM_GEO_ALLOW_CIDRS: '10.0.0.0/33',
          WEEBUM_GEO_ALLOW_UNKNOWN: 'sometimes',
          WEEBUM_RATE_LIMIT_MAX: '0',
          WEEBUM_RATE_LIMIT_WINDOW_SECONDS: '1h',
          WEEBUM_METRICS_HOST: 'metrics.example',
        }),
      ),
    ).toEqual([
      'WEEBUM_GEO_ALLOWED_COUNTRIES: must be a comma-separated list of two-letter country codes (e.g. JP) (got "JP,Japan")',
      'WEEBUM_GEO_ALLOW_CIDRS: must be a comma-separated list of CIDRs (e.g. 203.0.113.0/24) (got "10.0.0.0/33")',
      'WEEBUM_GEO_ALLOW_UNKNOWN: must be true or false (got "sometimes")',
      'WEEBUM_RATE_LIMIT_MAX: must be an integer 1-1000000 (requests per source address and window) (got "0")',
      'WEEBUM_RATE_LIMIT_WINDOW_SECONDS: must be an integer 1-3600 (got "1h")',
      'WEEBUM_METRICS_HOST: must be an IP address (keep it private, e.g. 127.0.0.1) (got "metrics.example")',
    ]);
    expect(problems(load({ WEEBUM_METRICS_PORT: '8443' }))).toEqual([
      'WEEBUM_METRICS_PORT: must differ from WEEBUM_PORT (metrics are never public)',
    ]);
    const files = { '/h.json': JSON.stringify({ geo: { allowCidr: [] }, metrics: 9464 }) };
    expect(problems(load({ WEEBUM_CONFIG: '/h.json' }, files))).toEqual([
      'WEEBUM_CONFIG: "metrics" must be an object with host, port (/h.json)',
    ]);
    const typo = { '/i.json': JSON.stringify({ geo: { allowCidr: [] } }) };
    expect(problems(load({ WEEBUM_CONFIG: '/i.json' }, typo))).toEqual([
      'WEEBUM_CONFIG: unknown keys: geo.allowCidr (/i.json)',
    ]);
  });
});
