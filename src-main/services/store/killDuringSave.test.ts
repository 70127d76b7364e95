import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { TextBox } from '../../../src-shared/model/page.js';
import { ALBUM_ID, mustOpen, tempDir } from './testing/tempStore.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const child = path.join(here, 'testing', 'saveLoop.ts');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Reported {
  readonly op: 'saved' | 'pushed';
  readonly pageId: string;
  readonly i: number;
  readonly mutationNo: number;
}

/** Polls `done` every 20 ms; a child that died or a generous deadline ends the wait. */
async function until(done: () => boolean, failed: () => boolean, why: () => string) {
  const deadline = Date.now() + 60_000;
  while (!done()) {
    if (Date.now() > deadline || failed()) throw new Error(why());
    await sleep(20);
  }
}

/**
 * Starts the save loop and SIGKILLs it once it has reported `saves` saves (or more: it runs on
 * while the parent looks), so the kill lands mid-loop however fast the machine is.
 */
async function runAndKill(file: string, round: number, saves: number): Promise<Reported[]> {
  const reportFile = `${file}.report-${round}`;
  const proc = spawn(process.execPath, ['--import', 'tsx', child, file, reportFile, `${round}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    proc.on('exit', (_code, signal) => resolve(signal)),
  );
  // Whole lines: `ready`, then one per save or push.
  const lines = () =>
    fs.existsSync(reportFile) ? fs.readFileSync(reportFile, 'utf8').split('\n').length - 1 : 0;
  await until(
    () => lines() > saves,
    () => proc.exitCode !== null,
    () => `child: ${stderr}`,
  );
  proc.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  // Only whole lines count: the kill may cut the last one.
  return fs
    .readFileSync(reportFile, 'utf8')
    .split('\n')
    .slice(0, -1)
    .filter((line) => line !== 'ready')
    .map((line) => {
      const [op, pageId, i, mutationNo] = line.split(' ');
      return {
        op: op as Reported['op'],
        pageId: pageId!,
        i: Number(i),
        mutationNo: Number(mutationNo),
      };
    });
}

describe('a store killed with SIGKILL while saving', () => {
  it('keeps every reported save, consistent with its outbox, across repeated kills', async () => {
    const file = path.join(tempDir(), 'studio.db');
    let maxReportedMutation = 0;
    for (let round = 1; round <= 4; round++) {
      const reported = await runAndKill(file, round, 6 + Math.floor(Math.random() * 300));
      expect(reported.length).toBeGreaterThanOrEqual(6);

      const { store, recovered } = mustOpen(file);
      expect(recovered).toBeNull();
      try {
        const lastSave = new Map<string, Reported>();
        for (const r of reported) if (r.op === 'saved') lastSave.set(r.pageId, r);
        for (const [pageId, save] of lastSave) {
          const got = store.pages.get(ALBUM_ID, pageId);
          if (!got.ok || !got.value) throw new Error(`page ${pageId} missing after the kill`);
          const text = (got.value.local.elements.find((e) => e.kind === 'text') as TextBox).text;
          const [storedRound, storedI] = text.split(':').map(Number);
          // The reported save, or a later one that committed before its report was written.
          expect(storedRound).toBe(round);
          expect(storedI).toBeGreaterThanOrEqual(save.i);
          // Clean only if that exact save was acknowledged as pushed.
          if (!got.value.dirty) expect(storedI! % 3).toBe(2);
        }
        // A mutation number is never handed out twice, even for saves cut by the kill.
        maxReportedMutation = Math.max(maxReportedMutation, ...reported.map((r) => r.mutationNo));
        expect(store.nextMutationNo()).toBeGreaterThan(maxReportedMutation);
      } finally {
        store.close();
      }

      const db = new Database(file, { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const dirtyWithoutOutbox = db
        .prepare(
          `SELECT count(*) AS n FROM pages p LEFT JOIN outbox o USING (album_id, page_id)
            WHERE p.dirty = 1 AND o.mutation_no IS NULL`,
        )
        .get() as { n: number };
      const outboxForClean = db
        .prepare(
          `SELECT count(*) AS n FROM outbox o JOIN pages p USING (album_id, page_id)
            WHERE p.dirty = 0`,
        )
        .get() as { n: number };
      db.close();
      expect(dirtyWithoutOutbox.n).toBe(0);
      expect(outboxForClean.n).toBe(0);
    }
  }, 120_000);
});
