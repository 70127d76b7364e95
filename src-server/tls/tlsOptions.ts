import { readFileSync } from 'node:fs';
import type { SecureContextOptions } from 'node:tls';
import type { ServerConfig } from '../config.js';
import { ensureLocalCa } from './localCa.js';

/**
 * Mozilla "intermediate" TLS 1.2 suites (forward secret, AEAD only); TLS 1.3 suites are
 * OpenSSL's defaults and all acceptable.
 */
const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

export interface HttpsSetup {
  readonly options: SecureContextOptions & { minVersion: 'TLSv1.2' };
  /** The CA file clients must trust when it is our local CA; undefined for configured certs. */
  readonly localCaFile: string | undefined;
}

export function httpsSetup(config: Pick<ServerConfig, 'tls' | 'dataDir'>): HttpsSetup {
  if (config.tls !== undefined) return { options: options(config.tls), localCaFile: undefined };
  const local = ensureLocalCa(config.dataDir);
  return { options: options(local), localCaFile: local.caCertFile };
}

function options(files: { certFile: string; keyFile: string }): HttpsSetup['options'] {
  return {
    key: readFileSync(files.keyFile),
    cert: readFileSync(files.certFile),
    minVersion: 'TLSv1.2',
    ciphers: TLS12_CIPHERS,
  };
}
