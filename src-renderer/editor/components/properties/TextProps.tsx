import { useState } from 'react';
import type { FontFamily, TextBox } from '../../../../src-shared/model/page.js';
import { useT } from '../../../i18n/i18nStore.js';
import { ColorInput, NumberField, Row } from './fields.js';

/** A text box's text, font, size, line height, colour, alignment and writing direction. */
export function TextProps({
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
