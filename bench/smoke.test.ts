/**
 * Runs every bench (bench/*.bench.ts) on tiny input so that benches do not rot. Checks the
 * convention (DESIGN.md "Performance targets"), never a timing: an npm script `bench:<name>`
 * runs `tsx bench/<name>.bench.ts`, the bench writes `<name>.json`, and its last line is
 * `bench <name>: <metric>=<value> target <op><value> baseline <what>=<value>`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { formatNumber } from './lib/report.js';

const run = promisify(execFile);
const benchDir = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = join(benchDir, '..');
const benches = readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.slice(0, -'.bench.ts'.length))
  .sort();
const scripts = (
  JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

const NUMBER = String.raw`-?\d+(?:\.\d+)?(?:e[-+]?\d+)?`;
const lineFormat = (name: string) =>
  new RegExp(
    String.raw`^bench ${name}: ([a-z][a-z0-9_]*)=(${NUMBER}) target (<=|>=|<|>)(${NUMBER}) baseline ([a-z][a-z0-9_]*)=(${NUMBER})$`,
  );

const resultsDir = mkdtempSync(join(tmpdir(), 'weebum-bench-smoke-'));
afterAll(() => rmSync(resultsDir, { recursive: true, force: true }));

describe('benches (smoke: tiny input, no timing)', () => {
  it('finds the benches', () => {
    expect(benches).toContain('merge');
  });

  it.each(benches)(
    'bench:%s follows the convention',
    async (name) => {
      expect(scripts[`bench:${name}`]).toBe(`tsx bench/${name}.bench.ts`);

      const { stdout } = await run(
        process.execPath,
        ['--import', 'tsx', join('bench', `${name}.bench.ts`), '--smoke'],
        {
          cwd: repoRoot,
          env: { ...process.env, BENCH_SMOKE: '1', BENCH_RESULTS_DIR: resultsDir },
          timeout: 120_000,
          maxBuffer: 16 * 1024 * 1024,
        },
      );
      const lines = stdout.trimEnd().split('\n');
      const last = lines[lines.length - 1] ?? '';
      const match = lineFormat(name).exec(last);
      expect(match, `last line of bench:${name} was: ${last}`).not.toBeNull();
      const [, metric, value, op, target, what, baseline] = match!;

      const report = JSON.parse(readFileSync(join(resultsDir, `${name}.json`), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(report).toMatchObject({
        name,
        metric,
        target: { op, value: Number(target) },
        baseline: { what },
        smoke: true,
        line: last,
      });
      expect(typeof report.value).toBe('number');
      expect(Number.isFinite(report.value)).toBe(true);
      expect(Number.isFinite(report.ratio)).toBe(true);
      expect(value).toBe(formatNumber(report.value as number));
      expect(baseline).toBe(formatNumber((report.baseline as { value: number }).value));
    },
    150_000,
  );
});
