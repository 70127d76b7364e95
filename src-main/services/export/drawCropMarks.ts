import { CROP_MARK_AREA_MM, type PdfPageLayout } from './pdfBoxes.js';

/** Registration colour: 100% of every ink, so the marks appear on every printing plate. */
const REGISTRATION: [number, number, number, number] = [100, 100, 100, 100];
const MARK_LINE_MM = 0.1;
/** Marks stop short of the page's edge. */
const MARK_LENGTH_MM = CROP_MARK_AREA_MM - 1;

/**
 * Japanese-style crop marks (日本式トンボ), all outside the bleed: at each corner a double
 * mark, one line on the trim and one on the bleed edge (内トンボ and 外トンボ); at the middle of
 * each side a centre mark (センタートンボ). User space is mm from the media's top-left.
 */
export function drawCropMarks(doc: PDFKit.PDFDocument, layout: PdfPageLayout, bleedMm: number) {
  const { trim } = layout;
  const b = bleedMm;
  const L = MARK_LENGTH_MM;
  const x0 = trim.x;
  const y0 = trim.y;
  const x1 = trim.x + trim.width;
  const y1 = trim.y + trim.height;
  const line = (ax: number, ay: number, bx: number, by: number) =>
    doc.moveTo(ax, ay).lineTo(bx, by);

  doc.save();
  doc.lineWidth(MARK_LINE_MM).strokeColor(REGISTRATION);
  for (const [cx, sx] of [
    [x0, -1],
    [x1, 1],
  ] as const) {
    for (const [cy, sy] of [
      [y0, -1],
      [y1, 1],
    ] as const) {
      // Horizontal lines at the trim and bleed edges, reaching outwards from the bleed.
      line(cx + sx * b, cy, cx + sx * (b + L), cy);
      line(cx + sx * b, cy + sy * b, cx + sx * (b + L), cy + sy * b);
      // Vertical lines, likewise.
      line(cx, cy + sy * b, cx, cy + sy * (b + L));
      line(cx + sx * b, cy + sy * b, cx + sx * b, cy + sy * (b + L));
    }
  }
  // Centre marks: a line across the middle of each side, with a short crossbar.
  const mx = (x0 + x1) / 2;
  const my = (y0 + y1) / 2;
  for (const sy of [-1, 1]) {
    const edge = sy < 0 ? y0 : y1;
    line(mx, edge + sy * b, mx, edge + sy * (b + L));
    line(mx - L / 2, edge + sy * (b + L / 2), mx + L / 2, edge + sy * (b + L / 2));
  }
  for (const sx of [-1, 1]) {
    const edge = sx < 0 ? x0 : x1;
    line(edge + sx * b, my, edge + sx * (b + L), my);
    line(edge + sx * (b + L / 2), my - L / 2, edge + sx * (b + L / 2), my + L / 2);
  }
  doc.stroke();
  doc.restore();
}
