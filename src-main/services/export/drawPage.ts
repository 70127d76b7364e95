import { backgroundBox } from '../../../src-shared/geometry/background.js';
import type { Album } from '../../../src-shared/model/album.js';
import type {
  Element,
  ImageFrame,
  Page,
  Placement,
  Shape,
  TextBox,
} from '../../../src-shared/model/page.js';
import {
  EM_BOX_ASCENT,
  layoutText,
  type MeasureText,
} from '../../../src-shared/text/textLayout.js';
import { planPhoto, type PhotoPlan } from './photoPlan.js';
import { loadPhoto, type EmbeddableImage, type ExportPhoto } from './photoSource.js';

type Doc = PDFKit.PDFDocument;

/** A frame's photo, loaded and ready to draw, or why it is drawn as a placeholder. */
type FramePhoto =
  | {
      readonly kind: 'image';
      readonly image: EmbeddableImage;
      readonly plan: Exclude<PhotoPlan, { kind: 'invisible' }>;
    }
  | { readonly kind: 'missing' }
  | { readonly kind: 'empty' };

export interface PreparedPage {
  readonly page: Page;
  readonly trimWidth: number;
  readonly trimHeight: number;
  readonly background: FramePhoto | null;
  /** By element id, for image frames. */
  readonly photos: ReadonlyMap<string, FramePhoto>;
  readonly placeholders: number;
  readonly passedThrough: number;
  readonly downsampled: number;
}

/** States in which the original is no longer there to print. */
const GONE_STATES = new Set(['expired', 'failed']);

async function prepareFramePhoto(
  photoId: string | null,
  frame: { width: number; height: number },
  placement: Placement,
  photoFor: (id: string) => ExportPhoto | null,
  limit: <T>(work: () => Promise<T>) => Promise<T>,
): Promise<FramePhoto> {
  if (photoId === null) return { kind: 'empty' };
  const photo = photoFor(photoId);
  if (!photo || GONE_STATES.has(photo.state) || photo.width <= 0 || photo.height <= 0) {
    return { kind: 'missing' };
  }
  const plan = planPhoto(frame, { widthPx: photo.width, heightPx: photo.height }, placement);
  if (plan.kind === 'invisible') return { kind: 'empty' };
  const image = await loadPhoto(photo, plan, limit);
  return image ? { kind: 'image', image, plan } : { kind: 'missing' };
}

/** Loads every photo a page shows (originals, or resampled crops of them). */
export async function preparePage(
  page: Page,
  album: Pick<Album, 'trim' | 'bleedMm'>,
  photoFor: (id: string) => ExportPhoto | null,
  limit: <T>(work: () => Promise<T>) => Promise<T>,
): Promise<PreparedPage> {
  const backgroundPromise =
    page.background.kind === 'photo'
      ? prepareFramePhoto(
          page.background.photoId,
          backgroundBox(album),
          page.background.placement,
          photoFor,
          limit,
        )
      : Promise.resolve(null);
  const frames = page.elements.filter((e): e is ImageFrame => e.kind === 'image');
  const framePhotos = await Promise.all(
    frames.map((f) => prepareFramePhoto(f.photoId, f, f.placement, photoFor, limit)),
  );
  const background = await backgroundPromise;
  const all = [...framePhotos, ...(background ? [background] : [])];
  const count = (test: (p: FramePhoto) => boolean) => all.filter(test).length;
  return {
    page,
    trimWidth: album.trim.widthMm,
    trimHeight: album.trim.heightMm,
    background,
    photos: new Map(frames.map((f, i) => [f.id, framePhotos[i]!])),
    placeholders: count((p) => p.kind === 'missing'),
    passedThrough: count((p) => p.kind === 'image' && p.image.passedThrough),
    downsampled: count((p) => p.kind === 'image' && !p.image.passedThrough),
  };
}

function drawPhoto(doc: Doc, photo: FramePhoto, width: number, height: number): void {
  doc.save();
  doc.rect(0, 0, width, height).clip();
  if (photo.kind === 'image') {
    const r = photo.plan.drawRect;
    doc.image(photo.image.bytes, r.x, r.y, { width: r.width, height: r.height });
  } else if (photo.kind === 'missing') {
    drawMissingPlaceholder(doc, width, height);
  }
  doc.restore();
}

/**
 * A photo that cannot be printed (missing or expired original): a grey box crossed in red with
 * a label, so nobody mistakes the proof for a finished page.
 */
function drawMissingPlaceholder(doc: Doc, width: number, height: number): void {
  doc.rect(0, 0, width, height).fill('#d9d9d9');
  doc.lineWidth(Math.max(0.3, Math.min(width, height) / 100)).strokeColor('#d0021b');
  doc.moveTo(0, 0).lineTo(width, height).moveTo(width, 0).lineTo(0, height).stroke();
  const sizeMm = Math.max(1.5, Math.min(5, width / 14));
  const label = '写真がありません Missing photo';
  doc.font('IPAexGothic').fontSize(sizeMm);
  const labelWidth = doc.widthOfString(label);
  doc
    .rect((width - labelWidth) / 2 - 1, height / 2 - sizeMm * 0.7, labelWidth + 2, sizeMm * 1.4)
    .fill('#ffffff');
  doc
    .fillColor('#d0021b')
    .text(label, (width - labelWidth) / 2, height / 2 + (EM_BOX_ASCENT - 0.5) * sizeMm, {
      lineBreak: false,
      baseline: 'alphabetic',
    });
}

function measureWith(doc: Doc): MeasureText {
  return (text, font, sizeMm) => {
    doc.font(font).fontSize(sizeMm);
    return doc.widthOfString(text);
  };
}

function drawText(doc: Doc, box: TextBox): void {
  const layout = layoutText(box, measureWith(doc));
  doc.font(box.fontFamily).fontSize(layout.sizeMm).fillColor(box.color);
  if (!layout.vertical) {
    // Overset lines are not printed (preflight reports them), as in a layout program.
    for (const line of layout.lines.slice(0, layout.fitting)) {
      doc.text(line.text, line.x, line.baselineY, {
        lineBreak: false,
        baseline: 'alphabetic',
        characterSpacing: line.charSpacing,
      });
    }
    return;
  }
  const size = layout.sizeMm;
  for (const glyph of layout.glyphs) {
    if (glyph.column >= layout.fitting) continue;
    const baseline = glyph.centerY + (EM_BOX_ASCENT - 0.5) * size;
    if (glyph.halfWidth) {
      // Latin letters and digits lie on their side, turned clockwise, in vertical text.
      const width = doc.widthOfString(glyph.char);
      doc.save();
      doc.rotate(90, { origin: [glyph.centerX, glyph.centerY] });
      doc.text(glyph.char, glyph.centerX - width / 2, baseline, {
        lineBreak: false,
        baseline: 'alphabetic',
      });
      doc.restore();
    } else {
      // The font's vertical forms (vert) turn brackets and ー and move 、。 to the upper right.
      doc.text(glyph.char, glyph.centerX - size / 2, baseline, {
        lineBreak: false,
        baseline: 'alphabetic',
        features: ['vert'],
      });
    }
  }
}

function drawShape(doc: Doc, shape: Shape): void {
  const { width, height } = shape;
  // Strokes lie inside the box, as the editor draws them: the box is what prints.
  const inset = shape.stroke ? shape.stroke.widthMm / 2 : 0;
  const w = Math.max(0.01, width - 2 * inset);
  const h = Math.max(0.01, height - 2 * inset);
  if (shape.shape === 'rect') doc.rect(inset, inset, w, h);
  else if (shape.shape === 'ellipse') doc.ellipse(width / 2, height / 2, w / 2, h / 2);
  // A line runs across the middle of its box; rotation gives it any direction.
  else doc.moveTo(0, height / 2).lineTo(width, height / 2);
  const fill = shape.shape !== 'line' ? shape.fill : null;
  if (shape.stroke) doc.lineWidth(shape.stroke.widthMm).strokeColor(shape.stroke.color);
  if (fill && shape.stroke) doc.fillAndStroke(fill, shape.stroke.color);
  else if (fill) doc.fill(fill);
  else if (shape.stroke) doc.stroke();
}

function drawElement(doc: Doc, element: Element, prepared: PreparedPage): void {
  doc.save();
  // Rotation is clockwise around the element's centre (PDFKit's user space has y down).
  doc.translate(element.x + element.width / 2, element.y + element.height / 2);
  if (element.rotation !== 0) doc.rotate(element.rotation);
  doc.translate(-element.width / 2, -element.height / 2);
  if (element.kind === 'image') {
    const photo = prepared.photos.get(element.id) ?? { kind: 'empty' as const };
    drawPhoto(doc, photo, element.width, element.height);
  } else if (element.kind === 'text') {
    drawText(doc, element);
  } else {
    drawShape(doc, element);
  }
  doc.restore();
}

/** Draws one album page with its trim's top-left at the current origin (user space in mm). */
export function drawAlbumPage(doc: Doc, prepared: PreparedPage, bleedMm: number): void {
  const { page } = prepared;
  // The same box (and so the same crop) as the editor's, from src-shared.
  const box = backgroundBox({
    trim: { widthMm: prepared.trimWidth, heightMm: prepared.trimHeight },
    bleedMm,
  });
  if (page.background.kind === 'color') {
    if (page.background.color !== '#ffffff') {
      doc.rect(box.x, box.y, box.width, box.height).fill(page.background.color);
    }
  } else if (prepared.background) {
    doc.save();
    doc.translate(box.x, box.y);
    drawPhoto(doc, prepared.background, box.width, box.height);
    doc.restore();
  }
  for (const element of page.elements) drawElement(doc, element, prepared);
}
