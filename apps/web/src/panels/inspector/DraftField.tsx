import { useState, type ReactNode } from 'react';

/** What typed text reads as: a value to store, or the sentence saying why it cannot be stored. */
export type Reading<T> = { value: T } | { problem: string };

export interface DraftFieldProps<T> {
  /** The stored value, as text; shown whenever the field is not being typed in. */
  value: string;
  /** Reads what is typed. A problem keeps the text as a draft, marked and explained. */
  read: (text: string) => Reading<T>;
  /** Takes every value the text reads as, while it is typed. */
  onCommit: (value: T) => void;
  testId: string;
  id?: string;
  placeholder?: string;
  inputMode?: 'numeric' | 'decimal' | 'text';
  title?: string;
  className?: string;
  /** Marked invalid for a reason found elsewhere (the validator, the last Apply). */
  invalid?: boolean;
  /** Shown under the input while the draft has no problem. */
  hint?: ReactNode;
  /** Marks a problem on the input only, where a sentence beside it already explains. */
  quiet?: boolean;
  /** Lays out the input and the problem, for a field that places its message elsewhere. */
  children?: (input: ReactNode, problem: string | undefined) => ReactNode;
}

/**
 * One text field that edits a draft: what is typed stays on screen while it does not read as a
 * value (a half-typed number, a name another object has), with the reason under it; every
 * value it does read as reaches the document at once, so the canvas follows the typing. On
 * blur the draft goes and the field shows what is stored.
 */
export function DraftField<T>({
  value,
  read,
  onCommit,
  testId,
  id,
  placeholder,
  inputMode,
  title,
  className = '',
  invalid = false,
  hint,
  quiet = false,
  children,
}: DraftFieldProps<T>) {
  // While typed in, the field shows the draft even when it cannot be stored yet.
  const [draft, setDraft] = useState<string | null>(null);
  const reading = draft === null ? undefined : read(draft);
  const problem = reading && 'problem' in reading ? reading.problem : undefined;
  const input = (
    <input
      id={id}
      data-testid={testId}
      value={draft ?? value}
      inputMode={inputMode}
      spellCheck={false}
      autoComplete="off"
      placeholder={placeholder}
      title={title}
      className={[problem !== undefined || invalid ? 'is-invalid' : '', className].join(' ').trim()}
      onChange={(e) => {
        setDraft(e.target.value);
        const next = read(e.target.value);
        if ('value' in next) onCommit(next.value);
      }}
      onBlur={() => setDraft(null)}
    />
  );
  if (children) return children(input, problem);
  const shown = quiet ? undefined : problem;
  return (
    <>
      {input}
      {(shown !== undefined || hint) && (
        <span className="field__hint">
          {shown !== undefined ? <span className="field__problem">{shown}</span> : hint}
        </span>
      )}
    </>
  );
}

/** Any text is a value. */
export const readText = (text: string): Reading<string> => ({ value: text });
