/**
 * bench:sync: a page edit's round trip between two desktop cores through a real Weebum Cloud
 * (child process, embedded PGlite, HTTPS on loopback): core A saves a page and syncs; core B
 * syncs until it sees the edit. p50 and p99 over the edits (DESIGN.md: p50 under 50 ms).
 * Baseline, same run: the round trip of an authenticated `GET /v1/me` on the same connection.
 *
 * `BENCH_SMOKE=1` or `--smoke`: 3 edits. `BENCH_SYNC_EDITS=<n>` for a real run (default 60).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { meApi } from '../src-shared/cloud/me.js';
import { samplePage } from '../src-shared/model/fixtures.js';
import type { Page } from '../src-shared/model/page.js';
import { setUpStudio } from '../src-main/testing/cloudFixture.js';
import { disposeCloudProcess, startCloudProcess } from '../src-main/testing/cloudProcess.js';
import { openSyncCore } from '../src-main/testing/syncCore.js';
import { isSmoke, percentile, writeReport } from './lib/report.js';

const smoke = isSmoke();
const EDITS = smoke ? 3 : Number(process.env.BENCH_SYNC_EDITS ?? 60);
const TARGET_P50_MS = 50;

const withText = (page: Page, text: string): Page => ({
  ...page,
  elements: page.elements.map((e) => (e.kind === 'text' ? { ...e, text } : e)),
});
const textOf = (page: Page): string =>
  page.elements.flatMap((e) => (e.kind === 'text' ? [e.text] : [])).join('');

const root = mkdtempSync(join(tmpdir(), 'weebum-bench-sync-'));
const cloud = await startCloudProcess();
const studio = await setUpStudio(cloud, { designers: ['bench-a', 'bench-b'] });
try {
  const albumId = await studio.createAlbum();
  const a = await openSyncCore({
    dir: join(root, 'a'),
    serverUrl: cloud.url,
    session: await studio.signIn('bench-a'),
  });
  const bSession = await studio.signIn('bench-b');
  const b = await openSyncCore({ dir: join(root, 'b'), serverUrl: cloud.url, session: bSession });
  await a.engine.syncNow();
  a.store.pages.saveLocal(albumId, samplePage({ id: 'bench-page', albumId }));
  await a.engine.syncNow();
  await b.engine.syncNow();

  const roundTrips: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const text = `edit ${i}`;
    const started = performance.now();
    a.store.pages.saveLocal(albumId, withText(a.page(albumId, 'bench-page'), text));
    await a.engine.syncNow();
    for (let tries = 0; textOf(b.page(albumId, 'bench-page')) !== text; tries++) {
      if (tries > 50) throw new Error(`core B never saw "${text}"`);
      await b.engine.syncNow();
    }
    roundTrips.push(performance.now() - started);
  }

  const requests: number[] = [];
  for (let i = 0; i < Math.max(EDITS, 20); i++) {
    const started = performance.now();
    await bSession.call(meApi.get);
    requests.push(performance.now() - started);
  }
  const sorted = [...roundTrips].sort((x, y) => x - y);
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  const baseline = percentile(
    [...requests].sort((x, y) => x - y),
    50,
  );
  await a.close();
  await b.close();
  writeReport({
    name: 'sync',
    metric: 'p50_ms',
    value: p50,
    unit: 'ms',
    target: { op: '<', value: TARGET_P50_MS },
    baseline: { what: 'get_me_p50_ms', value: baseline },
    ratio: p50 / baseline,
    smoke,
    extra: { edits: EDITS, p99Ms: p99, roundTripsMs: roundTrips },
  });
} finally {
  studio.close();
  await disposeCloudProcess(cloud);
  rmSync(root, { recursive: true, force: true });
}
