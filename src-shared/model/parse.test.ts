import { describe, expect, it } from 'vitest';
import { parseAlbum, parsePage } from './parse.js';
import { sampleAlbum, samplePage } from './fixtures.js';
import { MAX_ELEMENTS_PER_PAGE, MAX_PAGE_BYTES, type Element } from './page.js';
import type { MigrationStep } from './migrate.js';
import type { Result } from '../result.js';

const expectError = (result: Result<unknown>, code: string, path?: unknown[]) => {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.code).toBe(code);
  if (path) expect(result.error.path).toEqual(path);
  expect(result.error.message.length).toBeGreaterThan(0);
};

describe('album documents', () => {
  it('accepts a valid album and fills defaults', () => {
    const { bleedMm: _b, safeMarginMm: _s, status: _st, ...minimal } = sampleAlbum();
    const result = parseAlbum(minimal);
    expect(result).toEqual({ ok: true, value: sampleAlbum() });
  });

  it('accepts every preset and a custom trim', () => {
    for (const [preset, size] of [
      ['A4', [210, 297]],
      ['B5', [182, 257]],
      ['AB', [210, 257]],
      ['A4_LANDSCAPE', [297, 210]],
      ['custom', [250, 250]],
    ] as const) {
      const trim = { preset, widthMm: size[0], heightMm: size[1] };
      expect(parseAlbum(sampleAlbum({ trim })).ok).toBe(true);
    }
  });

  it('refuses a preset whose size does not match it, naming the field', () => {
    const result = parseAlbum(sampleAlbum({ trim: { preset: 'B5', widthMm: 210, heightMm: 297 } }));
    expectError(result, 'invalid_document', ['trim', 'widthMm']);
  });

  it('refuses unknown fields, with their path', () => {
    const result = parseAlbum({ ...sampleAlbum(), owner: 'someone' });
    expectError(result, 'invalid_document', []);
    if (!result.ok) expect(result.error.message).toContain('owner');
  });

  it('names the path of a bad nested field', () => {
    expectError(parseAlbum({ ...sampleAlbum(), fiscalYear: 1999 }), 'invalid_document', [
      'fiscalYear',
    ]);
    expectError(parseAlbum({ ...sampleAlbum(), binding: 'top' }), 'invalid_document', ['binding']);
    expectError(parseAlbum({ ...sampleAlbum(), safeMarginMm: 120 }), 'invalid_document', [
      'safeMarginMm',
    ]);
  });
});

describe('page documents', () => {
  it('accepts a valid page with every element kind', () => {
    const page = samplePage();
    expect(parsePage(page)).toEqual({ ok: true, value: page });
    expect(parsePage(JSON.stringify(page))).toEqual({ ok: true, value: page });
  });

  it('refuses unknown element fields with the element path', () => {
    const page = samplePage();
    const elements = page.elements.map((e, i) => (i === 1 ? { ...e, script: 'x' } : e));
    expectError(parsePage({ ...page, elements }), 'invalid_document', ['elements', 1]);
  });

  it('names the path of a bad element field', () => {
    const page = samplePage();
    const elements: unknown[] = [...page.elements];
    elements[1] = { ...page.elements[1], color: 'red' };
    expectError(parsePage({ ...page, elements }), 'invalid_document', ['elements', 1, 'color']);
    elements[1] = { ...page.elements[1], sizePt: 0 };
    expectError(parsePage({ ...page, elements }), 'invalid_document', ['elements', 1, 'sizePt']);
    elements[1] = { ...page.elements[1], kind: 'video' };
    expectError(parsePage({ ...page, elements }), 'invalid_document', ['elements', 1, 'kind']);
  });

  it('refuses duplicate element ids', () => {
    const page = samplePage();
    const first = page.elements[0] as Element;
    expectError(parsePage({ ...page, elements: [first, { ...first }] }), 'invalid_document', [
      'elements',
      1,
      'id',
    ]);
  });

  it('refuses text that is not JSON', () => {
    expectError(parsePage('{"schemaVersion": 1,'), 'invalid_json');
  });

  it(`refuses more than ${MAX_ELEMENTS_PER_PAGE} elements`, () => {
    const template = samplePage().elements[2] as Element;
    const elements = Array.from({ length: MAX_ELEMENTS_PER_PAGE + 1 }, (_, i) => ({
      ...template,
      id: `e${i}`,
    }));
    expectError(parsePage(samplePage({ elements })), 'document_too_large', ['elements']);
    expect(parsePage(samplePage({ elements: elements.slice(1) })).ok).toBe(true);
  });

  it(`refuses a page over ${MAX_PAGE_BYTES} bytes, counting UTF-8 bytes`, () => {
    const text = samplePage().elements[1] as Element & { kind: 'text' };
    // 250 boxes of 1,400 three-byte characters: about 1.05 MB in UTF-8 but 350k UTF-16 units.
    const elements = Array.from({ length: 250 }, (_, i) => ({
      ...text,
      id: `t${i}`,
      text: 'あ'.repeat(1400),
    }));
    expectError(parsePage(samplePage({ elements })), 'document_too_large');
    expectError(parsePage(JSON.stringify(samplePage({ elements }))), 'document_too_large');
  });
});

describe('schema migrations', () => {
  // A stand-in history, injected: version 0 stored the background as a bare colour string.
  const steps: MigrationStep[] = [
    (doc) => ({ ...doc, background: { kind: 'color', color: doc.background as string } }),
  ];

  it('migrates a document without schemaVersion from version 0', () => {
    const { schemaVersion: _v, ...current } = samplePage();
    const v0 = { ...current, background: '#ffffff' };
    expect(parsePage(v0, steps)).toEqual({ ok: true, value: samplePage() });
  });

  it('leaves a current document unchanged and does not mutate its input', () => {
    const page = samplePage();
    const copy = structuredClone(page);
    expect(parsePage(page, steps)).toEqual({ ok: true, value: page });
    expect(page).toEqual(copy);
  });

  it('refuses a document from a newer version of the app', () => {
    expectError(parsePage({ ...samplePage(), schemaVersion: 2 }), 'schema_too_new', [
      'schemaVersion',
    ]);
  });

  it('refuses a version it has no migration for', () => {
    const { schemaVersion: _v, ...v0 } = samplePage();
    expectError(parsePage(v0), 'schema_unsupported', ['schemaVersion']);
  });

  it('refuses a malformed schemaVersion and non-objects', () => {
    expectError(parsePage({ ...samplePage(), schemaVersion: '1' }), 'invalid_document', [
      'schemaVersion',
    ]);
    expectError(parsePage([]), 'invalid_document', []);
    expectError(parsePage(null), 'invalid_document', []);
  });
});
