import { useState, type FormEvent, type ReactNode } from 'react';
import type { AppError } from '../../src-shared/result.js';
import { TRIM_PRESETS } from '../../src-shared/model/album.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useT } from '../i18n/i18nStore.js';
import { useAlbums } from '../stores/albumsStore.js';
import { useApi } from '../stores/sessionStore.js';
import {
  initialAlbumForm,
  PRESET_CHOICES,
  validateAlbumForm,
  type AlbumField,
  type AlbumFormErrors,
  type AlbumFormValues,
  type PresetChoice,
} from './albumForm.js';

/** Title, school, fiscal year, trim, bleed, safe margin, binding and first page count. */
export function CreateAlbumForm({
  onDone,
  onCancel,
}: {
  readonly onDone: (title: string) => void;
  readonly onCancel: () => void;
}) {
  const t = useT();
  const api = useApi();
  const create = useAlbums((s) => s.create);
  const [values, setValues] = useState<AlbumFormValues>(() => initialAlbumForm(new Date()));
  const [errors, setErrors] = useState<AlbumFormErrors>({});
  const [failure, setFailure] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);

  const set = <K extends AlbumField>(field: K, value: AlbumFormValues[K]) =>
    setValues((v) => ({ ...v, [field]: value }));

  function choosePreset(preset: PresetChoice) {
    setValues((v) =>
      preset === 'custom'
        ? { ...v, preset }
        : {
            ...v,
            preset,
            widthMm: String(TRIM_PRESETS[preset].widthMm),
            heightMm: String(TRIM_PRESETS[preset].heightMm),
          },
    );
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const checked = validateAlbumForm(values);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    const error = await create(api, checked.args);
    setBusy(false);
    if (error) setFailure(error);
    else onDone(checked.args.title.trim());
  }

  const field = (name: AlbumField, label: string, input: ReactNode, hint?: string) => {
    const error = errors[name];
    return (
      <div className={`field${error ? ' invalid' : ''}`}>
        <label htmlFor={`album-${name}`}>{label}</label>
        {input}
        {hint && <span className="hint">{hint}</span>}
        {error && (
          <span className="field-error" id={`album-${name}-error`}>
            {t(error.key, error.params)}
          </span>
        )}
      </div>
    );
  };
  const text = (name: AlbumField, extra: Record<string, unknown> = {}) => ({
    id: `album-${name}`,
    name,
    value: values[name],
    onChange: (e: { target: { value: string } }) => set(name, e.target.value),
    'aria-invalid': errors[name] ? true : undefined,
    'aria-describedby': errors[name] ? `album-${name}-error` : undefined,
    ...extra,
  });
  const custom = values.preset === 'custom';

  return (
    <form className="card form album-form" onSubmit={(e) => void submit(e)} noValidate>
      <h2>{t('create.title')}</h2>
      {field(
        'title',
        t('create.albumTitle'),
        <input {...text('title', { placeholder: t('create.albumTitlePlaceholder') })} />,
      )}
      <div className="row">
        {field(
          'schoolTenantId',
          t('create.schoolTenantId'),
          <input {...text('schoolTenantId', { spellCheck: false, className: 'mono' })} />,
          t('create.schoolTenantIdHint'),
        )}
        {field('schoolName', t('create.schoolName'), <input {...text('schoolName')} />)}
      </div>
      <div className="row">
        {field(
          'fiscalYear',
          t('create.fiscalYear'),
          <input {...text('fiscalYear', { type: 'number', inputMode: 'numeric' })} />,
        )}
        {field(
          'pageCount',
          t('create.pageCount'),
          <input {...text('pageCount', { type: 'number', min: 1, inputMode: 'numeric' })} />,
        )}
      </div>
      <fieldset>
        <legend>{t('create.trim')}</legend>
        <div className="choices">
          {PRESET_CHOICES.map((preset) => (
            <label key={preset} className="choice">
              <input
                type="radio"
                name="preset"
                value={preset}
                checked={values.preset === preset}
                onChange={() => choosePreset(preset)}
              />
              {t(`create.trim.${preset}`)}
            </label>
          ))}
        </div>
        <div className="row">
          {field(
            'widthMm',
            t('create.widthMm'),
            <input {...text('widthMm', { type: 'number', disabled: !custom })} />,
          )}
          {field(
            'heightMm',
            t('create.heightMm'),
            <input {...text('heightMm', { type: 'number', disabled: !custom })} />,
          )}
        </div>
      </fieldset>
      <div className="row">
        {field(
          'bleedMm',
          t('create.bleedMm'),
          <input {...text('bleedMm', { type: 'number', step: 0.5 })} />,
        )}
        {field(
          'safeMarginMm',
          t('create.safeMarginMm'),
          <input {...text('safeMarginMm', { type: 'number', step: 0.5 })} />,
        )}
      </div>
      <fieldset>
        <legend>{t('create.binding')}</legend>
        <div className="choices">
          {(['left', 'right'] as const).map((side) => (
            <label key={side} className="choice">
              <input
                type="radio"
                name="binding"
                value={side}
                checked={values.binding === side}
                onChange={() => set('binding', side)}
              />
              {t(`create.binding.${side}`)}
            </label>
          ))}
        </div>
      </fieldset>
      {Object.keys(errors).length > 0 && (
        <p className="error" role="alert">
          {t('create.invalid')}
        </p>
      )}
      <ErrorMessage error={failure} />
      <div className="actions">
        <button type="button" onClick={onCancel}>
          {t('create.cancel')}
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {t('create.submit')}
        </button>
      </div>
    </form>
  );
}
