import { useId, useRef, useState, type ReactNode } from 'react';
import { photoResolution } from '../../../src-shared/geometry/resolution.js';
import {
  DEFAULT_PLACEMENT,
  type Element,
  type FontFamily,
  type ImageFrame,
  type Page,
  type Placement,
  type Shape,
  type TextBox,
} from '../../../src-shared/model/page.js';
import { useT } from '../../i18n/i18nStore.js';
import { useEditor, useEditorStore } from '../editorContext.js';
import type { PhotoInfo } from '../editorStore.js';

const round = (n: number) => Math.round(n * 100) / 100;

/** A number input that commits (one undo step) on Enter or leaving the field, not per key. */
function NumberField(props: Parameters<typeof NumberInput>[0]) {
  // A new value from outside (undo, drag) starts a fresh draft.
  return <NumberInput key={round(props.value)} {...props} />;
}

function NumberInput({
  id,
  label,
  value,
  min,
  max,
  step = 0.1,
  disabled,
  onCommit,
}: {
  readonly id: string;
  readonly label: string;
  readonly value: number;
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
  readonly disabled?: boolean;
  readonly onCommit: (value: number) => void;
}) {
  const [draft, setDraft] = useState(String(round(value)));
  const commit = () => {
    const n = Number(draft);
    if (
      draft.trim() === '' ||
      !Number.isFinite(n) ||
      (min !== undefined && n < min) ||
      (max !== undefined && n > max)
    ) {
      setDraft(String(round(value)));
      return;
    }
    if (n !== round(value)) onCommit(n);
  };
  return (
    <label className="prop" htmlFor={id}>
      <span>{label}</span>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        step={step}
        min={min}
        max={max}
        value={draft}
        disabled={disabled}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
    </label>
  );
}

function Row({ children }: { readonly children: ReactNode }) {
  return <div className="prop-row">{children}</div>;
}

/** Position, size, rotation, lock and each kind's own properties for the selection. */
export function PropertiesPanel() {
  const t = useT();
  const store = useEditorStore();
  const selection = useEditor((s) => s.selection);
  const page = useEditor((s) => (s.selection ? s.pages[s.selection.pageId] : undefined));
  const photos = useEditor((s) => s.photos);
  const cropping = useEditor((s) => s.cropping);
  const selected = page?.elements.filter((e) => selection?.ids.includes(e.id)) ?? [];

  const patch = (
    name: 'setProperties' | 'transform' | 'adjustPhoto',
    element: Element,
    change: Partial<Element>,
    mergeKey?: string,
  ) => {
    if (!selection) return;
    store
      .getState()
      .perform(
        name,
        { pageId: selection.pageId, patches: [{ id: element.id, patch: change }] },
        mergeKey === undefined ? undefined : { mergeKey },
      );
  };

  if (selected.length === 0) {
    return (
      <aside className="properties" aria-label={t('editor.properties')}>
        <h3>{t('editor.properties')}</h3>
        <p className="muted small">{t('editor.nothingSelected')}</p>
        <PageBackgroundProps />
      </aside>
    );
  }
  if (selected.length > 1 || !selection) {
    const allLocked = selected.every((e) => e.locked);
    return (
      <aside className="properties" aria-label={t('editor.properties')}>
        <h3>{t('editor.properties')}</h3>
        <p data-testid="selection-count">{t('editor.selectedCount', { count: selected.length })}</p>
        <label className="prop-check">
          <input
            type="checkbox"
            checked={allLocked}
            onChange={(e) =>
              store.getState().perform('setLocked', {
                pageId: selection!.pageId,
                ids: selection!.ids,
                locked: e.target.checked,
              })
            }
          />
          {t('prop.locked')}
        </label>
      </aside>
    );
  }

  const el = selected[0]!;
  const locked = el.locked;
  return (
    <aside
      className="properties"
      aria-label={t('editor.properties')}
      data-element-id={el.id}
      data-kind={el.kind}
    >
      <h3>{t(`prop.kind.${el.kind === 'shape' ? el.shape : el.kind}`)}</h3>
      <Row>
        <NumberField
          id="prop-x"
          label={t('prop.x')}
          value={el.x}
          disabled={locked}
          onCommit={(x) => patch('transform', el, { x })}
        />
        <NumberField
          id="prop-y"
          label={t('prop.y')}
          value={el.y}
          disabled={locked}
          onCommit={(y) => patch('transform', el, { y })}
        />
      </Row>
      <Row>
        <NumberField
          id="prop-w"
          label={t('prop.width')}
          value={el.width}
          min={0.1}
          disabled={locked}
          onCommit={(width) => patch('transform', el, { width })}
        />
        <NumberField
          id="prop-h"
          label={t('prop.height')}
          value={el.height}
          min={0.1}
          disabled={locked}
          onCommit={(height) => patch('transform', el, { height })}
        />
      </Row>
      <Row>
        <NumberField
          id="prop-rotation"
          label={t('prop.rotation')}
          value={el.rotation}
          min={-360}
          max={360}
          step={1}
          disabled={locked}
          onCommit={(rotation) => patch('transform', el, { rotation })}
        />
      </Row>
      <label className="prop-check">
        <input
          type="checkbox"
          checked={locked}
          onChange={(e) => patch('setProperties', el, { locked: e.target.checked })}
        />
        {t('prop.locked')}
      </label>
      {el.kind === 'text' && (
        <TextProps
          key={`${el.id}:${el.text}`}
          box={el}
          onPatch={(c, mergeKey) => patch('setProperties', el, c, mergeKey)}
        />
      )}
      {el.kind === 'shape' && (
        <ShapeProps shape={el} onPatch={(c, mergeKey) => patch('setProperties', el, c, mergeKey)} />
      )}
      {el.kind === 'image' && (
        <FrameProps
          frame={el}
          photo={el.photoId ? photos[el.photoId] : undefined}
          cropping={cropping?.id === el.id}
          onAdjust={() =>
            store
              .getState()
              .setCropping(cropping?.id === el.id ? null : { pageId: selection.pageId, id: el.id })
          }
          onPatch={(c) => patch('adjustPhoto', el, c)}
          onToBackground={() =>
            store.getState().perform('frameToBackground', { pageId: selection.pageId, id: el.id })
          }
        />
      )}
    </aside>
  );
}

function TextProps({
  box,
  onPatch,
}: {
  readonly box: TextBox;
  /** `mergeKey`: one picking gesture, one undo step (ColorInput). */
  readonly onPatch: (c: Partial<TextBox>, mergeKey?: string) => void;
}) {
  const t = useT();
  return (
    <fieldset className="prop-set">
      <legend>{t('prop.text')}</legend>
      <TextContentField key={box.text} value={box.text} onCommit={(text) => onPatch({ text })} />
      <label className="prop" htmlFor="prop-font">
        <span>{t('prop.font')}</span>
        <select
          id="prop-font"
          value={box.fontFamily}
          onChange={(e) => onPatch({ fontFamily: e.target.value as FontFamily })}
        >
          <option value="IPAexGothic">{t('prop.font.gothic')}</option>
          <option value="IPAexMincho">{t('prop.font.mincho')}</option>
        </select>
      </label>
      <Row>
        <NumberField
          id="prop-size"
          label={t('prop.sizePt')}
          value={box.sizePt}
          min={1}
          max={500}
          step={0.5}
          onCommit={(sizePt) => onPatch({ sizePt })}
        />
        <NumberField
          id="prop-line-height"
          label={t('prop.lineHeight')}
          value={box.lineHeight}
          min={0.5}
          max={5}
          step={0.05}
          onCommit={(lineHeight) => onPatch({ lineHeight })}
        />
      </Row>
      <Row>
        <label className="prop" htmlFor="prop-color">
          <span>{t('prop.color')}</span>
          <ColorInput
            id="prop-color"
            value={box.color}
            onPick={(color, mergeKey) => onPatch({ color }, mergeKey)}
          />
        </label>
        <label className="prop" htmlFor="prop-align">
          <span>{t('prop.align')}</span>
          <select
            id="prop-align"
            value={box.align}
            onChange={(e) => onPatch({ align: e.target.value as TextBox['align'] })}
          >
            {(['start', 'center', 'end', 'justify'] as const).map((a) => (
              <option key={a} value={a}>
                {t(`prop.align.${a}`)}
              </option>
            ))}
          </select>
        </label>
      </Row>
      <label className="prop-check">
        <input
          type="checkbox"
          checked={box.vertical}
          onChange={(e) => onPatch({ vertical: e.target.checked })}
        />
        {t('prop.vertical')}
      </label>
    </fieldset>
  );
}

function ShapeProps({
  shape,
  onPatch,
}: {
  readonly shape: Shape;
  readonly onPatch: (c: Partial<Shape>, mergeKey?: string) => void;
}) {
  const t = useT();
  return (
    <fieldset className="prop-set">
      <legend>{t('prop.fillStroke')}</legend>
      {shape.shape !== 'line' && (
        <Row>
          <label className="prop-check">
            <input
              type="checkbox"
              checked={shape.fill !== null}
              onChange={(e) => onPatch({ fill: e.target.checked ? '#dfe7f5' : null })}
            />
            {t('prop.fill')}
          </label>
          {shape.fill !== null && (
            <ColorInput
              label={t('prop.fillColor')}
              value={shape.fill}
              onPick={(fill, mergeKey) => onPatch({ fill }, mergeKey)}
            />
          )}
        </Row>
      )}
      <Row>
        <label className="prop-check">
          <input
            type="checkbox"
            checked={shape.stroke !== null}
            onChange={(e) =>
              onPatch({ stroke: e.target.checked ? { color: '#1a1a1a', widthMm: 0.5 } : null })
            }
          />
          {t('prop.stroke')}
        </label>
        {shape.stroke !== null && (
          <ColorInput
            label={t('prop.strokeColor')}
            value={shape.stroke.color}
            onPick={(color, mergeKey) => onPatch({ stroke: { ...shape.stroke!, color } }, mergeKey)}
          />
        )}
      </Row>
      {shape.stroke !== null && (
        <NumberField
          id="prop-stroke-width"
          label={t('prop.strokeWidth')}
          value={shape.stroke.widthMm}
          min={0.05}
          max={50}
          step={0.1}
          onCommit={(widthMm) => onPatch({ stroke: { ...shape.stroke!, widthMm } })}
        />
      )}
    </fieldset>
  );
}

function FrameProps({
  frame,
  photo,
  cropping,
  onAdjust,
  onPatch,
  onToBackground,
}: {
  readonly frame: ImageFrame;
  readonly photo: { widthPx: number; heightPx: number } | undefined;
  readonly cropping: boolean;
  readonly onAdjust: () => void;
  readonly onPatch: (c: Partial<ImageFrame>) => void;
  readonly onToBackground: () => void;
}) {
  const t = useT();
  if (!frame.photoId) {
    return <p className="muted small">{t('prop.emptyFrame')}</p>;
  }
  const resolution = photo ? photoResolution(frame, photo, frame.placement) : null;
  const ppi = resolution?.ppi ?? null;
  const level = resolution?.level ?? null;
  return (
    <fieldset className="prop-set">
      <legend>{t('prop.photo')}</legend>
      {ppi !== null && level !== null && (
        <p className={`ppi ppi-${level}`} data-testid="frame-ppi" data-level={level}>
          {t(`prop.ppi.${level}`, { ppi })}
        </p>
      )}
      <PlacementControls
        id="prop-photo-scale"
        placement={frame.placement}
        fillLabel={t('prop.fill.fill')}
        onChange={(placement) => onPatch({ placement })}
      />
      <button type="button" className="tool" aria-pressed={cropping} onClick={onAdjust}>
        {cropping ? t('prop.adjustDone') : t('prop.adjust')}
      </button>
      <button
        type="button"
        className="tool"
        disabled={frame.locked}
        title={t('prop.setAsBackgroundHint')}
        onClick={onToBackground}
      >
        {t('prop.setAsBackground')}
      </button>
    </fieldset>
  );
}

/**
 * A colour input whose picking gesture (from focus until blur) is one undo step however many
 * colours it passes through: every colour shows at once, and autosave keeps the latest.
 */
function ColorInput(props: {
  readonly id?: string;
  readonly label?: string;
  readonly value: string;
  readonly onPick: (color: string, mergeKey: string) => void;
}) {
  const name = useId();
  const gesture = useRef(0);
  return (
    <input
      {...(props.id === undefined ? {} : { id: props.id })}
      {...(props.label === undefined ? {} : { 'aria-label': props.label })}
      type="color"
      value={props.value}
      onChange={(e) => props.onPick(e.target.value.toLowerCase(), `${name}:${gesture.current}`)}
      onBlur={() => void gesture.current++}
    />
  );
}

/**
 * How a photo sits in its box (a frame, or the page for a background): fill or fit, each from
 * the centre at 100 %, and the scale.
 */
function PlacementControls(props: {
  readonly id: string;
  readonly placement: Placement;
  readonly fillLabel: string;
  readonly onChange: (placement: Placement) => void;
}) {
  const t = useT();
  const { placement, onChange } = props;
  return (
    <>
      <Row>
        {(['fill', 'fit'] as const).map((fit) => (
          <button
            key={fit}
            type="button"
            className="tool"
            aria-pressed={placement.fit === fit}
            onClick={() => onChange({ ...DEFAULT_PLACEMENT, fit })}
          >
            {fit === 'fill' ? props.fillLabel : t('prop.fill.fit')}
          </button>
        ))}
      </Row>
      <NumberField
        id={props.id}
        label={t('prop.photoScale')}
        value={placement.scale * 100}
        min={5}
        max={5000}
        step={5}
        onCommit={(pct) => onChange({ ...placement, scale: pct / 100 })}
      />
    </>
  );
}

/**
 * With nothing selected: the background of the page being edited (the active page). A colour,
 * or a photo put there from a frame ("Set as page background"), which can be cleared to white.
 */
function PageBackgroundProps() {
  const t = useT();
  const store = useEditorStore();
  const page = useEditor((s) => (s.activePageId ? s.pages[s.activePageId] : undefined));
  const pageNumber = useEditor((s) => (s.activePageId ? s.order.indexOf(s.activePageId) + 1 : 0));
  const photos = useEditor((s) => s.photos);
  if (!page) return null;
  const set = (background: Page['background'], mergeKey?: string) =>
    store
      .getState()
      .perform(
        'setBackground',
        { pageId: page.id, background },
        mergeKey === undefined ? undefined : { mergeKey },
      );
  const background = page.background;
  return (
    <fieldset className="prop-set" data-testid="page-background" data-kind={background.kind}>
      <legend>{t('prop.pageBackgroundOf', { page: pageNumber })}</legend>
      {background.kind === 'color' ? (
        <>
          <label className="prop" htmlFor="prop-background-color">
            <span>{t('prop.backgroundColor')}</span>
            <ColorInput
              id="prop-background-color"
              value={background.color}
              onPick={(color, mergeKey) => set({ kind: 'color', color }, mergeKey)}
            />
          </label>
          <p className="muted small">{t('prop.backgroundPhotoHint')}</p>
        </>
      ) : (
        <>
          <BackgroundPhoto photo={photos[background.photoId]} label={t('prop.backgroundPhoto')} />
          <PlacementControls
            id="prop-background-scale"
            placement={background.placement}
            fillLabel={t('prop.background.fill')}
            onChange={(placement) => set({ ...background, placement })}
          />
          <button
            type="button"
            className="tool"
            onClick={() => set({ kind: 'color', color: '#ffffff' })}
          >
            {t('prop.clearBackgroundPhoto')}
          </button>
        </>
      )}
    </fieldset>
  );
}

function BackgroundPhoto({
  photo,
  label,
}: {
  readonly photo: PhotoInfo | undefined;
  readonly label: string;
}) {
  return (
    <div className="prop prop-wide">
      <span>{label}</span>
      {photo?.thumbnailUrl && (
        <img className="background-thumb" src={photo.thumbnailUrl} alt={label} />
      )}
    </div>
  );
}

/** The text itself; committed when the field is left (one undo step per edit). */
function TextContentField({
  value,
  onCommit,
}: {
  readonly value: string;
  readonly onCommit: (text: string) => void;
}) {
  const t = useT();
  const [text, setText] = useState(value);
  return (
    <label className="prop prop-wide" htmlFor="prop-text">
      <span>{t('prop.content')}</span>
      <textarea
        id="prop-text"
        rows={3}
        value={text}
        maxLength={10_000}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => text !== value && onCommit(text)}
      />
    </label>
  );
}
