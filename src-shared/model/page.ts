import { z } from 'zod';

export const PAGE_SCHEMA_VERSION = 1;
/** Bounds that keep a page cheap to sync, merge and render. */
export const MAX_ELEMENTS_PER_PAGE = 2000;
export const MAX_PAGE_BYTES = 1_000_000;

export const ColorSchema = z
  .string()
  .regex(/^#[0-9a-f]{6}$/, 'colour must be #rrggbb in lower case');

export const IdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'id may hold only letters, digits, _ and -');

/** Fonts shipped in assets/fonts; the editor and the PDF export use the same files. */
export const FontFamilySchema = z.enum(['IPAexGothic', 'IPAexMincho']);
export type FontFamily = z.infer<typeof FontFamilySchema>;

/**
 * Where the photo sits inside its frame. `fit` decides the base size (fill covers the frame,
 * fit shows the whole photo); `scale` multiplies it; offsets move the photo's centre from the
 * frame's centre, in mm.
 */
export const PlacementSchema = z.strictObject({
  fit: z.enum(['fill', 'fit']),
  scale: z.number().min(0.05).max(50),
  offsetXMm: z.number().min(-10000).max(10000),
  offsetYMm: z.number().min(-10000).max(10000),
});
export type Placement = z.infer<typeof PlacementSchema>;

export const DEFAULT_PLACEMENT: Placement = { fit: 'fill', scale: 1, offsetXMm: 0, offsetYMm: 0 };

const elementBase = {
  id: IdSchema,
  /** mm from the trim's top-left; negative or past the trim reaches into the bleed. */
  x: z.number().min(-1000).max(2000),
  y: z.number().min(-1000).max(2000),
  width: z.number().positive().max(2000),
  height: z.number().positive().max(2000),
  /** Degrees clockwise around the element's centre. */
  rotation: z.number().min(-360).max(360),
  locked: z.boolean(),
};

export const ImageFrameSchema = z.strictObject({
  ...elementBase,
  kind: z.literal('image'),
  photoId: IdSchema.nullable(),
  placement: PlacementSchema,
});

export const TextBoxSchema = z.strictObject({
  ...elementBase,
  kind: z.literal('text'),
  text: z.string().max(10_000),
  fontFamily: FontFamilySchema,
  sizePt: z.number().min(1).max(500),
  color: ColorSchema,
  align: z.enum(['start', 'center', 'end', 'justify']),
  lineHeight: z.number().min(0.5).max(5),
  /** 縦書き: top to bottom, columns right to left. */
  vertical: z.boolean(),
});

export const StrokeSchema = z.strictObject({
  color: ColorSchema,
  widthMm: z.number().positive().max(50),
});

export const ShapeSchema = z.strictObject({
  ...elementBase,
  kind: z.literal('shape'),
  shape: z.enum(['rect', 'ellipse', 'line']),
  fill: ColorSchema.nullable(),
  stroke: StrokeSchema.nullable(),
});

export const ElementSchema = z.discriminatedUnion('kind', [
  ImageFrameSchema,
  TextBoxSchema,
  ShapeSchema,
]);
export type ImageFrame = z.infer<typeof ImageFrameSchema>;
export type TextBox = z.infer<typeof TextBoxSchema>;
export type Shape = z.infer<typeof ShapeSchema>;
export type Element = z.infer<typeof ElementSchema>;
export type ElementKind = Element['kind'];

export const BackgroundSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('color'), color: ColorSchema }),
  z.strictObject({ kind: z.literal('photo'), photoId: IdSchema, placement: PlacementSchema }),
]);
export type Background = z.infer<typeof BackgroundSchema>;

export const PageSchema = z
  .strictObject({
    schemaVersion: z.literal(PAGE_SCHEMA_VERSION),
    id: IdSchema,
    albumId: IdSchema,
    /** 0-based position in the album. */
    index: z.int().min(0).max(9999),
    /** Server version; 0 for a page never pushed. */
    version: z.int().min(0),
    background: BackgroundSchema,
    elements: z.array(ElementSchema).max(MAX_ELEMENTS_PER_PAGE),
  })
  .superRefine((page, ctx) => {
    const seen = new Set<string>();
    page.elements.forEach((element, i) => {
      if (seen.has(element.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['elements', i, 'id'],
          message: `duplicate element id ${element.id}`,
        });
      }
      seen.add(element.id);
    });
  });
export type Page = z.infer<typeof PageSchema>;
