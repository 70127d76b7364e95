import { DEFAULT_PLACEMENT, type Placement } from '../../../../src-shared/model/page.js';
import { useT } from '../../../i18n/i18nStore.js';
import { NumberField, Row } from './fields.js';

/**
 * How a photo sits in its box (a frame, or the page for a background): fill or fit, each from
 * the centre at 100 %, and the scale.
 */
export function PlacementControls(props: {
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
