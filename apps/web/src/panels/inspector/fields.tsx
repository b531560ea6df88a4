import type { ReactNode } from 'react';

export function Field({
  label,
  children,
  hint,
  title,
}: {
  label: string;
  children: ReactNode;
  hint?: ReactNode;
  title?: string;
}) {
  return (
    <label className="field" title={title}>
      <span className="field__label">{label}</span>
      {children}
      {hint && <span className="field__hint">{hint}</span>}
    </label>
  );
}

export function Toggle({
  label,
  checked,
  onChange,
  testId,
  hint,
}: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  testId?: string;
  hint?: string;
}) {
  return (
    <label className="toggle" title={hint}>
      <input
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        data-testid={testId}
      />
      <span>{label}</span>
    </label>
  );
}

/** A toggle with the problems of its field under it: one cell of a toggles grid. */
export function ToggleCell({
  field,
  problems,
  ...toggle
}: Parameters<typeof Toggle>[0] & { field: string; problems: ReadonlyMap<string, string[]> }) {
  return (
    <div className="toggle-cell">
      <Toggle {...toggle} />
      <FieldError field={field} problems={problems} />
    </div>
  );
}

/** The validator's or the broker's sentence about one field, right under it. */
export function FieldError({
  field,
  problems,
  testId = `field-error-${field}`,
}: {
  field: string;
  problems: ReadonlyMap<string, string[]>;
  testId?: string;
}) {
  const messages = problems.get(field);
  if (!messages || messages.length === 0) return null;
  return (
    <span className="field-error" data-testid={testId} role="alert">
      {messages.join(' ')}
    </span>
  );
}

/** Problems whose field the inspector does not draw, so none goes unseen. */
export function OtherProblems({
  problems,
  shown,
}: {
  problems: ReadonlyMap<string, string[]>;
  shown: ReadonlySet<string>;
}) {
  const rest = [...problems].filter(([field]) => field !== '' && !shown.has(field));
  if (rest.length === 0) return null;
  return (
    <div className="inspector__problems" role="alert">
      {rest.map(([field, messages]) => (
        <p key={field}>{messages.join(' ')}</p>
      ))}
    </div>
  );
}
