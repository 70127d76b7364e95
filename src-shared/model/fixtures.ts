import { ALBUM_SCHEMA_VERSION, trimFromPreset, type Album } from './album.js';
import { DEFAULT_PLACEMENT, PAGE_SCHEMA_VERSION, type Element, type Page } from './page.js';

/** Small valid documents for tests, examples and benches. */
export function sampleAlbum(overrides: Partial<Album> = {}): Album {
  return {
    schemaVersion: ALBUM_SCHEMA_VERSION,
    id: '3f0d7c2a-5b1e-4c8a-9d3f-2a6b8c4e1f00',
    title: '令和8年度 卒業アルバム',
    schoolName: '桜ヶ丘小学校',
    fiscalYear: 2026,
    trim: trimFromPreset('A4'),
    bleedMm: 3,
    safeMarginMm: 5,
    binding: 'left',
    pageCount: 24,
    status: 'draft',
    ...overrides,
  };
}

export function sampleElements(): Element[] {
  return [
    {
      id: 'frame-1',
      kind: 'image',
      x: -3,
      y: -3,
      width: 216,
      height: 150,
      rotation: 0,
      locked: false,
      photoId: 'photo-1',
      placement: DEFAULT_PLACEMENT,
    },
    {
      id: 'title-1',
      kind: 'text',
      x: 20,
      y: 160,
      width: 170,
      height: 20,
      rotation: 0,
      locked: false,
      text: '思い出の運動会',
      fontFamily: 'IPAexMincho',
      sizePt: 24,
      color: '#1a1a1a',
      align: 'center',
      lineHeight: 1.4,
      vertical: false,
    },
    {
      id: 'rule-1',
      kind: 'shape',
      x: 20,
      y: 185,
      width: 170,
      height: 0.5,
      rotation: 0,
      locked: true,
      shape: 'line',
      fill: null,
      stroke: { color: '#c0392b', widthMm: 0.3 },
    },
  ];
}

export function samplePage(overrides: Partial<Page> = {}): Page {
  return {
    schemaVersion: PAGE_SCHEMA_VERSION,
    id: 'page-1',
    albumId: 'album-1',
    index: 0,
    version: 0,
    background: { kind: 'color', color: '#ffffff' },
    elements: sampleElements(),
    ...overrides,
  };
}
