import { BUILT_IN_EXCHANGES, exchangeTypeOf } from '@warren/topology';
import { useCallback } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { HeaderRow } from '../../store/state';
import { useWarren, type WarrenState } from '../../store/store';

const builtIns = Object.keys(BUILT_IN_EXCHANGES).filter((name) => name !== '');
const selectExchangeNames = (s: WarrenState) => s.topology.exchanges.map((x) => x.name);
const selectEdit = (s: WarrenState) => s.editExplainMessage;
const selectTopology = (s: WarrenState) => s.topology;

function keyHint(type: string | undefined): string | undefined {
  if (type === 'fanout') return 'A fanout exchange ignores the routing key.';
  if (type === 'headers') return 'A headers exchange ignores the key; it compares the headers.';
  if (type === 'x-consistent-hash') return 'The broker hashes the key to pick one queue.';
  return undefined;
}

function HeaderRows({ rows }: { rows: HeaderRow[] }) {
  const edit = useWarren(selectEdit);
  const change = useCallback(
    (index: number, patch: Partial<HeaderRow>) =>
      edit({ headers: rows.map((row, i) => (i === index ? { ...row, ...patch } : row)) }),
    [edit, rows],
  );
  return (
    <div className="explain-headers">
      {rows.map((row, i) => (
        <div className="explain-headers__row" key={i}>
          <input
            aria-label={`header ${i + 1} name`}
            placeholder="name"
            value={row.key}
            spellCheck={false}
            onChange={(e) => change(i, { key: e.target.value })}
            data-testid={`explain-header-key-${i}`}
          />
          <span className="explain-headers__eq">=</span>
          <input
            aria-label={`header ${i + 1} value`}
            placeholder="value"
            value={row.value}
            spellCheck={false}
            onChange={(e) => change(i, { value: e.target.value })}
            data-testid={`explain-header-value-${i}`}
          />
          <button
            type="button"
            className="explain-icon-button"
            title="Remove this header"
            aria-label={`Remove header ${row.key || i + 1}`}
            onClick={() => edit({ headers: rows.filter((_, j) => j !== i) })}
            data-testid={`explain-header-remove-${i}`}
          >
            ×
          </button>
        </div>
      ))}
      <button
        type="button"
        className="explain-link-button"
        onClick={() => edit({ headers: [...rows, { key: '', value: '' }] })}
        data-testid="explain-header-add"
      >
        + header
      </button>
    </div>
  );
}

/** The message to explain. With a producer linked, every change here changes the producer. */
export function MessageForm() {
  const form = useWarren(useWarren.derived.explainForm);
  const edit = useWarren(selectEdit);
  const drawn = useWarren(useShallow(selectExchangeNames));
  const topology = useWarren(selectTopology);
  const type = exchangeTypeOf(topology, form.exchange);
  const hint = keyHint(type);
  const unknown =
    form.exchange !== '' && !drawn.includes(form.exchange) && !builtIns.includes(form.exchange);

  return (
    <div className="explain-form">
      {form.producer && (
        <p className="explain-form__linked">
          The message of producer <strong>{form.producer.name}</strong>: changes here change the
          producer.
        </p>
      )}
      <div className="explain-form__grid">
        <label className="explain-field">
          <span className="explain-field__label">Exchange</span>
          <select
            value={form.exchange}
            onChange={(e) => edit({ exchange: e.target.value })}
            data-testid="explain-exchange"
          >
            <option value="">(default exchange)</option>
            {drawn.length > 0 && (
              <optgroup label="On the canvas">
                {drawn.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </optgroup>
            )}
            <optgroup label="Every vhost has">
              {builtIns.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </optgroup>
            {unknown && <option value={form.exchange}>{form.exchange} (missing)</option>}
          </select>
        </label>
        <label className="explain-field">
          <span className="explain-field__label">Routing key</span>
          <input
            value={form.routingKey}
            placeholder={form.exchange === '' ? 'a queue name' : 'e.g. order.created'}
            spellCheck={false}
            onChange={(e) => edit({ routingKey: e.target.value })}
            data-testid="explain-routing-key"
          />
          {hint && <span className="explain-field__hint">{hint}</span>}
        </label>
      </div>
      <div className="explain-field">
        <span className="explain-field__label">Headers</span>
        <HeaderRows rows={form.headers} />
      </div>
      <div className="explain-form__grid explain-form__grid--end">
        <label className="explain-field">
          <span className="explain-field__label">Expiration (ms)</span>
          <input
            value={form.expiration}
            inputMode="numeric"
            placeholder="none"
            spellCheck={false}
            onChange={(e) => edit({ expiration: e.target.value })}
            data-testid="explain-expiration"
          />
        </label>
        <label
          className="explain-check"
          title="An unroutable message comes back to the producer (basic.return)"
        >
          <input
            type="checkbox"
            checked={form.mandatory}
            onChange={(e) => edit({ mandatory: e.target.checked })}
            data-testid="explain-mandatory"
          />
          <span>mandatory</span>
        </label>
      </div>
    </div>
  );
}
