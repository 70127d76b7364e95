import { z } from 'zod';

export const ALBUM_SCHEMA_VERSION = 1;

/** Trim sizes in mm (width x height) that Japanese album printers take. */
export const TRIM_PRESETS = {
  A4: { widthMm: 210, heightMm: 297 },
  B5: { widthMm: 182, heightMm: 257 },
  AB: { widthMm: 210, heightMm: 257 },
  A4_LANDSCAPE: { widthMm: 297, heightMm: 210 },
} as const;
export type TrimPreset = keyof typeof TRIM_PRESETS;

export const DEFAULT_BLEED_MM = 3;
export const DEFAULT_SAFE_MARGIN_MM = 5;

export const TrimSizeSchema = z
  .strictObject({
    preset: z.enum(['A4', 'B5', 'AB', 'A4_LANDSCAPE', 'custom']),
    widthMm: z.number().min(50).max(1000),
    heightMm: z.number().min(50).max(1000),
  })
  .superRefine((trim, ctx) => {
    if (trim.preset === 'custom') return;
    const expected = TRIM_PRESETS[trim.preset];
    if (trim.widthMm !== expected.widthMm || trim.heightMm !== expected.heightMm) {
      ctx.addIssue({
        code: 'custom',
        path: ['widthMm'],
        message: `preset ${trim.preset} is ${expected.widthMm}x${expected.heightMm} mm`,
      });
    }
  });
export type TrimSize = z.infer<typeof TrimSizeSchema>;

export const trimFromPreset = (preset: TrimPreset): TrimSize => ({
  preset,
  ...TRIM_PRESETS[preset],
});

export const BindingSideSchema = z.enum(['left', 'right']);
export type BindingSide = z.infer<typeof BindingSideSchema>;

export const AlbumStatusSchema = z.enum(['draft', 'proofing', 'approved', 'delivered']);
export type AlbumStatus = z.infer<typeof AlbumStatusSchema>;

export const AlbumSchema = z
  .strictObject({
    schemaVersion: z.literal(ALBUM_SCHEMA_VERSION),
    id: z.uuid(),
    title: z.string().trim().min(1).max(200),
    schoolName: z.string().trim().min(1).max(200),
    fiscalYear: z.int().min(2000).max(2100),
    trim: TrimSizeSchema,
    bleedMm: z.number().min(0).max(20).default(DEFAULT_BLEED_MM),
    safeMarginMm: z.number().min(0).max(50).default(DEFAULT_SAFE_MARGIN_MM),
    binding: BindingSideSchema,
    pageCount: z.int().min(1).max(1000),
    status: AlbumStatusSchema.default('draft'),
  })
  .superRefine((album, ctx) => {
    // The safe area must leave something to lay out in.
    const smaller = Math.min(album.trim.widthMm, album.trim.heightMm);
    if (album.safeMarginMm * 2 >= smaller) {
      ctx.addIssue({
        code: 'custom',
        path: ['safeMarginMm'],
        message: 'safe margin leaves no area inside the trim',
      });
    }
  });
export type Album = z.infer<typeof AlbumSchema>;
