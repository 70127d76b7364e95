import { bleedBox, containsRect, safeBox, type Rect } from '../geometry/boxes.js';
import { photoResolution } from '../geometry/resolution.js';
import type { Album } from '../model/album.js';
import type { Element, Page } from '../model/page.js';
import { approximateMeasure, layoutText, type MeasureText } from '../text/textLayout.js';

/**
 * Preflight: what a printer would reject, found before export. Pure rules over the album, its
 * pages and what is known of each photo; the editor shows the result and the export dialog
 * summarises it. Each issue names its page and element so the editor can select it.
 */

export const PREFLIGHT_CODES = [
  'resolution_low',
  'resolution_too_low',
  'bleed_short',
  'text_outside_safe_area',
  'empty_frame',
  'text_overset',
  'photo_missing',
  'photo_expired',
  'page_count_signature',
] as const;
export type PreflightCode = (typeof PREFLIGHT_CODES)[number];
export type Severity = 'error' | 'warning';

export interface PreflightIssue {
  readonly code: PreflightCode;
  readonly severity: Severity;
  /** Null for album-wide issues (page count). */
  readonly pageId: string | null;
  /** 1-based page number, null for album-wide issues. */
  readonly pageNumber: number | null;
  readonly elementId: string | null;
  /** Numbers for the message: effective PPI, page count, signature. */
  readonly values: Readonly<Record<string, number>>;
}

/** What preflight needs of a photo; null when the album has no such photo. */
export interface PreflightPhoto {
  /** Pixel size with EXIF orientation applied. */
  readonly width: number;
  readonly height: number;
  readonly state: string;
}

export interface PreflightOptions {
  /** Pages per signature (折): the page count must be a multiple of it. Printers use 2, 4, 8, 16. */
  readonly signature: number;
  /** Width of text; defaults to the full-width/half-width approximation (see textLayout.ts). */
  readonly measure?: MeasureText;
  /**
   * How close to the trim an edge must come to count as meant to bleed: an element within this
   * distance of the trim edge (inside it, or past it but short of the bleed edge) is flagged.
   */
  readonly bleedIntentMm?: number;
}

export const DEFAULT_SIGNATURE = 4;
const DEFAULT_BLEED_INTENT_MM = 1;
const EPSILON = 0.001;

/** The axis-aligned box around an element after its rotation about the centre. */
export function elementBounds(element: Element): Rect {
  const rad = (element.rotation * Math.PI) / 180;
  const cos = Math.abs(Math.cos(rad));
  const sin = Math.abs(Math.sin(rad));
  const width = element.width * cos + element.height * sin;
  const height = element.width * sin + element.height * cos;
  const cx = element.x + element.width / 2;
  const cy = element.y + element.height / 2;
  return { x: cx - width / 2, y: cy - height / 2, width, height };
}

/** Elements that print ink over an area: frames, filled shapes (a line or outline does not bleed). */
const paintsArea = (element: Element): boolean =>
  element.kind === 'image' || (element.kind === 'shape' && element.fill !== null);

/** Sides where the element reaches for the page edge but stops short of the bleed edge. */
function bleedShortSides(bounds: Rect, trim: Rect, bleed: Rect, intent: number): number {
  const sides = [
    // distance from the element's edge to the trim edge (positive: still inside the trim)
    { toTrim: bounds.x - trim.x, toBleed: bounds.x - bleed.x },
    { toTrim: bounds.y - trim.y, toBleed: bounds.y - bleed.y },
    {
      toTrim: trim.x + trim.width - (bounds.x + bounds.width),
      toBleed: bleed.x + bleed.width - (bounds.x + bounds.width),
    },
    {
      toTrim: trim.y + trim.height - (bounds.y + bounds.height),
      toBleed: bleed.y + bleed.height - (bounds.y + bounds.height),
    },
  ];
  return sides.filter((s) => s.toTrim <= intent && s.toBleed > EPSILON).length;
}

export function preflightPage(
  album: Pick<Album, 'trim' | 'bleedMm' | 'safeMarginMm'>,
  page: Page,
  pageNumber: number,
  photoFor: (photoId: string) => PreflightPhoto | null,
  options: PreflightOptions,
): PreflightIssue[] {
  const issues: PreflightIssue[] = [];
  const issue = (
    code: PreflightCode,
    severity: Severity,
    elementId: string | null,
    values: Record<string, number> = {},
  ) => issues.push({ code, severity, pageId: page.id, pageNumber, elementId, values });
  const trim: Rect = { x: 0, y: 0, width: album.trim.widthMm, height: album.trim.heightMm };
  const bleed = bleedBox(album);
  const safe = safeBox(album);
  const intent = options.bleedIntentMm ?? DEFAULT_BLEED_INTENT_MM;

  const checkPhoto = (
    elementId: string | null,
    photoId: string,
    frame: { width: number; height: number },
    placement: Parameters<typeof photoResolution>[2],
  ) => {
    const photo = photoFor(photoId);
    if (!photo || photo.state === 'failed') return issue('photo_missing', 'error', elementId);
    if (photo.state === 'expired') return issue('photo_expired', 'error', elementId);
    const { ppi, level } = photoResolution(
      frame,
      { widthPx: photo.width, heightPx: photo.height },
      placement,
    );
    if (level === 'error') issue('resolution_too_low', 'error', elementId, { ppi });
    else if (level === 'warning') issue('resolution_low', 'warning', elementId, { ppi });
  };

  if (page.background.kind === 'photo') {
    checkPhoto(null, page.background.photoId, bleed, page.background.placement);
  }
  for (const element of page.elements) {
    const bounds = elementBounds(element);
    if (
      paintsArea(element) &&
      album.bleedMm > 0 &&
      bleedShortSides(bounds, trim, bleed, intent) > 0
    ) {
      issue('bleed_short', 'error', element.id, { bleedMm: album.bleedMm });
    }
    if (element.kind === 'image') {
      if (element.photoId === null) issue('empty_frame', 'warning', element.id);
      else checkPhoto(element.id, element.photoId, element, element.placement);
    } else if (element.kind === 'text' && element.text.trim().length > 0) {
      if (!containsRect(safe, bounds)) {
        issue('text_outside_safe_area', 'warning', element.id, {
          safeMarginMm: album.safeMarginMm,
        });
      }
      if (layoutText(element, options.measure ?? approximateMeasure).overset) {
        issue('text_overset', 'error', element.id);
      }
    }
  }
  return issues;
}

/** Every issue of an album: page by page in order, then album-wide ones. */
export function preflightAlbum(
  album: Pick<Album, 'trim' | 'bleedMm' | 'safeMarginMm'>,
  pages: readonly Page[],
  photoFor: (photoId: string) => PreflightPhoto | null,
  options: PreflightOptions = { signature: DEFAULT_SIGNATURE },
): PreflightIssue[] {
  const ordered = [...pages].sort((a, b) => a.index - b.index);
  const issues = ordered.flatMap((page, i) => preflightPage(album, page, i + 1, photoFor, options));
  if (options.signature > 1 && ordered.length % options.signature !== 0) {
    issues.push({
      code: 'page_count_signature',
      severity: 'error',
      pageId: null,
      pageNumber: null,
      elementId: null,
      values: {
        pageCount: ordered.length,
        signature: options.signature,
        nextValid: Math.ceil(ordered.length / options.signature) * options.signature,
      },
    });
  }
  return issues;
}

export interface PreflightSummary {
  readonly errors: number;
  readonly warnings: number;
}

export const summarize = (issues: readonly PreflightIssue[]): PreflightSummary => ({
  errors: issues.filter((i) => i.severity === 'error').length,
  warnings: issues.filter((i) => i.severity === 'warning').length,
});
