import { useState } from 'react';
import { canonicalJson } from '@warren/topology';
import { FieldError } from './fields';

/** How a row's value is typed: AMQP tables keep the type, and headers exchanges compare it. */
export type ValueType = 'string' | 'number' | 'boolean' | 'json';

interface Row {
  key: string;
  type: ValueType;
  /** As typed; for booleans 'true' or 'false'. */
  text: string;
}

function typeOf(value: unknown): ValueType {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'json';
}

function toRow(key: string, value: unknown): Row {
  const type = typeOf(value);
  return { key, type, text: type === 'string' ? (value as string) : JSON.stringify(value) };
}

/** The row's value, or undefined while its text does not read as its type. */
function rowValue(row: Row): unknown {
  switch (row.type) {
    case 'string':
      return row.text;
    case 'number': {
      const n = Number(row.text);
      return row.text.trim() === '' || !Number.isFinite(n) ? undefined : n;
    }
    case 'boolean':
      return row.text === 'true';
    case 'json':
      try {
        return JSON.parse(row.text) as unknown;
      } catch {
        return undefined;
      }
  }
}

/**
 * Rows with a key and a readable value, as a table; the first of a repeated key wins, and
 * keys with a field of their own elsewhere are left to that field.
 */
function toTable(rows: Row[], reserved: ReadonlySet<string> | undefined): Record<string, unknown> {
  const table: Record<string, unknown> = {};
  for (const row of rows) {
    if (row.key === '' || row.key in table || reserved?.has(row.key)) continue;
    const value = rowValue(row);
    if (value !== undefined) table[row.key] = value;
  }
  return table;
}

const typeLabels: Record<ValueType, string> = {
  string: 'text',
  number: 'number',
  boolean: 'true/false',
  json: 'table',
};

/**
 * Key/value rows with a type each, for binding headers and arguments the catalogue does not
 * know. The rows are a draft: a row being typed (no key yet, a half-typed number) stays on
 * screen while the document holds only the entries that read as values.
 */
export function KeyValueRows({
  values,
  onChange,
  testIdPrefix,
  problems,
  reserved,
  keyPlaceholder = 'name',
  addLabel = 'Add',
}: {
  values: Record<string, unknown>;
  onChange: (values: Record<string, unknown>) => void;
  /** `binding-header` gives binding-header-key-0, binding-header-value-0, binding-header-add. */
  testIdPrefix: string;
  problems: ReadonlyMap<string, string[]>;
  /** Keys edited elsewhere in the inspector; typing one here is pointed out. */
  reserved?: ReadonlySet<string>;
  keyPlaceholder?: string;
  addLabel?: string;
}) {
  const [rows, setRows] = useState<Row[]>(() =>
    Object.entries(values).map(([k, v]) => toRow(k, v)),
  );
  // The document changed from elsewhere (a reload, another tab): show what it holds now.
  // Adjusted during render, as React recommends for state derived from props.
  const incoming = canonicalJson(values);
  const [synced, setSynced] = useState(incoming);
  if (synced !== incoming) {
    setSynced(incoming);
    if (canonicalJson(toTable(rows, reserved)) !== incoming)
      setRows(Object.entries(values).map(([k, v]) => toRow(k, v)));
  }

  const update = (next: Row[]) => {
    setRows(next);
    const table = toTable(next, reserved);
    if (canonicalJson(table) !== incoming) onChange(table);
  };
  const change = (i: number, patch: Partial<Row>) =>
    update(rows.map((row, j) => (j === i ? { ...row, ...patch } : row)));
  const keys = rows.map((r) => r.key);

  return (
    <div className="kv-rows">
      {rows.map((row, i) => {
        const value = rowValue(row);
        const repeated = row.key !== '' && keys.indexOf(row.key) !== i;
        const note = repeated
          ? `'${row.key}' is already above; only the first counts.`
          : reserved?.has(row.key)
            ? `'${row.key}' has its own field above.`
            : value === undefined && row.text !== ''
              ? row.type === 'number'
                ? 'Not a number.'
                : 'Not valid JSON.'
              : undefined;
        return (
          <div className="kv-row" key={i}>
            <div className="kv-row__inputs">
              <input
                className="kv-row__key"
                data-testid={`${testIdPrefix}-key-${i}`}
                value={row.key}
                placeholder={keyPlaceholder}
                spellCheck={false}
                autoComplete="off"
                aria-label="Name"
                onChange={(e) => change(i, { key: e.target.value })}
              />
              <select
                className="kv-row__type"
                data-testid={`${testIdPrefix}-type-${i}`}
                value={row.type}
                aria-label="Type"
                onChange={(e) => {
                  const type = e.target.value as ValueType;
                  const text =
                    type === 'boolean'
                      ? row.text === 'false'
                        ? 'false'
                        : 'true'
                      : row.type === 'boolean'
                        ? ''
                        : row.text;
                  change(i, { type, text });
                }}
              >
                {(Object.keys(typeLabels) as ValueType[])
                  .filter((t) => t !== 'json' || row.type === 'json')
                  .map((t) => (
                    <option key={t} value={t}>
                      {typeLabels[t]}
                    </option>
                  ))}
              </select>
              {row.type === 'boolean' ? (
                <select
                  className="kv-row__value"
                  data-testid={`${testIdPrefix}-value-${i}`}
                  value={row.text}
                  aria-label="Value"
                  onChange={(e) => change(i, { text: e.target.value })}
                >
                  <option value="true">true</option>
                  <option value="false">false</option>
                </select>
              ) : (
                <input
                  className={`kv-row__value ${note !== undefined && !repeated ? 'is-invalid' : ''}`}
                  data-testid={`${testIdPrefix}-value-${i}`}
                  value={row.text}
                  placeholder="value"
                  inputMode={row.type === 'number' ? 'decimal' : undefined}
                  spellCheck={false}
                  autoComplete="off"
                  aria-label="Value"
                  onChange={(e) => change(i, { text: e.target.value })}
                />
              )}
              <button
                type="button"
                className="kv-row__remove"
                data-testid={`${testIdPrefix}-remove-${i}`}
                title="Remove"
                aria-label={`Remove ${row.key || 'row'}`}
                onClick={() => update(rows.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </div>
            {note !== undefined && <span className="field-error">{note}</span>}
            {row.key !== '' && !repeated && <FieldError field={row.key} problems={problems} />}
          </div>
        );
      })}
      <button
        type="button"
        className="add-button"
        data-testid={`${testIdPrefix}-add`}
        onClick={() => setRows([...rows, { key: '', type: 'string', text: '' }])}
      >
        + {addLabel}
      </button>
    </div>
  );
}
