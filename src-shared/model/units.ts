/** Millimetres are the document unit; points and pixels exist only at the edges (fonts, screen). */
export const MM_PER_INCH = 25.4;
export const PT_PER_INCH = 72;
/** CSS pixels per inch at zoom 1. */
export const CSS_PX_PER_INCH = 96;

export const mmToPt = (mm: number): number => (mm / MM_PER_INCH) * PT_PER_INCH;
export const ptToMm = (pt: number): number => (pt / PT_PER_INCH) * MM_PER_INCH;
export const mmToInch = (mm: number): number => mm / MM_PER_INCH;

/** Screen pixels for a length in mm at the given zoom (1 = actual size on a 96 DPI screen). */
export const mmToPx = (mm: number, zoom: number): number =>
  (mm / MM_PER_INCH) * CSS_PX_PER_INCH * zoom;
export const pxToMm = (px: number, zoom: number): number =>
  (px / (CSS_PX_PER_INCH * zoom)) * MM_PER_INCH;
