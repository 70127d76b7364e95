import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Electronegativity (Doyensec's Electron security scanner) over the app's own source: the
 * Electron side and the renderer, without tests and fakes. Every finding must be justified in
 * electronegativity-accepted.json, and every justification must still match a finding.
 * The check that downloads Electron's release list is skipped (no internet in CI).
 */
interface Issue {
  readonly id: string;
  readonly file: string;
  readonly location: { readonly line: number; readonly column: number };
  readonly sample?: string;
}
interface Accepted {
  readonly check: string;
  readonly file: string;
  readonly reason: string;
}
type Run = (
  options: Record<string, unknown>,
  forCli: boolean,
) => Promise<{ issues: Issue[]; errors: unknown[]; atomicChecks: number; globalChecks: number }>;

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity') as Run;
const root = new URL('../../', import.meta.url).pathname;
const skipped = ['AvailableSecurityFixesGlobalCheck'];
const appSource = (src: string) =>
  !src.endsWith('.test.ts') && !src.endsWith('.test.tsx') && basename(src) !== 'testing';

let scanDir: string;
let result: Awaited<ReturnType<Run>>;

beforeAll(async () => {
  scanDir = await mkdtemp(join(tmpdir(), 'weebum-electronegativity-'));
  await cp(join(root, 'src-main/electron'), join(scanDir, 'main'), {
    recursive: true,
    filter: appSource,
  });
  await cp(join(root, 'src-renderer'), join(scanDir, 'renderer'), {
    recursive: true,
    filter: appSource,
  });
  const electron = JSON.parse(
    await readFile(join(root, 'node_modules/electron/package.json'), 'utf8'),
  ) as { version: string };
  result = await run(
    {
      input: scanDir,
      excludeFromScan: skipped,
      isRelative: true,
      electronVersionOverride: electron.version,
      parserPlugins: [],
    },
    false,
  );
}, 120_000);

afterAll(async () => {
  await rm(scanDir, { recursive: true, force: true });
});

describe('electronegativity', () => {
  it('parses every file and runs its checks', () => {
    expect(result.errors).toEqual([]);
    expect(result.atomicChecks).toBeGreaterThan(30);
  });

  it('finds nothing that is not justified in electronegativity-accepted.json', async () => {
    const accepted = JSON.parse(
      await readFile(join(root, 'src-main/electron/electronegativity-accepted.json'), 'utf8'),
    ) as Accepted[];
    for (const entry of accepted) expect(entry.reason.length).toBeGreaterThan(20);
    const key = (check: string, file: string) => `${check} ${file}`;
    const found = [...new Set(result.issues.map((i) => key(i.id, i.file)))].sort();
    expect(found).toEqual(accepted.map((a) => key(a.check, a.file)).sort());
  });
});
