/**
 * bench:merge: 3-way merge of a 500-element page (DESIGN.md: sync merges on every 412).
 * Target: p50 under 5 ms. Baseline, same run: structuredClone of the same page, i.e. the cost
 * of merely copying the document once.
 *
 * The pages are built deterministically (seeded PRNG) from one base: both sides move, resize,
 * re-crop, retype, delete and add elements; remote also reorders a few and changes the
 * background; some edits overlap so that the merge reports real conflicts of every kind.
 *
 * `BENCH_SMOKE=1` or `--smoke`: 20 elements and a few iterations (for bench/smoke.test.ts).
 */
import { mergePage } from '../src-shared/merge/mergePage.js';
import {
  DEFAULT_PLACEMENT,
  PAGE_SCHEMA_VERSION,
  type Element,
  type Page,
} from '../src-shared/model/page.js';
import { parsePage } from '../src-shared/model/parse.js';
import { isSmoke, measure, writeReport } from './lib/report.js';

const smoke = isSmoke();
const ELEMENTS = smoke ? 20 : 500;
const ITERATIONS = smoke ? 10 : 2000;
const TARGET_MS = 5;

/** mulberry32: a small seeded PRNG, so every run merges the same pages. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(0x5eed);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const round1 = (n: number): number => Math.round(n * 10) / 10;

function makeElement(id: string): Element {
  const common = {
    id,
    x: round1(random() * 180),
    y: round1(random() * 260),
    width: round1(20 + random() * 80),
    height: round1(20 + random() * 60),
    rotation: 0,
    locked: random() < 0.1,
  };
  const r = random();
  if (r < 0.6) {
    return {
      ...common,
      kind: 'image',
      photoId: `photo-${Math.floor(random() * 5000)}`,
      placement: { ...DEFAULT_PLACEMENT, scale: round1(1 + random()) },
    };
  }
  if (r < 0.85) {
    return {
      ...common,
      kind: 'text',
      text: pick([
        '6年1組',
        '修学旅行 京都・奈良',
        '思い出の運動会',
        '山田 太郎',
        '卒業おめでとう',
      ]),
      fontFamily: pick(['IPAexGothic', 'IPAexMincho'] as const),
      sizePt: pick([9, 10.5, 12, 18, 24]),
      color: '#1a1a1a',
      align: pick(['start', 'center', 'end'] as const),
      lineHeight: 1.4,
      vertical: random() < 0.3,
    };
  }
  return {
    ...common,
    kind: 'shape',
    shape: pick(['rect', 'ellipse', 'line'] as const),
    fill: random() < 0.5 ? null : '#f4e3c1',
    stroke: { color: '#c0392b', widthMm: 0.3 },
  };
}

function makeBase(count: number): Page {
  return {
    schemaVersion: PAGE_SCHEMA_VERSION,
    id: 'page-12',
    albumId: 'album-2026',
    index: 12,
    version: 41,
    background: { kind: 'color', color: '#ffffff' },
    elements: Array.from({ length: count }, (_, i) => makeElement(`el-${i}`)),
  };
}

/** One side's edits, touching roughly `share` of the elements each way. */
function edit(base: Page, side: 'local' | 'remote', share: number): Page {
  const elements: Element[] = [];
  for (const element of base.elements) {
    const r = random();
    if (r < share * 0.1) continue; // deleted
    if (r < share) {
      const e: Element = { ...element };
      const what = random();
      if (what < 0.4) {
        e.x = round1(e.x + 5);
        e.y = round1(e.y - 3);
      } else if (what < 0.6) {
        e.width = round1(e.width * 1.1);
      } else if (e.kind === 'image') {
        e.placement = { ...e.placement, offsetXMm: round1(random() * 10 - 5) };
        if (side === 'remote' && what > 0.9) e.photoId = `photo-${Math.floor(random() * 5000)}`;
      } else if (e.kind === 'text') {
        e.text = `${e.text}（${side}）`;
      } else {
        e.locked = !e.locked;
      }
      elements.push(e);
      continue;
    }
    elements.push(element);
  }
  const additions = Math.max(1, Math.round(base.elements.length * share * 0.2));
  for (let i = 0; i < additions; i++) {
    const at = Math.floor(random() * (elements.length + 1));
    elements.splice(at, 0, makeElement(`${side}-new-${i}`));
  }
  if (side === 'remote') {
    // Bring a few elements to the front (end of the list), as a designer does.
    for (let i = 0; i < Math.max(1, Math.round(elements.length * 0.01)); i++) {
      const [moved] = elements.splice(Math.floor(random() * elements.length), 1);
      if (moved) elements.push(moved);
    }
  }
  return {
    ...base,
    version: side === 'remote' ? base.version + 3 : base.version,
    background: side === 'remote' ? { kind: 'color', color: '#fdf6e3' } : base.background,
    elements,
  };
}

function valid(page: Page): Page {
  const parsed = parsePage(page);
  if (!parsed.ok) throw new Error(`bench page is invalid: ${parsed.error.message}`);
  return parsed.value;
}

const base = valid(makeBase(ELEMENTS));
const local = valid(edit(base, 'local', 0.2));
const remote = valid(edit(base, 'remote', 0.2));

const result = mergePage(base, local, remote);
valid(result.merged);
const conflictsByKind: Record<string, number> = {};
for (const c of result.conflicts) conflictsByKind[c.kind] = (conflictsByKind[c.kind] ?? 0) + 1;

const warmup = Math.ceil(ITERATIONS / 4);
const merge = measure(() => mergePage(base, local, remote), { iterations: ITERATIONS, warmup });
const clone = measure(() => structuredClone(remote), { iterations: ITERATIONS, warmup });

console.log(
  `merge of ${base.elements.length} elements (local ${local.elements.length}, remote ${remote.elements.length} -> ${result.merged.elements.length}), ` +
    `${result.conflicts.length} conflicts ${JSON.stringify(conflictsByKind)}; ` +
    `merge p50 ${merge.p50.toFixed(3)} ms p95 ${merge.p95.toFixed(3)} ms; ` +
    `clone p50 ${clone.p50.toFixed(3)} ms p95 ${clone.p95.toFixed(3)} ms`,
);

writeReport({
  name: 'merge',
  metric: 'p50_ms',
  value: merge.p50,
  unit: 'ms',
  target: { op: '<', value: TARGET_MS },
  baseline: { what: 'clone_p50_ms', value: clone.p50 },
  ratio: merge.p50 / clone.p50,
  smoke,
  extra: {
    elements: {
      base: base.elements.length,
      local: local.elements.length,
      remote: remote.elements.length,
      merged: result.merged.elements.length,
    },
    conflicts: result.conflicts.length,
    conflictsByKind,
    merge,
    clone,
  },
});
