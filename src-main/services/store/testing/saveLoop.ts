/**
 * Child process for the kill test: saves pages in a loop and appends a line to the report file
 * only after the store returned, i.e. after the commit. Usage: saveLoop.ts <db> <report> <round>
 * Every third save is followed by a push acknowledgement, so the outbox grows and shrinks while
 * the parent kills us. A write(2) to a file survives SIGKILL, so the report is complete up to
 * the moment of the kill (the last line may be cut).
 */
import fs from 'node:fs';
import { samplePage } from '../../../../src-shared/model/fixtures.js';
import { ALBUM_ID, mustOpen, seedAlbum } from './tempStore.js';

const [file, reportFile, round] = process.argv.slice(2);
if (!file || !reportFile || !round) throw new Error('usage: saveLoop.ts <db> <report> <round>');

const report = fs.openSync(reportFile, 'a');
const { store } = mustOpen(file);
const album = store.albums.get(ALBUM_ID);
if (album.ok && album.value === null) seedAlbum(store);
fs.writeSync(report, 'ready\n');

for (let i = 0; ; i++) {
  const pageId = `p${i % 25}`;
  const base = samplePage({ albumId: ALBUM_ID, id: pageId, index: i % 25 });
  const text = `${round}:${i}`;
  const edited = {
    ...base,
    elements: base.elements.map((e) => (e.kind === 'text' ? { ...e, text } : e)),
  };
  const { mutationNo } = store.pages.saveLocal(ALBUM_ID, edited);
  fs.writeSync(report, `saved ${pageId} ${i} ${mutationNo}\n`);
  if (i % 3 === 2) {
    store.pages.markPushed(ALBUM_ID, pageId, {
      mutationNo,
      serverPage: { ...edited, version: i + 1 },
    });
    fs.writeSync(report, `pushed ${pageId} ${i} ${mutationNo}\n`);
  }
}
