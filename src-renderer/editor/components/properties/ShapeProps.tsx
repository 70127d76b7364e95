import type { Shape } from '../../../../src-shared/model/page.js';
import { useT } from '../../../i18n/i18nStore.js';
import { ColorInput, NumberField, Row } from './fields.js';

/** A shape's fill (none for a line) and stroke. */
export function ShapeProps({
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
