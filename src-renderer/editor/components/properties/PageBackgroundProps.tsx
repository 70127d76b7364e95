import type { Page } from '../../../../src-shared/model/page.js';
import { useT } from '../../../i18n/i18nStore.js';
import { useEditor, useEditorStore } from '../../editorContext.js';
import type { PhotoInfo } from '../../editorStore.js';
import { ColorInput } from './fields.js';
import { PlacementControls } from './PlacementControls.js';

/**
 * With nothing selected: the background of the page being edited (the active page). A colour,
 * or a photo put there from a frame ("Set as page background"), which can be cleared to white.
 */
export function PageBackgroundProps() {
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
