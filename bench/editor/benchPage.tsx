/**
 * The page bench:editor drives in Chromium: the real AlbumEditor over an in-memory desktop API
 * (the bench measures drawing, not I/O), and a plain Konva stage of the same photos as the
 * baseline. The Node side calls the functions on `window.bench`.
 */
import Konva from 'konva';
import { createRoot } from 'react-dom/client';
import type { DesktopApi } from '../../src-shared/desktop/api.js';
import { METHOD_NAMES } from '../../src-shared/desktop/contract.js';
import { placedPhotoRect } from '../../src-shared/geometry/resolution.js';
import { sampleAlbum } from '../../src-shared/model/fixtures.js';
import {
  DEFAULT_PLACEMENT,
  PAGE_SCHEMA_VERSION,
  type ImageFrame,
  type Page,
} from '../../src-shared/model/page.js';
import { mmToPx } from '../../src-shared/model/units.js';
import { AlbumEditor } from '../../src-renderer/editor/AlbumEditor.js';
import '../../src-renderer/styles/app.css';

const ALBUM_ID = '3f0d7c2a-5b1e-4c8a-9d3f-2a6b8c4e1f00';
const album = sampleAlbum({ id: ALBUM_ID, pageCount: 200 });

/** Distinct thumbnails (JPEG data URLs drawn here), as the library would serve them. */
function makeThumbnails(count: number): string[] {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 240;
  const ctx = canvas.getContext('2d')!;
  return Array.from({ length: count }, (_, i) => {
    ctx.fillStyle = `hsl(${(i * 37) % 360} 60% 55%)`;
    ctx.fillRect(0, 0, 320, 240);
    ctx.fillStyle = '#ffffff';
    ctx.font = '64px sans-serif';
    ctx.fillText(String(i + 1), 110, 140);
    return canvas.toDataURL('image/jpeg', 0.8);
  });
}

/** `photos` frames in a grid over the first spread's two pages (page 2 and 3: spread 2). */
function framesFor(photos: number, pageNo: number): ImageFrame[] {
  const perPage = Math.ceil(photos / 2);
  const start = pageNo === 0 ? 0 : perPage;
  const count = Math.max(0, Math.min(perPage, photos - start));
  const cols = Math.ceil(Math.sqrt(count * 0.7));
  const rows = Math.ceil(count / cols);
  const w = 200 / cols;
  const h = 287 / rows;
  return Array.from({ length: count }, (_, i) => ({
    id: `frame-${start + i}`,
    kind: 'image' as const,
    x: 5 + (i % cols) * w,
    y: 5 + Math.floor(i / cols) * h,
    width: w - 1,
    height: h - 1,
    rotation: 0,
    locked: false,
    photoId: `photo-${start + i}`,
    placement: DEFAULT_PLACEMENT,
  }));
}

function makePages(pageCount: number, photos: number): Page[] {
  return Array.from({ length: pageCount }, (_, index) => ({
    schemaVersion: PAGE_SCHEMA_VERSION,
    id: `page-${index}`,
    albumId: ALBUM_ID,
    index,
    version: 0,
    background: { kind: 'color' as const, color: '#ffffff' },
    // The first page stands alone; photos go on the first full spread, pages 2 and 3.
    elements: index === 1 ? framesFor(photos, 0) : index === 2 ? framesFor(photos, 1) : [],
  }));
}

function memoryApi(pages: Page[], thumbnails: string[], photos: number): DesktopApi {
  const ok = <T,>(value: T) => Promise.resolve({ ok: true as const, value });
  const api: Record<string, unknown> = Object.fromEntries(
    METHOD_NAMES.map((m) => [
      m,
      () => Promise.resolve({ ok: false, error: { code: 'not_in_bench', message: m } }),
    ]),
  );
  api['pages.list'] = () => ok(pages);
  api['pages.save'] = () => ok(null);
  api['photos.list'] = () =>
    ok(
      Array.from({ length: photos }, (_, i) => ({
        id: `photo-${i}`,
        albumId: ALBUM_ID,
        fileName: `${i}.jpg`,
        width: 4000,
        height: 3000,
        takenAtLocal: null,
        state: 'ready' as const,
        failureReason: null,
        thumbnailUrl: thumbnails[i % thumbnails.length] ?? null,
      })),
    );
  api['on'] = () => () => undefined;
  return api as DesktopApi;
}

const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

/** Frames per second of a drag, and how many frames it drew. */
export interface DragResult {
  readonly fps: number;
  readonly frames: number;
}

/** Drags the element under (x, y) by synthetic pointer moves, one per frame, for `ms`. */
async function dragFor(target: HTMLElement, x: number, y: number, ms: number): Promise<DragResult> {
  const init = (cx: number, cy: number) => ({
    bubbles: true,
    cancelable: true,
    clientX: cx,
    clientY: cy,
    button: 0,
    buttons: 1,
    pointerId: 1,
    isPrimary: true,
    pointerType: 'mouse',
  });
  target.dispatchEvent(new PointerEvent('pointerdown', init(x, y)));
  target.dispatchEvent(new MouseEvent('mousedown', init(x, y)));
  let frames = 0;
  const start = await frame();
  let now = start;
  while (now - start < ms) {
    const dx = Math.sin(frames / 10) * 80;
    const cx = x + dx + 6;
    const cy = y + Math.cos(frames / 13) * 40 + 6;
    window.dispatchEvent(new PointerEvent('pointermove', init(cx, cy)));
    window.dispatchEvent(new MouseEvent('mousemove', init(cx, cy)));
    target.dispatchEvent(new PointerEvent('pointermove', init(cx, cy)));
    target.dispatchEvent(new MouseEvent('mousemove', init(cx, cy)));
    now = await frame();
    frames += 1;
  }
  window.dispatchEvent(new PointerEvent('pointerup', init(x, y)));
  window.dispatchEvent(new MouseEvent('mouseup', init(x, y)));
  return { fps: (frames * 1000) / (now - start), frames };
}

const root = document.getElementById('root')!;

async function waitFor<T>(get: () => T | null | undefined): Promise<T> {
  for (;;) {
    const value = get();
    if (value) return value;
    await frame();
  }
}

declare global {
  interface Window {
    bench: typeof bench;
  }
}

const bench = {
  /** Opens the album in the editor; ms until its first page is drawn. */
  async openEditor(pageCount: number, photos: number): Promise<number> {
    const thumbnails = makeThumbnails(Math.min(photos, 40));
    const pages = makePages(pageCount, photos);
    const api = memoryApi(pages, thumbnails, photos);
    const start = performance.now();
    createRoot(root).render(<AlbumEditor api={api} album={album} />);
    // Drawn: the content layer's canvas exists and has been painted once.
    await waitFor(() => document.querySelector('.editor-canvas canvas'));
    await frame();
    return performance.now() - start;
  },
  /** Shows the spread with the photos, waits for every thumbnail, drags one frame: fps. */
  async dragInEditor(ms: number): Promise<DragResult> {
    await waitFor(() =>
      document.querySelector('.editor[data-fonts-ready="true"] .editor-canvas canvas'),
    );
    (document.querySelector('button[title="次の見開き"]') as HTMLButtonElement).click();
    await frame();
    const stage = await waitFor(() => Konva.stages.find((st) => st.container().isConnected));
    await waitFor(() => (stage.find('Image').length > 0 ? true : null));
    await new Promise((r) => setTimeout(r, 500));
    const node = stage.findOne((n: Konva.Node) => n.id() === 'frame-0')!;
    const box = node.getClientRect();
    const rect = stage.container().getBoundingClientRect();
    const x = rect.left + box.x + box.width / 2;
    const y = rect.top + box.y + box.height / 2;
    return dragFor(stage.content, x, y, ms);
  },
  /** The baseline: the same frames and thumbnails on a plain Konva stage; ms to draw, fps. */
  async plainKonva(
    pageCount: number,
    photos: number,
    ms: number,
  ): Promise<{ openMs: number } & DragResult> {
    const thumbnails = makeThumbnails(Math.min(photos, 40));
    const start = performance.now();
    const pages = makePages(pageCount, photos);
    const container = document.createElement('div');
    container.style.cssText = 'position:fixed;inset:0;background:#ccc';
    document.body.append(container);
    const scale = mmToPx(1, 0.9);
    const stage = new Konva.Stage({
      container,
      width: window.innerWidth,
      height: window.innerHeight,
      scaleX: scale,
      scaleY: scale,
      x: 20,
      y: 20,
    });
    const layer = new Konva.Layer();
    stage.add(layer);
    const images = await Promise.all(
      thumbnails.map(
        (src) =>
          new Promise<HTMLImageElement>((resolve) => {
            const img = new Image();
            img.onload = () => resolve(img);
            img.src = src;
          }),
      ),
    );
    const openMs = performance.now() - start;
    [pages[1]!, pages[2]!].forEach((page, side) => {
      const group = new Konva.Group({ x: side * 210 });
      group.add(new Konva.Rect({ width: 210, height: 297, fill: '#ffffff' }));
      for (const e of page.elements) {
        if (e.kind !== 'image') continue;
        const g = new Konva.Group({
          id: e.id,
          x: e.x,
          y: e.y,
          clipX: 0,
          clipY: 0,
          clipWidth: e.width,
          clipHeight: e.height,
          draggable: true,
        });
        const i = Number(e.id.slice('frame-'.length));
        g.add(
          new Konva.Image({
            image: images[i % images.length]!,
            ...placedPhotoRect(e, { widthPx: 4000, heightPx: 3000 }, e.placement),
          }),
        );
        group.add(g);
      }
      layer.add(group);
    });
    layer.draw();
    const node = stage.findOne((n: Konva.Node) => n.id() === 'frame-0')!;
    const box = node.getClientRect();
    const drag = await dragFor(stage.content, box.x + box.width / 2, box.y + box.height / 2, ms);
    stage.destroy();
    container.remove();
    return { openMs, ...drag };
  },
};
window.bench = bench;
