import { DraftField, type Reading } from './DraftField';
import { Field } from './fields';

/** A whole or decimal number inside [min, max], or the sentence saying what is wrong. */
function readNumber(min: number, max: number, integer: boolean) {
  return (text: string): Reading<number> => {
    const trimmed = text.trim();
    if (trimmed === '') return { problem: 'Needs a number.' };
    const n = Number(trimmed);
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n)))
      return { problem: integer ? 'A whole number.' : 'A number.' };
    if (n < min || n > max) return { problem: `From ${min} to ${max}.` };
    return { value: n };
  };
}

/**
 * A number typed as text: it reaches the document only while it reads as a number inside
 * [min, max]; until then the field keeps what was typed and says what is wrong.
 */
export function NumberField({
  value,
  onCommit,
  min,
  max,
  integer = true,
  testId,
  unit,
  placeholder,
}: {
  value: number | undefined;
  onCommit: (value: number) => void;
  min: number;
  max: number;
  integer?: boolean;
  testId: string;
  unit?: string;
  placeholder?: string;
}) {
  return (
    <DraftField
      value={value === undefined ? '' : String(value)}
      read={readNumber(min, max, integer)}
      onCommit={onCommit}
      testId={testId}
      inputMode={integer ? 'numeric' : 'decimal'}
      placeholder={placeholder}
    >
      {(input, problem) => (
        <span className="number-input">
          <span className="number-input__box">
            {input}
            {unit && <span className="number-input__unit">{unit}</span>}
          </span>
          {problem && <span className="field__problem number-input__problem">{problem}</span>}
        </span>
      )}
    </DraftField>
  );
}

/** A number field under its label. */
export function LabelledNumber({
  label,
  ...number
}: { label: string } & Parameters<typeof NumberField>[0]) {
  return (
    <Field label={label}>
      <NumberField {...number} />
    </Field>
  );
}
