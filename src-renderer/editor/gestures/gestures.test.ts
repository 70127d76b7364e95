import type Konva from 'konva';
import { describe, expect, it } from 'vitest';
import { sampleAlbum, samplePage } from '../../../src-shared/model/fixtures.js';
import { DEFAULT_PLACEMENT, type Page } from '../../../src-shared/model/page.js';
import { photoDragValue } from '../../library/photoDrag.js';
import { createEditorStore } from '../editorStore.js';
import { marquee, type Band } from './marquee.js';
import { panZoom } from './panZoom.js';
import { photoDrop } from './photoDrop.js';

/**
 * The rubber band and pan/zoom against a stage that only reports the pointer. The view maps
 * 1 px to 1 mm (zoom 25.4 / 96) from the spread's origin, so pointers below are in mm.
 */
function setup(page: Page = samplePage()) {
  // A4 with 3 mm bleed; left binding shows page 1 alone on the right, 210 mm from the origin.
  const store = createEditorStore({
    album: sampleAlbum(),
    pages: [page],
    onLocalChange: () => undefined,
  });
  store.getState().setView({ zoom: 25.4 / 96, x: 0, y: 0 });
  const pointer = { x: 0, y: 0 };
  const stage = {
    getPointerPosition: () => ({ ...pointer }),
    setPointersPositions: () => undefined,
  } as unknown as Konva.Stage;
  const at = (x: number, y: number) => Object.assign(pointer, { x, y });
  return { store, stage, at };
}

const mouse = (button: number) => ({ button }) as MouseEvent;

describe('marquee', () => {
  // samplePage: frame-1 at -3..213 × -3..147, title-1 20..190 × 160..180, rule-1 (locked)
  // 20..190 × 185..185.5.
  it('selects what the band overlaps on its page, and shows the band while drawn', () => {
    const { store, stage, at } = setup();
    const bands: (Band | null)[] = [];
    const band = marquee(store, (b) => bands.push(b));
    at(220, 155);
    band.start(stage, false);
    at(240, 190);
    band.move(stage);
    expect(bands.at(-1)).toMatchObject({ x0: 10, y0: 155 });
    expect(bands.at(-1)?.x1).toBeCloseTo(30);
    expect(bands.at(-1)?.y1).toBeCloseTo(190);
    band.end();
    expect(bands.at(-1)).toBeNull();
    expect(store.getState().selection).toEqual({ pageId: 'page-1', ids: ['title-1', 'rule-1'] });
    expect(store.getState().activePageId).toBe('page-1');
  });

  it('a click on the page deselects; with shift the band adds to the selection', () => {
    const { store, stage, at } = setup();
    const band = marquee(store, () => undefined);
    store.getState().select({ pageId: 'page-1', ids: ['frame-1'] });
    at(220, 155);
    band.start(stage, false);
    band.end();
    expect(store.getState().selection).toBeNull();

    store.getState().select({ pageId: 'page-1', ids: ['frame-1'] });
    band.start(stage, true);
    at(240, 170);
    band.move(stage);
    band.end();
    expect(store.getState().selection).toEqual({ pageId: 'page-1', ids: ['frame-1', 'title-1'] });
  });

  it('ends adjusting a photo when pressed on the page', () => {
    const { store, stage, at } = setup();
    store.getState().setCropping({ pageId: 'page-1', id: 'frame-1' });
    at(220, 155);
    marquee(store, () => undefined).start(stage, true);
    expect(store.getState().cropping).toBeNull();
  });
});

describe('pan and zoom', () => {
  it('zooms about the pointer with the wheel', () => {
    const { store, stage, at } = setup();
    store.getState().setView({ zoom: 1, x: 0, y: 0 });
    at(100, 100);
    let prevented = false;
    const wheel = {
      deltaY: -100,
      preventDefault: () => void (prevented = true),
    } as WheelEvent;
    panZoom(store).onWheel(stage, wheel);
    expect(prevented).toBe(true);
    const view = store.getState().view!;
    // 1.10517 = e^0.1; the point under the pointer stays: 100 - 100 × 1.10517.
    expect(view.zoom).toBeCloseTo(1.10517, 5);
    expect(view.x).toBeCloseTo(-10.517, 3);
    expect(view.y).toBeCloseTo(-10.517, 3);
  });

  it('scales the photo being adjusted instead, one undo step per wheel event', () => {
    const { store, stage, at } = setup();
    store.getState().setCropping({ pageId: 'page-1', id: 'frame-1' });
    at(100, 100);
    const before = store.getState().view;
    const gestures = panZoom(store);
    const wheel = (deltaY: number) => ({ deltaY, preventDefault: () => undefined }) as WheelEvent;
    gestures.onWheel(stage, wheel(-200));
    const scale = () => {
      const frame = store.getState().pages['page-1']!.elements[0]!;
      return frame.kind === 'image' ? frame.placement.scale : null;
    };
    expect(scale()).toBeCloseTo(1.2214, 4);
    expect(store.getState().view).toBe(before);
    // A filled photo stops at the frame's size.
    gestures.onWheel(stage, wheel(2000));
    expect(scale()).toBe(1);
    expect(store.getState().history.undo.map((s) => s.name)).toEqual([
      'adjustPhoto',
      'adjustPhoto',
    ]);
  });

  it('pans with the middle button, or the left one while space is held', () => {
    const { store, stage, at } = setup();
    const gestures = panZoom(store);
    const keys = new EventTarget();
    const stop = gestures.trackSpace(keys);
    const key = (type: string, code: string) =>
      keys.dispatchEvent(Object.assign(new Event(type), { code }));

    at(50, 50);
    expect(gestures.start(stage, mouse(0))).toBe(false);
    expect(gestures.move(stage)).toBe(false);
    expect(gestures.start(stage, mouse(1))).toBe(true);
    at(80, 60);
    expect(gestures.move(stage)).toBe(true);
    expect(store.getState().view).toMatchObject({ x: 30, y: 10 });
    gestures.end();
    expect(gestures.move(stage)).toBe(false);

    key('keydown', 'Space');
    expect(gestures.start(stage, mouse(0))).toBe(true);
    at(70, 40);
    gestures.move(stage);
    expect(store.getState().view).toMatchObject({ x: 20, y: -10 });
    gestures.end();
    key('keyup', 'Space');
    expect(gestures.start(stage, mouse(0))).toBe(false);

    stop();
    key('keydown', 'Space');
    expect(gestures.start(stage, mouse(0))).toBe(false);
  });
});

describe('photo drop', () => {
  // A frame 50..130 × 50..70 turned 90°: drawn over 80..100 × 20..100.
  const tilted = samplePage({
    elements: [
      {
        id: 'tilted',
        kind: 'image',
        x: 50,
        y: 50,
        width: 80,
        height: 20,
        rotation: 90,
        locked: false,
        photoId: null,
        placement: DEFAULT_PLACEMENT,
      },
    ],
  });
  const drag = (value: string) =>
    ({
      dataTransfer: { getData: () => value, types: ['application/x-weebum-photo'] },
      preventDefault: () => undefined,
      nativeEvent: {},
    }) as unknown as Parameters<ReturnType<typeof photoDrop>['onDrop']>[1];
  const photo = photoDragValue({ id: 'photo-9', width: 4000, height: 3000 });

  it('fills a turned frame where it is drawn', () => {
    const { store, stage, at } = setup(tilted);
    at(210 + 90, 25);
    photoDrop(store, () => 'new-frame').onDrop(stage, drag(photo));
    const elements = store.getState().pages['page-1']!.elements;
    expect(elements.map((e) => [e.id, e.kind === 'image' ? e.photoId : null])).toEqual([
      ['tilted', 'photo-9'],
    ]);
    expect(store.getState().selection).toEqual({ pageId: 'page-1', ids: ['tilted'] });
    expect(store.getState().photos['photo-9']).toEqual({
      widthPx: 4000,
      heightPx: 3000,
      thumbnailUrl: null,
    });
  });

  it('makes a new frame beside it, inside its upright box', () => {
    const { store, stage, at } = setup(tilted);
    at(210 + 60, 60);
    photoDrop(store, () => 'new-frame').onDrop(stage, drag(photo));
    const elements = store.getState().pages['page-1']!.elements;
    // 80 × 60 mm for a 4:3 photo, centred on the drop.
    expect(elements.map((e) => [e.id, e.x, e.y, e.width, e.height])).toEqual([
      ['tilted', 50, 50, 80, 20],
      ['new-frame', 20, 30, 80, 60],
    ]);
    expect(elements[0]!.kind === 'image' && elements[0]!.photoId).toBeNull();
  });
});
