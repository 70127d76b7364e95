import type { Conflict } from '../../src-shared/desktop/contract.js';
import type { Element, Page } from '../../src-shared/model/page.js';
import type { Translate } from '../i18n/i18nStore.js';

/** What the conflicts list knows to name an element the way a designer sees it. */
export interface ConflictContext {
  /** The conflict's page as last read (after the merge), or undefined if it is gone. */
  readonly page: Page | undefined;
  /** The trim, to say where on the page an element sits. */
  readonly widthMm: number;
  readonly heightMm: number;
  /** The file name of a photo of the album, if the library has read it. */
  readonly photoName: (photoId: string) => string | null;
}

/** Characters of a text box's text that name it; more is cut with an ellipsis. */
export const TEXT_EXCERPT = 20;

/** Field words of the catalog (`conflicts.field.*`); two fields of one decision share a word. */
const FIELD_WORDS = {
  x: 'position',
  y: 'position',
  width: 'size',
  height: 'size',
  rotation: 'rotation',
  locked: 'locked',
  photoId: 'photo',
  placement: 'crop',
  text: 'text',
  fontFamily: 'font',
  sizePt: 'textSize',
  color: 'color',
  align: 'align',
  lineHeight: 'lineHeight',
  vertical: 'vertical',
  shape: 'shape',
  fill: 'fill',
  stroke: 'stroke',
  background: 'background',
  elements: 'order',
} as const;

const ROWS = ['top', 'middle', 'bottom'] as const;
const COLUMNS = ['left', 'centre', 'right'] as const;

/** A field of the page model in the user's words; a field this version does not know, as is. */
export function fieldName(t: Translate, field: string): string {
  const word = Object.hasOwn(FIELD_WORDS, field)
    ? FIELD_WORDS[field as keyof typeof FIELD_WORDS]
    : null;
  return word === null ? field : t(`conflicts.field.${word}`);
}

/** The first characters of a text on one line (graphemes, so no emoji is cut in half). */
function excerpt(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const graphemes = Array.from(
    new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(oneLine),
    (s) => s.segment,
  );
  return graphemes.length <= TEXT_EXCERPT
    ? oneLine
    : `${graphemes.slice(0, TEXT_EXCERPT).join('')}…`;
}

/** Where the element's centre is, in thirds of the trim ("top left", "centre"). */
function where(t: Translate, element: Element, widthMm: number, heightMm: number): string {
  const third = (at: number, size: number) => Math.max(0, Math.min(2, Math.floor((at / size) * 3)));
  const row = ROWS[third(element.y + element.height / 2, heightMm)]!;
  const column = COLUMNS[third(element.x + element.width / 2, widthMm)]!;
  return t(`conflicts.where.${row}-${column}`);
}

/**
 * An element named as a designer recognises it: its kind in words and its text, its photo's
 * file name, or else where it sits on the page. `element` undefined: no longer on the page.
 */
export function elementName(
  t: Translate,
  element: Element | undefined,
  context: Omit<ConflictContext, 'page'>,
): string {
  if (!element) return t('conflicts.what.unknown');
  const kind = t(`conflicts.what.${element.kind === 'shape' ? element.shape : element.kind}`);
  const name =
    element.kind === 'text'
      ? excerpt(element.text)
      : element.kind === 'image' && element.photoId !== null
        ? (context.photoName(element.photoId) ?? '')
        : '';
  if (name !== '') return t('conflicts.element.named', { kind, name });
  return t('conflicts.element.placed', {
    kind,
    where: where(t, element, context.widthMm, context.heightMm),
  });
}

/** What the merge decided for one conflict, in a sentence (after its page number). */
export function conflictText(t: Translate, conflict: Conflict, context: ConflictContext): string {
  const field = conflict.field === null ? '' : fieldName(t, conflict.field);
  if (conflict.kind === 'order') return t('conflicts.kind.order');
  if (conflict.elementId === null) return t('conflicts.kind.pageField', { field });
  const element = elementName(
    t,
    context.page?.elements.find((e) => e.id === conflict.elementId),
    context,
  );
  return t(`conflicts.kind.${conflict.kind}`, { element, field });
}
