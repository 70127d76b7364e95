import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureLocalCa } from './localCa.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'weebum-ca-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o777;

describe('ensureLocalCa', () => {
  it('makes a CA and a server certificate for localhost, 127.0.0.1 and ::1', () => {
    const dataDir = tempDir();
    const files = ensureLocalCa(dataDir);
    const ca = new X509Certificate(readFileSync(files.caCertFile));
    const cert = new X509Certificate(readFileSync(files.certFile));
    expect(ca.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('::1')).toBe('::1');
    expect(cert.checkHost('example.com')).toBeUndefined();
    expect(mode(files.keyFile)).toBe(0o600);
    expect(mode(join(dataDir, 'tls', 'ca-key.pem'))).toBe(0o600);
    expect(mode(join(dataDir, 'tls'))).toBe(0o700);
  });

  it('reuses its files on later starts', () => {
    const dataDir = tempDir();
    const first = ensureLocalCa(dataDir);
    const before = [first.caCertFile, first.certFile, first.keyFile].map((f) => readFileSync(f));
    const second = ensureLocalCa(dataDir);
    const after = [second.caCertFile, second.certFile, second.keyFile].map((f) => readFileSync(f));
    expect(after).toEqual(before);
  });

  it('renews a server certificate near its end, under the same CA', () => {
    const dataDir = tempDir();
    const first = ensureLocalCa(dataDir);
    const caBefore = readFileSync(first.caCertFile);
    const certBefore = readFileSync(first.certFile);
    const later = new Date(Date.now() + 380 * 24 * 60 * 60 * 1000);
    const renewed = ensureLocalCa(dataDir, later);
    expect(readFileSync(renewed.caCertFile)).toEqual(caBefore);
    expect(readFileSync(renewed.certFile)).not.toEqual(certBefore);
    const cert = new X509Certificate(readFileSync(renewed.certFile));
    expect(cert.verify(new X509Certificate(caBefore).publicKey)).toBe(true);
    expect(new Date(cert.validTo).getTime()).toBeGreaterThan(later.getTime());
  });
});
