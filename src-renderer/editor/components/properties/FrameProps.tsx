import { photoResolution } from '../../../../src-shared/geometry/resolution.js';
import type { ImageFrame } from '../../../../src-shared/model/page.js';
import { useT } from '../../../i18n/i18nStore.js';
import { PlacementControls } from './PlacementControls.js';

/**
 * An image frame's photo: its effective resolution, how it sits in the frame, adjusting it on
 * the canvas, and making it the page's background.
 */
export function FrameProps({
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
