import type { Element } from '../../../../src-shared/model/page.js';
import { useT } from '../../../i18n/i18nStore.js';
import { useEditor, useEditorStore } from '../../editorContext.js';
import { NumberField, Row } from './fields.js';
import { FrameProps } from './FrameProps.js';
import { PageBackgroundProps } from './PageBackgroundProps.js';
import { ShapeProps } from './ShapeProps.js';
import { TextProps } from './TextProps.js';

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
