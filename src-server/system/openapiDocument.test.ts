import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/testServer.js';

/**
 * docs/openapi.json is the API reference in the repository, generated from the route schemas.
 * This test fails when it is stale; `npm run docs:openapi` rewrites it.
 */
const DOC = new URL('../../docs/openapi.json', import.meta.url);

describe('the committed OpenAPI document', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ dialect: 'pglite' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('matches what the server generates from its route schemas', async () => {
    const res = await server.request('/v1/openapi.json');
    expect(res.status).toBe(200);
    const generated = { ...(res.json as Record<string, unknown>) };
    // The version comes from package.json at run time; the document is about the shape.
    generated['info'] = { title: 'Weebum Cloud API', version: 'see /v1/about' };
    const text = `${JSON.stringify(generated, null, 2)}\n`;
    if (process.env['UPDATE_OPENAPI'] === '1') await writeFile(DOC, text);
    const committed = await readFile(DOC, 'utf8').catch(() => '');
    expect(committed, 'docs/openapi.json is stale: run npm run docs:openapi').toBe(text);
    expect(Object.keys(generated['paths'] ?? {})).toContain('/v1/auth/sign-in');
  });
});
