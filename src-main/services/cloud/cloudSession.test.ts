import { readFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditApi } from '../../../src-shared/cloud/audit.js';
import { meApi } from '../../../src-shared/cloud/me.js';
import {
  disposeCloudProcess,
  startCloudProcess,
  type CloudProcess,
} from '../../testing/cloudProcess.js';
import { CloudError } from './cloudError.js';
import { createCloudSession, type RefreshTokenStore } from './cloudSession.js';
import { createHttpsTransport } from './httpsTransport.js';

/** An in-memory token store: the keychain itself is tested in credentials/. */
function memoryTokens(): RefreshTokenStore & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  const key = (s: string, l: string) => `${s}|${l}`;
  return {
    entries,
    get: (s, l) => Promise.resolve(entries.get(key(s, l)) ?? null),
    set: (s, l, t) => Promise.resolve(void entries.set(key(s, l), t)),
    delete: (s, l) => Promise.resolve(void entries.delete(key(s, l))),
  };
}

const codeOf = async (work: Promise<unknown>): Promise<string> => {
  try {
    await work;
    return 'no error';
  } catch (error) {
    return error instanceof CloudError ? error.code : String(error);
  }
};

/**
 * An HTTPS server with the cloud's own certificate in front of it: every request goes through
 * to the real cloud, and the answers to `path` are rewritten by `rewrite` on the way back.
 */
async function rewritingProxy(
  cloud: CloudProcess,
  path: string,
  rewrite: (json: Record<string, unknown>) => unknown,
): Promise<{ url: string; server: Server }> {
  const tls = join(cloud.dataDir, 'tls');
  const server = createServer({
    cert: await readFile(join(tls, 'server.pem')),
    key: await readFile(join(tls, 'server-key.pem')),
  });
  server.on('request', (incoming, outgoing) => {
    const upstream = request(
      new URL(incoming.url ?? '/', cloud.url),
      { method: incoming.method, headers: incoming.headers, ca: cloud.ca },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          let body = Buffer.concat(chunks);
          if (incoming.url === path) {
            const json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
            body = Buffer.from(JSON.stringify(rewrite(json)));
          }
          const headers = { ...answer.headers, 'content-length': String(body.length) };
          outgoing.writeHead(answer.statusCode ?? 502, headers).end(body);
        });
      },
    );
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `https://127.0.0.1:${port}`, server };
}

describe('cloud session against a real Weebum Cloud', () => {
  let cloud: CloudProcess;
  const password = 'sakura-operator-2026';
  beforeAll(async () => {
    cloud = await startCloudProcess();
  }, 120_000);
  afterAll(async () => {
    await disposeCloudProcess(cloud);
  });

  it('signs in with the temporary password, is made to change it, and keeps only the refresh token', async () => {
    const tokens = memoryTokens();
    const transport = createHttpsTransport({ baseUrl: cloud.url, ca: cloud.ca });
    const session = createCloudSession({ transport, tokens });
    try {
      const first = await session.signIn(cloud.operator.loginId, cloud.operator.temporaryPassword);
      expect(first.passwordChangeRequired).toBe(true);
      expect(await codeOf(session.call(auditApi.list))).toBe('password_change_required');
      const changed = await session.changePassword(cloud.operator.temporaryPassword, password);
      expect(changed).toMatchObject({ role: 'operator', passwordChangeRequired: false });
      const stored = [...tokens.entries.values()];
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatch(/^wrt_/);
      expect((await session.call(auditApi.list)).events.length).toBeGreaterThan(0);
    } finally {
      transport.close();
    }
  });

  it('resumes from the stored refresh token, rotating it', async () => {
    const tokens = memoryTokens();
    const transport = createHttpsTransport({ baseUrl: cloud.url, ca: cloud.ca });
    try {
      const first = createCloudSession({ transport, tokens });
      await first.signIn(cloud.operator.loginId, password);
      const before = [...tokens.entries.values()][0];
      const second = createCloudSession({ transport, tokens });
      const resumed = await second.resume(cloud.operator.loginId);
      expect(resumed).toMatchObject({ loginId: cloud.operator.loginId, role: 'operator' });
      const after = [...tokens.entries.values()][0];
      expect(after).not.toBe(before);
      // The old refresh token is used up: presenting it again revokes the family.
      tokens.entries.set([...tokens.entries.keys()][0] as string, before as string);
      const third = createCloudSession({ transport, tokens });
      expect(await third.resume(cloud.operator.loginId)).toBeNull();
      expect(tokens.entries.size).toBe(0);
      expect(await codeOf(second.call(meApi.get))).toMatch(
        /unauthenticated|session_expired|signed_out/,
      );
      await second.signOut();
    } finally {
      transport.close();
    }
  });

  it('tells the user why: wrong password, untrusted certificate, server down, plain http', async () => {
    const tokens = memoryTokens();
    const trusted = createHttpsTransport({ baseUrl: cloud.url, ca: cloud.ca });
    const untrusted = createHttpsTransport({ baseUrl: cloud.url });
    const nowhere = createHttpsTransport({ baseUrl: 'https://127.0.0.1:9', ca: cloud.ca });
    try {
      expect(
        await codeOf(
          createCloudSession({ transport: trusted, tokens }).signIn(
            'operator',
            'wrong-password-123',
          ),
        ),
      ).toBe('invalid_credentials');
      expect(
        await codeOf(
          createCloudSession({ transport: untrusted, tokens }).signIn('operator', password),
        ),
      ).toBe('untrusted_certificate');
      expect(
        await codeOf(
          createCloudSession({ transport: nowhere, tokens }).signIn('operator', password),
        ),
      ).toBe('server_unreachable');
      expect(() => createHttpsTransport({ baseUrl: cloud.url.replace('https', 'http') })).toThrow(
        CloudError,
      );
      expect(tokens.entries.size).toBe(0);
    } finally {
      trusted.close();
      untrusted.close();
      nowhere.close();
    }
  });

  it('fails a reply that breaks its route spec with cloud_protocol, naming the route', async () => {
    // The real server's answer to GET /v1/me, with the role renamed and the id made a number.
    const proxy = await rewritingProxy(cloud, '/v1/me', (me) => ({ ...me, id: 7, role: 'owner' }));
    const transport = createHttpsTransport({ baseUrl: proxy.url, ca: cloud.ca });
    try {
      const session = createCloudSession({ transport, tokens: memoryTokens() });
      await session.signIn(cloud.operator.loginId, password);
      const error = await session.call(meApi.get).then(
        () => null,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(CloudError);
      expect(error).toMatchObject({
        code: 'cloud_protocol',
        status: 200,
        route: 'GET /v1/me',
        message: expect.stringMatching(/^GET \/v1\/me answered 200 with .*id/) as unknown,
      });
      // The other routes still answer through the same proxy.
      expect((await session.call(auditApi.list)).events.length).toBeGreaterThan(0);
    } finally {
      transport.close();
      await new Promise((resolve) => proxy.server.close(resolve));
    }
  });
});
