import { Modal } from '../components/Modal.js';
import { useT } from '../i18n/i18nStore.js';

/** Asks before a page is deleted (page `n`, 1-based). */
export function DeletePageDialog({
  n,
  onCancel,
  onConfirm,
}: {
  readonly n: number;
  readonly onCancel: () => void;
  readonly onConfirm: () => void;
}) {
  const t = useT();
  return (
    <Modal title={t('strip.deleteTitle')} onClose={onCancel}>
      <p>{t('strip.deleteConfirm', { n })}</p>
      <div className="actions">
        <button type="button" onClick={onCancel}>
          {t('strip.cancel')}
        </button>
        <button type="button" className="danger" onClick={onConfirm}>
          {t('strip.deleteConfirmButton')}
        </button>
      </div>
    </Modal>
  );
}
