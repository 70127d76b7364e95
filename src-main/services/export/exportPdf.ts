import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import PDFDocument from 'pdfkit';
import { spreadsFor } from '../../../src-shared/geometry/spreads.js';
import type { Album } from '../../../src-shared/model/album.js';
import type { FontFamily, Page } from '../../../src-shared/model/page.js';
import { mmToPt } from '../../../src-shared/model/units.js';
import { pdfBox, pdfPageLayout, type PdfPageLayout } from './pdfBoxes.js';
import { drawCropMarks } from './drawCropMarks.js';
import { drawAlbumPage, preparePage, type PreparedPage } from './drawPage.js';
import { concurrencyLimit, type ExportPhoto } from './photoSource.js';

/** Font files by family, in assets/fonts: the same files the editor uses. */
export const FONT_FILES: Record<FontFamily, string> = {
  IPAexGothic: 'ipaexg.ttf',
  IPAexMincho: 'ipaexm.ttf',
};

export interface ExportProgress {
  /** PDF pages (sheets: single pages or spreads) written so far, and in all. */
  readonly done: number;
  readonly total: number;
}

export interface ExportPdfInput {
  readonly album: Pick<Album, 'title' | 'trim' | 'bleedMm' | 'binding'>;
  /** The album's pages (any order; sorted by index here). */
  readonly pages: readonly Page[];
  /** A photo by the id pages use; null when the album has no such photo. */
  readonly photo: (photoId: string) => ExportPhoto | null;
  readonly destinationPath: string;
  /** 1-based, inclusive. */
  readonly pageRange?: { readonly from: number; readonly to: number } | undefined;
  readonly spreads: boolean;
  readonly cropMarks: boolean;
  readonly fontsDir: string;
  readonly onProgress?: (progress: ExportProgress) => void;
  readonly signal?: AbortSignal;
  /** Sheets prepared ahead of the one being written (bounds memory). */
  readonly lookahead?: number;
  /** sharp jobs at once. */
  readonly imageConcurrency?: number;
}

export interface ExportPdfResult {
  readonly sheets: number;
  readonly pages: number;
  /** Frames drawn as "photo missing" placeholders. */
  readonly placeholders: number;
  readonly passedThrough: number;
  readonly downsampled: number;
}

export class ExportCancelledError extends Error {
  readonly code = 'export_cancelled';
  constructor() {
    super('The export was cancelled (書き出しを中止しました)');
  }
}

export class ExportInputError extends Error {
  constructor(
    readonly code: 'page_range_invalid' | 'no_pages',
    message: string,
  ) {
    super(message);
  }
}

type Sheet = readonly (Page | null)[];

/** The PDF pages to write: one album page each, or spreads as the binding pairs them. */
function sheetsFor(
  pages: readonly Page[],
  binding: Album['binding'],
  spreads: boolean,
  range: { from: number; to: number },
): Sheet[] {
  const inRange = (n: number | null) => n !== null && n >= range.from && n <= range.to;
  const page = (n: number | null) => (inRange(n) ? pages[n! - 1]! : null);
  if (!spreads) return pages.slice(range.from - 1, range.to).map((p) => [p]);
  return spreadsFor(pages.length, binding)
    .filter((s) => inRange(s.left) || inRange(s.right))
    .map((s) => [page(s.left), page(s.right)]);
}

/**
 * Writes an album (or a page range) as a print-ready PDF. Memory stays bounded whatever the
 * album's size: PDFKit writes each page's objects as soon as the next page starts, the output
 * stream's back-pressure is honoured, and only `lookahead` sheets of photos are loaded at once.
 * The PDF goes to a hidden temporary file beside the destination and is renamed over it only
 * when complete, so a cancelled, failed or killed export leaves nothing under the final name.
 */
export async function exportPdf(input: ExportPdfInput): Promise<ExportPdfResult> {
  const pages = [...input.pages].sort((a, b) => a.index - b.index);
  if (pages.length === 0) throw new ExportInputError('no_pages', 'The album has no pages');
  const range = input.pageRange ?? { from: 1, to: pages.length };
  if (
    !Number.isInteger(range.from) ||
    !Number.isInteger(range.to) ||
    range.from < 1 ||
    range.to > pages.length ||
    range.from > range.to
  ) {
    throw new ExportInputError(
      'page_range_invalid',
      `The page range must lie within 1-${pages.length} (ページ範囲が正しくありません)`,
    );
  }
  const sheets = sheetsFor(pages, input.album.binding, input.spreads, range);
  const layout = pdfPageLayout(input.album, { spread: input.spreads, cropMarks: input.cropMarks });
  const limit = concurrencyLimit(input.imageConcurrency ?? 2);
  const lookahead = Math.max(1, input.lookahead ?? 2);

  const tmpPath = join(
    dirname(input.destinationPath),
    `.${basename(input.destinationPath)}.${randomUUID()}.part`,
  );
  // flush: fsync before close, so the rename never publishes a file still in the page cache.
  const out = createWriteStream(tmpPath, { flush: true });
  const stream: { error: Error | null } = { error: null };
  out.on('error', (error) => {
    stream.error = error;
  });
  const fontPath = (family: FontFamily) => join(input.fontsDir, FONT_FILES[family]);
  const doc = new PDFDocument({
    autoFirstPage: false,
    // Our own font as the default, so PDFKit never loads (or embeds) Helvetica.
    font: fontPath('IPAexGothic'),
    pdfVersion: '1.6',
    info: { Title: input.album.title, Creator: 'Weebum Studio', Producer: 'Weebum Studio' },
  });
  for (const family of Object.keys(FONT_FILES) as FontFamily[]) {
    doc.registerFont(family, fontPath(family));
  }
  doc.on('data', (chunk: Buffer) => out.write(chunk));

  const photoFor = input.photo;
  const prepare = (sheet: Sheet) =>
    Promise.all(
      sheet.map((p) =>
        p === null ? Promise.resolve(null) : preparePage(p, input.album, photoFor, limit),
      ),
    );
  const queue: Promise<(PreparedPage | null)[]>[] = [];
  const counts = { placeholders: 0, passedThrough: 0, downsampled: 0 };
  try {
    for (let i = 0; i < sheets.length; i += 1) {
      while (queue.length < lookahead && i + queue.length < sheets.length) {
        const next = prepare(sheets[i + queue.length]!);
        next.catch(() => undefined); // awaited below; avoids an unhandled rejection on cancel
        queue.push(next);
      }
      const prepared = await queue.shift()!;
      if (input.signal?.aborted) throw new ExportCancelledError();
      if (stream.error) throw stream.error;
      writeSheet(doc, layout, prepared, input.cropMarks, input.album.bleedMm);
      for (const p of prepared) {
        if (!p) continue;
        counts.placeholders += p.placeholders;
        counts.passedThrough += p.passedThrough;
        counts.downsampled += p.downsampled;
      }
      if (out.writableNeedDrain) await once(out, 'drain');
      input.onProgress?.({ done: i + 1, total: sheets.length });
    }
    if (input.signal?.aborted) throw new ExportCancelledError();
    const ended = once(doc, 'end');
    doc.end();
    await ended;
    out.end();
    await finished(out);
    if (stream.error) throw stream.error;
    await rename(tmpPath, input.destinationPath);
  } catch (error) {
    doc.removeAllListeners('data');
    out.destroy();
    await rm(tmpPath, { force: true });
    throw error;
  }
  return {
    sheets: sheets.length,
    pages: range.to - range.from + 1,
    ...counts,
  };
}

const PT_PER_MM = mmToPt(1);

function writeSheet(
  doc: PDFKit.PDFDocument,
  layout: PdfPageLayout,
  prepared: readonly (PreparedPage | null)[],
  cropMarks: boolean,
  bleedMm: number,
): void {
  doc.addPage({ size: [layout.mediaWidth * PT_PER_MM, layout.mediaHeight * PT_PER_MM], margin: 0 });
  const toPt = (mm: number) => Math.round(mm * PT_PER_MM * 1000) / 1000;
  const dictionary = doc.page.dictionary as unknown as { data: Record<string, unknown> };
  dictionary.data.TrimBox = pdfBox(layout.trim, layout.mediaHeight, toPt);
  dictionary.data.BleedBox = pdfBox(layout.bleed, layout.mediaHeight, toPt);
  doc.save();
  doc.scale(PT_PER_MM); // from here on, user space is mm from the media's top-left
  prepared.forEach((page, i) => {
    if (!page) return;
    const slot = layout.slots[i]!;
    doc.save();
    doc.rect(slot.clip.x, slot.clip.y, slot.clip.width, slot.clip.height).clip();
    doc.translate(slot.trim.x, slot.trim.y);
    drawAlbumPage(doc, page, bleedMm);
    doc.restore();
  });
  if (cropMarks) drawCropMarks(doc, layout, bleedMm);
  doc.restore();
}
