import {
  renderTemplate,
  routingKeyFor,
  unknownTemplateVariables,
  type Producer,
  type RoutingKeyStrategy,
} from '@warren/topology';
import { useState } from 'react';
import { FieldError } from './fields';
import type { ProducerFieldsProps } from './producer-fields';

/** How the routing key of each message is picked, and what the payload template makes. */

const STRATEGIES: { kind: RoutingKeyStrategy['kind']; label: string; hint: string }[] = [
  { kind: 'fixed', label: 'Fixed key', hint: 'Every message gets the same routing key.' },
  { kind: 'round-robin', label: 'Round-robin list', hint: 'The keys in turn, one per message.' },
  { kind: 'random', label: 'Random from list', hint: 'A key drawn at random for each message.' },
  {
    kind: 'template',
    label: 'Template',
    hint: 'The key is a template: {{n}} counts the messages (order.{{n}} → order.1, order.2, …).',
  },
];

function keysOf(producer: Producer): string[] {
  const s = producer.routingKeyStrategy;
  return s?.kind === 'round-robin' || s?.kind === 'random' ? s.keys : [];
}

/** How the routing key of each message is picked, with a preview of the first few. */
export function RoutingKeyFields({ producer, update, problems }: ProducerFieldsProps) {
  const kind = producer.routingKeyStrategy?.kind ?? 'fixed';
  const [keysDraft, setKeysDraft] = useState(() => keysOf(producer).join('\n'));
  const strategy = STRATEGIES.find((s) => s.kind === kind);
  const choose = (next: RoutingKeyStrategy['kind']) => {
    if (next === 'fixed') update({ routingKeyStrategy: undefined });
    else if (next === 'template') update({ routingKeyStrategy: { kind: 'template' } });
    else {
      // Start the list from what the producer sent so far, so nothing typed is lost.
      const keys = keysOf(producer);
      const seeded =
        keys.length > 0 ? keys : producer.routingKey === '' ? [] : [producer.routingKey];
      setKeysDraft(seeded.join('\n'));
      update({ routingKeyStrategy: { kind: next, keys: seeded } });
    }
  };
  const preview =
    kind === 'fixed'
      ? []
      : kind === 'random'
        ? keysOf(producer).slice(0, 4)
        : [1, 2, 3].map((n) => routingKeyFor(producer, n));
  return (
    <>
      <label className="field">
        <span className="field__label">Routing key</span>
        <select
          data-testid="inspector-producer-strategy"
          value={kind}
          onChange={(e) => choose(e.target.value as RoutingKeyStrategy['kind'])}
        >
          {STRATEGIES.map((s) => (
            <option key={s.kind} value={s.kind}>
              {s.label}
            </option>
          ))}
        </select>
        {kind !== 'fixed' && strategy && <span className="field__hint">{strategy.hint}</span>}
      </label>
      {(kind === 'fixed' || kind === 'template') && (
        <label className="field">
          <input
            data-testid="inspector-routing-key"
            value={producer.routingKey}
            spellCheck={false}
            onChange={(e) => update({ routingKey: e.target.value })}
            placeholder={kind === 'template' ? 'e.g. sensor.{{n}}' : 'e.g. order.created'}
            aria-label={kind === 'template' ? 'Routing key template' : 'Routing key'}
          />
          <FieldError field="routingKey" problems={problems} />
        </label>
      )}
      {(kind === 'round-robin' || kind === 'random') && (
        <label className="field">
          <textarea
            data-testid="inspector-producer-keys"
            value={keysDraft}
            rows={3}
            spellCheck={false}
            placeholder={'route.1\nroute.2\nroute.3'}
            aria-label="Routing keys, one per line"
            onChange={(e) => {
              setKeysDraft(e.target.value);
              const keys = e.target.value
                .split('\n')
                .map((k) => k.trim())
                .filter((k) => k !== '');
              update({ routingKeyStrategy: { kind, keys } });
            }}
          />
          <span className="field__hint">One key per line.</span>
          <FieldError field="keys" problems={problems} />
        </label>
      )}
      {preview.length > 0 && preview.some((k) => k !== '') && (
        <div className="key-preview" data-testid="inspector-producer-key-preview">
          <span className="key-preview__label">{kind === 'random' ? 'drawn from' : 'next'}</span>
          {preview.map((key, i) => (
            <code key={i}>{key === '' ? '""' : key}</code>
          ))}
          {kind !== 'random' && <span className="key-preview__more">…</span>}
        </div>
      )}
    </>
  );
}

/** The payload's hint: the placeholders, what the first message would say, and typos. */
export function PayloadHint({ producer }: { producer: Producer }) {
  const unknown = unknownTemplateVariables(producer.payload);
  const rendered = renderTemplate(producer.payload, {
    n: 1,
    messageId: 'msg-1',
    routingKey: routingKeyFor(producer, 1),
    timestamp: Date.UTC(2024, 0, 1),
  });
  return (
    <span className="field__hint">
      A template: <code>{'{{n}}'}</code> <code>{'{{messageId}}'}</code>{' '}
      <code>{'{{routingKey}}'}</code> <code>{'{{timestamp}}'}</code>.
      {rendered !== producer.payload && (
        <>
          {' '}
          First message: <code className="payload-preview">{rendered}</code>
        </>
      )}
      {unknown.length > 0 && (
        <span className="field__problem">
          {' '}
          Unknown: {unknown.map((u) => `{{${u}}}`).join(', ')} stays as written.
        </span>
      )}
    </span>
  );
}
