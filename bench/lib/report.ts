/**
 * Shared helpers for benches (docs: DESIGN.md "Performance targets").
 *
 * Convention: each bench is an npm script `bench:<name>` running `tsx bench/<name>.bench.ts`. It
 * runs its baseline in the same run, writes `bench/results/<name>.json`, and prints as its LAST
 * line exactly:
 *
 *     bench <name>: <metric>=<value> target <op><value> baseline <what>=<value>
 *
 * A bench runs on tiny input when `BENCH_SMOKE=1` is set or `--smoke` is passed (the smoke test
 * does this so that benches do not rot; it never looks at timings). `BENCH_RESULTS_DIR`
 * redirects the JSON (the smoke test writes to a temporary folder, not over real results).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

/** True when the bench should run on tiny input (env BENCH_SMOKE=1 or the `--smoke` argument). */
export function isSmoke(argv: readonly string[] = process.argv): boolean {
  const env = process.env.BENCH_SMOKE;
  return (env !== undefined && env !== '' && env !== '0') || argv.includes('--smoke');
}

export interface Timing {
  /** Milliseconds. */
  readonly p50: number;
  readonly p95: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  readonly iterations: number;
}

/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** The last value returned by a measured function: keeps the JIT from dropping the work. */
export let lastResult: unknown;

/** Times `fn` one call at a time with `performance.now()`, after `warmup` untimed calls. */
export function measure(
  fn: () => unknown,
  options: { iterations: number; warmup?: number },
): Timing {
  const warmup = options.warmup ?? Math.ceil(options.iterations / 10);
  for (let i = 0; i < warmup; i++) lastResult = fn();
  const samples: number[] = [];
  for (let i = 0; i < options.iterations; i++) {
    const start = performance.now();
    lastResult = fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const total = samples.reduce((sum, t) => sum + t, 0);
  return {
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    mean: total / samples.length,
    min: samples[0] ?? Number.NaN,
    max: samples[samples.length - 1] ?? Number.NaN,
    iterations: samples.length,
  };
}

export type TargetOp = '<' | '<=' | '>' | '>=';

export interface BenchReport {
  /** The bench's name: `bench:<name>`, `bench/<name>.bench.ts`, `bench/results/<name>.json`. */
  readonly name: string;
  /** Metric name as printed, e.g. `p50_ms`. */
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly target: { readonly op: TargetOp; readonly value: number };
  readonly baseline: { readonly what: string; readonly value: number };
  /** value / baseline.value (or whatever ratio the target is about), recorded in the JSON. */
  readonly ratio: number;
  readonly smoke?: boolean;
  readonly extra?: Record<string, unknown>;
}

/** Numbers as printed: up to 3 decimals, no trailing zeros, no exponent for normal sizes. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 1 : abs >= 1 ? 2 : abs >= 0.01 ? 3 : 5;
  return String(Number(n.toFixed(digits)));
}

export function meetsTarget(value: number, target: BenchReport['target']): boolean {
  switch (target.op) {
    case '<':
      return value < target.value;
    case '<=':
      return value <= target.value;
    case '>':
      return value > target.value;
    case '>=':
      return value >= target.value;
  }
}

/** The one-line summary every bench prints last. */
export function summaryLine(report: BenchReport): string {
  return (
    `bench ${report.name}: ${report.metric}=${formatNumber(report.value)}` +
    ` target ${report.target.op}${formatNumber(report.target.value)}` +
    ` baseline ${report.baseline.what}=${formatNumber(report.baseline.value)}`
  );
}

/** Writes `<results>/<name>.json` and prints the summary line (call it last). */
export function writeReport(report: BenchReport): string {
  const dir = process.env.BENCH_RESULTS_DIR || RESULTS_DIR;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${report.name}.json`);
  const json = {
    ...report,
    smoke: report.smoke ?? isSmoke(),
    met: meetsTarget(report.value, report.target),
    line: summaryLine(report),
    at: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  console.log(json.line);
  return file;
}
