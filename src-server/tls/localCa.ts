import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

/**
 * A development certificate authority in `<dataDir>/tls`, made on first start and reused after.
 * Clients trust `ca.pem` explicitly; nothing is added to any system trust store.
 */
export interface LocalCaFiles {
  readonly caCertFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

const SERVER_NAMES = ['localhost'] as const;
const SERVER_ADDRESSES = ['127.0.0.1', '::1'] as const;
const DAY_MS = 24 * 60 * 60 * 1000;
const CA_LIFETIME_DAYS = 3650;
// Clients (Apple's, for one) reject leaf certificates valid for more than 398 days.
const SERVER_LIFETIME_DAYS = 397;
const RENEW_BEFORE_DAYS = 30;

export function ensureLocalCa(dataDir: string, now: Date = new Date()): LocalCaFiles {
  const dir = join(dataDir, 'tls');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = {
    caCertFile: join(dir, 'ca.pem'),
    caKeyFile: join(dir, 'ca-key.pem'),
    certFile: join(dir, 'server.pem'),
    keyFile: join(dir, 'server-key.pem'),
  };

  let caCert: forge.pki.Certificate;
  let caKey: forge.pki.rsa.PrivateKey;
  if (existsSync(files.caCertFile) && existsSync(files.caKeyFile)) {
    caCert = forge.pki.certificateFromPem(readFileSync(files.caCertFile, 'utf8'));
    caKey = forge.pki.privateKeyFromPem(readFileSync(files.caKeyFile, 'utf8'));
  } else {
    const made = makeCa(now);
    caCert = made.cert;
    caKey = made.key;
    writeAtomically(files.caKeyFile, forge.pki.privateKeyToPem(caKey), 0o600);
    writeAtomically(files.caCertFile, forge.pki.certificateToPem(caCert), 0o644);
  }

  if (!serverCertUsable(files, caCert, now)) {
    const server = makeServerCert(caCert, caKey, now);
    writeAtomically(files.keyFile, forge.pki.privateKeyToPem(server.key), 0o600);
    writeAtomically(files.certFile, forge.pki.certificateToPem(server.cert), 0o644);
  }
  // Tighten modes even on files an older run or a user left readable.
  chmodSync(files.caKeyFile, 0o600);
  chmodSync(files.keyFile, 0o600);
  return { caCertFile: files.caCertFile, certFile: files.certFile, keyFile: files.keyFile };
}

/** node:crypto makes the key (fast, native); forge, which cannot make EC certificates, signs. */
function newRsaKey(): forge.pki.rsa.PrivateKey {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return forge.pki.privateKeyFromPem(privateKey);
}

function publicKeyOf(key: forge.pki.rsa.PrivateKey): forge.pki.rsa.PublicKey {
  return forge.pki.setRsaPublicKey(key.n, key.e);
}

/** Random positive serial (RFC 5280: at most 20 octets, and positive). */
const serialNumber = (): string => {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
};

function makeCa(now: Date): { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } {
  const key = newRsaKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKeyOf(key);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(now.getTime() - DAY_MS);
  cert.validity.notAfter = new Date(now.getTime() + CA_LIFETIME_DAYS * DAY_MS);
  const subject = [
    { name: 'commonName', value: `Weebum Cloud development CA ${serialNumber().slice(0, 8)}` },
    { name: 'organizationName', value: 'Weebum (development only)' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return { cert, key };
}

function makeServerCert(
  caCert: forge.pki.Certificate,
  caKey: forge.pki.rsa.PrivateKey,
  now: Date,
): { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } {
  const key = newRsaKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKeyOf(key);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(now.getTime() - DAY_MS);
  cert.validity.notAfter = new Date(now.getTime() + SERVER_LIFETIME_DAYS * DAY_MS);
  cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        ...SERVER_NAMES.map((value) => ({ type: 2, value })),
        ...SERVER_ADDRESSES.map((ip) => ({ type: 7, ip })),
      ],
    },
    { name: 'subjectKeyIdentifier' },
    {
      name: 'authorityKeyIdentifier',
      keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes(),
    },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { cert, key };
}

/** Reuse the server certificate while it is signed by our CA, covers our names, and is fresh. */
function serverCertUsable(
  files: { certFile: string; keyFile: string; caCertFile: string },
  caCert: forge.pki.Certificate,
  now: Date,
): boolean {
  if (!existsSync(files.certFile) || !existsSync(files.keyFile)) return false;
  try {
    const cert = new X509Certificate(readFileSync(files.certFile));
    const ca = new X509Certificate(forge.pki.certificateToPem(caCert));
    const renewAt = new Date(cert.validTo).getTime() - RENEW_BEFORE_DAYS * DAY_MS;
    return (
      cert.verify(ca.publicKey) &&
      now.getTime() < renewAt &&
      SERVER_NAMES.every((n) => cert.checkHost(n) !== undefined) &&
      SERVER_ADDRESSES.every((ip) => cert.checkIP(ip) !== undefined)
    );
  } catch {
    return false;
  }
}

/** Temp file then rename: a crash never leaves half a key, and the mode is set on creation. */
function writeAtomically(path: string, content: string, mode: number): void {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, content, { mode, flag: 'wx' });
  renameSync(temp, path);
}
