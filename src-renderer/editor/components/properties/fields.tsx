import { useId, useRef, useState, type ReactNode } from 'react';

/** The inputs every section of the properties panel is made of. */

const round = (n: number) => Math.round(n * 100) / 100;

/** A number input that commits (one undo step) on Enter or leaving the field, not per key. */
export function NumberField(props: Parameters<typeof NumberInput>[0]) {
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

export function Row({ children }: { readonly children: ReactNode }) {
  return <div className="prop-row">{children}</div>;
}

/**
 * A colour input whose picking gesture (from focus until blur) is one undo step however many
 * colours it passes through: every colour shows at once, and autosave keeps the latest.
 */
export function ColorInput(props: {
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
