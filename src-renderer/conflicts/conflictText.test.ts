import { describe, expect, it } from 'vitest';
import type { Conflict } from '../../src-shared/desktop/contract.js';
import { mergePage, type MergeConflict } from '../../src-shared/merge/mergePage.js';
import { samplePage } from '../../src-shared/model/fixtures.js';
import type { Element, Page } from '../../src-shared/model/page.js';
import { translator } from '../i18n/i18nStore.js';
import { conflictText, elementName, fieldName, type ConflictContext } from './conflictText.js';

const ja = translator('ja');
const en = translator('en');
const A4 = { widthMm: 210, heightMm: 297 };
const noPhotos = (): string | null => null;

/** A conflict as the desktop API lists it, from what mergePage reported. */
const listed = (c: MergeConflict, page: Page): Conflict => ({
  id: 'c1',
  albumId: page.albumId,
  pageId: page.id,
  elementId: c.elementId,
  field: c.field,
  kind: c.kind,
  detectedAt: '2026-11-26T00:00:00Z',
});

const edit = (page: Page, id: string, patch: Partial<Element>): Page => ({
  ...page,
  elements: page.elements.map((e) => (e.id === id ? ({ ...e, ...patch } as Element) : e)),
});

/** Both sides changed the same field of one element: the merge's conflict and merged page. */
function bothChanged(id: string, local: Partial<Element>, remote: Partial<Element>) {
  const base = samplePage();
  const result = mergePage(base, edit(base, id, local), edit(base, id, remote));
  expect(result.conflicts).toHaveLength(1);
  return { conflict: listed(result.conflicts[0]!, result.merged), page: result.merged };
}

const context = (
  page: Page | undefined,
  photoName: ConflictContext['photoName'] = noPhotos,
): ConflictContext => ({
  page,
  ...A4,
  photoName,
});

describe('conflictText', () => {
  it('names a text box by the text it shows now and the field in words', () => {
    const { conflict, page } = bothChanged('title-1', { text: '運動会 午前' }, { text: '運動会' });
    expect(conflictText(ja, conflict, context(page))).toBe(
      'テキスト「運動会」の文字を他の人の変更にしました',
    );
    expect(conflictText(en, conflict, context(page))).toBe(
      'Text box “運動会”: its text took the other change',
    );
  });

  it('names a frame by its photo file name when the library knows it, else by its place', () => {
    const { conflict, page } = bothChanged('frame-1', { rotation: 5 }, { rotation: -5 });
    const names = (id: string) => (id === 'photo-1' ? 'IMG_0042.JPG' : null);
    expect(conflictText(ja, conflict, context(page, names))).toBe(
      '写真フレーム「IMG_0042.JPG」の回転を他の人の変更にしました',
    );
    // Across the top of the page (centre at 105, 72 mm of 210 x 297).
    expect(conflictText(ja, conflict, context(page))).toBe(
      '写真フレーム（上）の回転を他の人の変更にしました',
    );
    expect(conflictText(en, conflict, context(page))).toBe(
      'Photo frame at top: its rotation took the other change',
    );
  });

  it('names shapes by their kind and place; x and y are both the position', () => {
    const { conflict, page } = bothChanged('rule-1', { x: 150 }, { x: 160, y: 250 });
    expect(conflict.field).toBe('x');
    expect(conflictText(ja, conflict, context(page))).toBe(
      '線（右下）の位置を他の人の変更にしました',
    );
    expect(conflictText(en, { ...conflict, field: 'y' }, context(page))).toBe(
      'Line at bottom right: its position took the other change',
    );
    const rect = { ...page.elements[2]!, kind: 'shape', shape: 'rect', x: 0, y: 0, width: 30 };
    expect(elementName(ja, rect as Element, { ...A4, photoName: noPhotos })).toBe('四角形（左上）');
  });

  it('cuts a long text to its first 20 characters on one line, never inside an emoji', () => {
    const text = '楓ヶ丘小学校\n第五十回  卒業生のみなさ👩‍👩‍👧おめでとう';
    const name = elementName(en, { ...samplePage().elements[1]!, text } as Element, {
      ...A4,
      photoName: noPhotos,
    });
    expect(name).toBe('Text box “楓ヶ丘小学校 第五十回 卒業生のみなさ👩‍👩‍👧…”');
    // An empty text box has no words to show: its place instead.
    const empty = { ...samplePage().elements[1]!, text: ' \n' } as Element;
    expect(elementName(ja, empty, { ...A4, photoName: noPhotos })).toBe('テキスト（中央）');
  });

  it('says page-level and whole-element conflicts in words', () => {
    const base = samplePage();
    const page = listed(
      mergePage(
        base,
        { ...base, background: { kind: 'color', color: '#000000' } },
        { ...base, background: { kind: 'color', color: '#eeeeee' } },
      ).conflicts[0]!,
      base,
    );
    expect(conflictText(ja, page, context(base))).toBe('ページの背景を他の人の変更にしました');
    expect(conflictText(en, page, context(base))).toBe('The page background took the other change');

    const removed = mergePage(
      base,
      { ...base, elements: base.elements.filter((e) => e.id !== 'title-1') },
      edit(base, 'title-1', { text: '運動会' }),
    );
    const deleted = listed(removed.conflicts[0]!, removed.merged);
    expect(conflictText(ja, deleted, context(removed.merged))).toBe(
      'テキスト「運動会」は一方で削除、他方で変更されたため残しました',
    );
    const order = { ...deleted, kind: 'order' as const, elementId: null, field: 'elements' };
    expect(conflictText(en, order, context(base))).toBe('The stacking order took the other change');
  });

  it('still says something for an element no longer on the page or a field it does not know', () => {
    const { conflict } = bothChanged('title-1', { x: 1 }, { x: 2 });
    expect(conflictText(ja, conflict, context(undefined))).toBe(
      'ページにない要素の位置を他の人の変更にしました',
    );
    expect(fieldName(en, 'glow')).toBe('glow');
    expect(fieldName(en, 'sizePt')).toBe('text size');
  });
});
