import { useId, type ReactNode } from 'react';
import { DraftField, type DraftFieldProps } from './DraftField';
import { FieldError } from './fields';
import { readInteger } from './producer-fields';

type Problems = ReadonlyMap<string, string[]>;

/** A labelled cell of the compact two-column grids. */
export function Cell({
  label,
  hint,
  children,
  wide,
  field,
  problems,
}: {
  label: string;
  hint?: string;
  children: (id: string) => ReactNode;
  wide?: boolean;
  field?: string;
  problems?: Problems;
}) {
  const id = useId();
  return (
    <div className={`prop-cell ${wide ? 'prop-cell--wide' : ''}`}>
      <label className="prop-cell__label" htmlFor={id} title={hint}>
        {label}
      </label>
      {children(id)}
      {field && problems && <FieldError field={field} problems={problems} />}
    </div>
  );
}

/**
 * A number (or short text) typed into the compact grids: labelled, kept as a draft while it
 * does not read as a value, marked invalid and explained while the validator has a problem
 * with `field`.
 */
export function DraftCell<T>({
  label,
  hint,
  field,
  problems,
  ...input
}: {
  label: string;
  hint: string;
  field: string;
  problems: Problems;
} & Omit<DraftFieldProps<T>, 'id' | 'invalid' | 'quiet' | 'children'>) {
  return (
    <Cell label={label} hint={hint} field={field} problems={problems}>
      {(id) => <DraftField {...input} id={id} invalid={problems.has(field)} quiet />}
    </Cell>
  );
}

/** A whole number in the compact grids; empty text clears it (commits `undefined`). */
export function IntegerCell({
  value,
  ...cell
}: { value: number | undefined } & Omit<
  Parameters<typeof DraftCell<number | undefined>>[0],
  'value' | 'read' | 'inputMode'
>) {
  return (
    <DraftCell
      {...cell}
      value={value === undefined ? '' : String(value)}
      read={readInteger}
      inputMode="numeric"
    />
  );
}
