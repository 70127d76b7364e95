import { describe, expect, it } from 'vitest';
import { sampleAlbum, samplePage } from '../../src-shared/model/fixtures.js';
import { createEditorStore, focusPage, spreadPages } from './editorStore.js';

const album = sampleAlbum();
const pageA = samplePage({ id: 'page-1', index: 0 });
const pageB = samplePage({ id: 'page-2', index: 1, elements: [] });
const pageC = samplePage({ id: 'page-3', index: 2, elements: [] });

function setup() {
  const saved: string[][] = [];
  const store = createEditorStore({
    album,
    pages: [pageB, pageA, pageC],
    onLocalChange: (ids) => saved.push([...ids]),
  });
  return { store, saved };
}
const title = (s: ReturnType<typeof setup>['store']) =>
  s.getState().pages['page-1']?.elements.find((e) => e.id === 'title-1');

describe('editor store', () => {
  it('orders pages by index and lays out spreads with src-shared', () => {
    const { store } = setup();
    expect(store.getState().order).toEqual(['page-1', 'page-2', 'page-3']);
    expect(spreadPages(store.getState())).toMatchObject({ left: null, right: 'page-1' });
    store.getState().showSpread(1);
    expect(spreadPages(store.getState())).toMatchObject({ left: 'page-2', right: 'page-3' });
  });

  it('brings a page and its element into view for the strip, conflicts and preflight', () => {
    const { store } = setup();
    focusPage(store, 'page-3', null);
    expect(store.getState()).toMatchObject({ spreadIndex: 1, activePageId: 'page-3' });
    expect(store.getState().selection).toBeNull();
    focusPage(store, 'page-1', 'title-1');
    expect(store.getState()).toMatchObject({
      spreadIndex: 0,
      activePageId: 'page-1',
      selection: { pageId: 'page-1', ids: ['title-1'] },
    });
    // An element no longer on the page (deleted since the issue was found): page only.
    focusPage(store, 'page-2', 'gone');
    expect(store.getState()).toMatchObject({ spreadIndex: 1, activePageId: 'page-2' });
    expect(store.getState().selection).toBeNull();
  });

  it("the toolbar's spread change moves the one current page the strip highlights", () => {
    const { store } = setup();
    store.getState().showSpread(1);
    expect(store.getState()).toMatchObject({ spreadIndex: 1, activePageId: 'page-2' });
    store.getState().showSpread(0);
    expect(store.getState()).toMatchObject({ spreadIndex: 0, activePageId: 'page-1' });
  });

  it('a page it does not have yet is not focused; reloaded pages keep the active page shown', () => {
    const { store } = setup();
    expect(focusPage(store, 'page-4', null)).toBe(false);
    expect(store.getState()).toMatchObject({ spreadIndex: 0, activePageId: 'page-1' });
    // The strip added page 4 after page 1: the reload brings it, and then it can be shown.
    const pageD = samplePage({ id: 'page-4', index: 1, elements: [] });
    store.getState().applyRemote([pageA, pageD, { ...pageB, index: 2 }, { ...pageC, index: 3 }]);
    expect(focusPage(store, 'page-4', null)).toBe(true);
    expect(store.getState()).toMatchObject({ spreadIndex: 1, activePageId: 'page-4' });
    // Page 4 moved to the end: the spread shown follows it.
    store
      .getState()
      .applyRemote([pageA, { ...pageB, index: 1 }, { ...pageC, index: 2 }, { ...pageD, index: 3 }]);
    expect(store.getState()).toMatchObject({ spreadIndex: 2, activePageId: 'page-4' });
  });

  it('undoes and redoes named actions (Ctrl+Z / Shift+Z), each a local change to save', () => {
    const { store, saved } = setup();
    store
      .getState()
      .perform('move', { pageId: 'page-1', patches: [{ id: 'title-1', patch: { x: 42 } }] });
    store.getState().perform('setProperties', {
      pageId: 'page-1',
      patches: [{ id: 'title-1', patch: { vertical: true } }],
    });
    expect(store.getState().history.undo.map((e) => e.name)).toEqual(['move', 'setProperties']);
    store.getState().undo();
    expect(title(store)).toMatchObject({ x: 42, vertical: false });
    store.getState().undo();
    expect(title(store)).toMatchObject({ x: 20, vertical: false });
    store.getState().redo();
    expect(title(store)).toMatchObject({ x: 42 });
    expect(store.getState().history.redo.map((e) => e.name)).toEqual(['setProperties']);
    expect(saved).toEqual([['page-1'], ['page-1'], ['page-1'], ['page-1'], ['page-1']]);
  });

  it("a page's background is a named step, saved like any edit, and undone", () => {
    const { store, saved } = setup();
    store.getState().select({ pageId: 'page-1', ids: ['frame-1'] });
    store.getState().perform('frameToBackground', { pageId: 'page-1', id: 'frame-1' });
    const page = () => store.getState().pages['page-1']!;
    expect(page().background).toMatchObject({ kind: 'photo', photoId: 'photo-1' });
    expect(store.getState().selection?.ids).toEqual([]);
    store.getState().perform('setBackground', {
      pageId: 'page-1',
      background: { kind: 'color', color: '#ffffff' },
    });
    expect(store.getState().history.undo.map((e) => e.name)).toEqual([
      'frameToBackground',
      'setBackground',
    ]);
    expect(saved).toEqual([['page-1'], ['page-1']]);
    store.getState().undo();
    expect(page().background).toMatchObject({ kind: 'photo', photoId: 'photo-1' });
    store.getState().undo();
    expect(page().background).toEqual(pageA.background);
    expect(page().elements.map((e) => e.id)).toContain('frame-1');
    expect(saved).toHaveLength(4);
  });

  it('one colour-picking gesture is one undo step, however many colours it passes through', () => {
    const { store, saved } = setup();
    const colour = (color: string, mergeKey: string) =>
      store
        .getState()
        .perform(
          'setProperties',
          { pageId: 'page-1', patches: [{ id: 'title-1', patch: { color } }] },
          { mergeKey },
        );
    const before = (title(store) as { color: string }).color;
    colour('#ff0000', 'picker:0');
    colour('#00ff00', 'picker:0');
    colour('#0000ff', 'picker:0');
    expect(title(store)).toMatchObject({ color: '#0000ff' });
    expect(store.getState().history.undo).toHaveLength(1);
    // Every colour was shown and saved at once; only the undo stack keeps one step.
    expect(saved).toHaveLength(3);
    // The next gesture (after the picker lost focus) is a step of its own.
    colour('#123456', 'picker:1');
    expect(store.getState().history.undo).toHaveLength(2);
    store.getState().undo();
    expect(title(store)).toMatchObject({ color: '#0000ff' });
    store.getState().undo();
    expect(title(store)).toMatchObject({ color: before });
    store.getState().redo();
    expect(title(store)).toMatchObject({ color: '#0000ff' });
  });

  it('changes from sync are not on the undo stack and are not saved back', () => {
    const { store, saved } = setup();
    store
      .getState()
      .perform('move', { pageId: 'page-1', patches: [{ id: 'title-1', patch: { x: 42 } }] });
    const current = store.getState().pages['page-1']!;
    store.getState().applyRemote([
      {
        ...current,
        elements: current.elements.map((e) => (e.id === 'frame-1' ? { ...e, y: 77 } : e)),
      },
      pageB,
      pageC,
    ]);
    expect(store.getState().history.undo).toHaveLength(1);
    expect(saved).toHaveLength(1);
    store.getState().undo();
    // Undo reverts only the local move; the synced change stays.
    expect(title(store)?.x).toBe(20);
    expect(store.getState().pages['page-1']?.elements.find((e) => e.id === 'frame-1')?.y).toBe(77);
    expect(store.getState().history.undo).toHaveLength(0);
  });

  it('an action that changes nothing is not recorded', () => {
    const { store, saved } = setup();
    store
      .getState()
      .perform('move', { pageId: 'page-1', patches: [{ id: 'title-1', patch: { x: 20 } }] });
    expect(store.getState().history.undo).toHaveLength(0);
    expect(saved).toHaveLength(0);
  });

  it('deleting clears the selection; duplicate and paste select the copies', () => {
    const { store } = setup();
    store.getState().select({ pageId: 'page-1', ids: ['title-1'] });
    store
      .getState()
      .perform('duplicate', { pageId: 'page-1', ids: ['title-1'], newIds: ['t2'], offsetMm: 5 });
    expect(store.getState().selection).toEqual({ pageId: 'page-1', ids: ['t2'] });
    store.getState().copy();
    expect(store.getState().clipboard.map((e) => e.id)).toEqual(['t2']);
    store.getState().perform('deleteElements', { pageId: 'page-1', ids: ['t2'] });
    expect(store.getState().selection?.ids).toEqual([]);
  });
});
