import {
  renderTemplate,
  routingKeyFor,
  unknownTemplateVariables,
  type MessageProperties,
  type Producer,
  type RoutingKeyStrategy,
} from '@warren/topology';
import { useId, useState, type ReactNode } from 'react';
import { FieldError, Toggle } from './fields';

/**
 * The producer inspector's fields: how the routing key is picked, the message's basic
 * properties, delivery guarantees, continuous sending and the reliable producer's outbox.
 */

type Update = (patch: Partial<Omit<Producer, 'id' | 'name'>>) => void;
type Problems = ReadonlyMap<string, string[]>;

/** A text input with a draft: what is typed stays while it does not parse yet. */
export function DraftInput({
  value,
  parse,
  onValue,
  testId,
  placeholder,
  invalid,
  inputMode,
  id,
  mono,
}: {
  value: string;
  /** The value to store, or `invalid` to keep the draft only; undefined clears the setting. */
  parse: (text: string) => unknown;
  onValue: (value: unknown) => void;
  testId: string;
  placeholder?: string;
  invalid?: boolean;
  inputMode?: 'numeric' | 'decimal' | 'text';
  id?: string;
  mono?: boolean;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const text = draft ?? value;
  const parsed = draft === null ? undefined : parse(draft);
  const bad = draft !== null && parsed === INVALID;
  return (
    <input
      id={id}
      data-testid={testId}
      value={text}
      inputMode={inputMode}
      spellCheck={false}
      autoComplete="off"
      placeholder={placeholder}
      className={[bad || invalid ? 'is-invalid' : '', mono ? 'is-mono' : ''].join(' ')}
      onChange={(e) => {
        setDraft(e.target.value);
        const next = parse(e.target.value);
        if (next !== INVALID) onValue(next);
      }}
      onBlur={() => setDraft(null)}
    />
  );
}

export const INVALID = Symbol('invalid');

export function parseWhole(min: number, max: number) {
  return (text: string): number | undefined | typeof INVALID => {
    const trimmed = text.trim();
    if (trimmed === '') return undefined;
    if (!/^\d+$/.test(trimmed)) return INVALID;
    const n = Number(trimmed);
    return n >= min && n <= max ? n : INVALID;
  };
}

/**
 * A whole number for the document. Out of range it is still stored, so the validator names the
 * limit next to the field (as for arguments); text that is no number stays a draft.
 */
function parseInteger(text: string): number | undefined | typeof INVALID {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : INVALID;
}

/** A per-message TTL: whole milliseconds, kept as the text AMQP carries it in `expiration`. */
function parseExpiration(text: string): string | undefined | typeof INVALID {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^\d{1,10}$/.test(trimmed) ? trimmed : INVALID;
}

function parseRate(text: string): number | undefined | typeof INVALID {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^\d{1,9}(\.\d+)?$/.test(trimmed) ? Number(trimmed) : INVALID;
}

/** A labelled cell of the compact two-column grids. */
function Cell({
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
 * does not parse, marked invalid and explained while the validator has a problem with `field`.
 */
function DraftCell({
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
} & Omit<Parameters<typeof DraftInput>[0], 'id' | 'invalid'>) {
  return (
    <Cell label={label} hint={hint} field={field} problems={problems}>
      {(id) => <DraftInput {...input} id={id} invalid={problems.has(field)} />}
    </Cell>
  );
}

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
export function RoutingKeyFields({
  producer,
  update,
  problems,
}: {
  producer: Producer;
  update: Update;
  problems: Problems;
}) {
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

type TextProperty =
  'contentType' | 'contentEncoding' | 'type' | 'appId' | 'messageId' | 'correlationId' | 'replyTo';

const TEXT_PROPERTIES: {
  key: TextProperty;
  label: string;
  testId: string;
  placeholder: string;
  hint: string;
}[] = [
  {
    key: 'contentType',
    label: 'content type',
    testId: 'content-type',
    placeholder: 'application/json',
    hint: 'The MIME type of the body (content_type)',
  },
  {
    key: 'contentEncoding',
    label: 'content encoding',
    testId: 'content-encoding',
    placeholder: 'utf-8',
    hint: 'How the body is encoded (content_encoding)',
  },
  {
    key: 'type',
    label: 'type',
    testId: 'type',
    placeholder: 'order.created',
    hint: 'The application’s name for this kind of message (type)',
  },
  {
    key: 'appId',
    label: 'app id',
    testId: 'app-id',
    placeholder: 'shop',
    hint: 'The application that sent it (app_id)',
  },
  {
    key: 'messageId',
    label: 'message id',
    testId: 'message-id',
    placeholder: 'a fresh id each',
    hint: 'A template; empty gives each message a fresh id. The same id twice makes a duplicate.',
  },
  {
    key: 'correlationId',
    label: 'correlation id',
    testId: 'correlation-id',
    placeholder: 'req-{{n}}',
    hint: 'Ties a reply to its request (correlation_id); a template',
  },
  {
    key: 'replyTo',
    label: 'reply to',
    testId: 'reply-to',
    placeholder: 'replies',
    hint: 'The queue an RPC server replies to (reply_to)',
  },
];

/** Every basic property a producer sets on its messages. */
export function PropertyFields({
  producer,
  update,
  problems,
}: {
  producer: Producer;
  update: Update;
  problems: Problems;
}) {
  const properties = producer.properties ?? {};
  const set = (patch: Partial<MessageProperties>) => {
    const next: MessageProperties = { ...properties, ...patch };
    for (const key of Object.keys(next) as (keyof MessageProperties)[])
      if (next[key] === undefined) delete next[key];
    update({ properties: Object.keys(next).length > 0 ? next : undefined });
  };
  return (
    <>
      <div className="toggles toggles--grid">
        <Toggle
          label="persistent"
          checked={properties.persistent === true}
          onChange={(on) => set({ persistent: on || undefined })}
          testId="inspector-producer-persistent"
          hint="delivery_mode 2: a durable queue keeps the message across a broker restart"
        />
        <Toggle
          label="timestamp"
          checked={properties.timestamp === true}
          onChange={(on) => set({ timestamp: on || undefined })}
          testId="inspector-producer-timestamp"
          hint="Stamp each message with the time it is sent (timestamp)"
        />
      </div>
      <div className="prop-grid">
        <DraftCell
          label="expiration (ms)"
          hint="Per-message TTL: the queue drops or dead-letters it after this long (expiration)"
          field="expiration"
          problems={problems}
          value={properties.expiration ?? ''}
          parse={parseExpiration}
          onValue={(v) => set({ expiration: v as string | undefined })}
          testId="inspector-producer-expiration"
          placeholder="none"
          inputMode="numeric"
        />
        <DraftCell
          label="priority"
          hint="0–255; a priority queue (x-max-priority) delivers higher ones first"
          field="priority"
          problems={problems}
          value={properties.priority === undefined ? '' : String(properties.priority)}
          parse={parseInteger}
          onValue={(v) => set({ priority: v as number | undefined })}
          testId="inspector-producer-priority"
          placeholder="none"
          inputMode="numeric"
        />
        {TEXT_PROPERTIES.map((p) => (
          <Cell key={p.key} label={p.label} hint={p.hint} field={p.key} problems={problems}>
            {(id) => (
              <input
                id={id}
                data-testid={`inspector-producer-${p.testId}`}
                className="is-mono"
                value={properties[p.key] ?? ''}
                spellCheck={false}
                autoComplete="off"
                placeholder={p.placeholder}
                title={p.hint}
                onChange={(e) =>
                  set({ [p.key]: e.target.value === '' ? undefined : e.target.value })
                }
              />
            )}
          </Cell>
        ))}
      </div>
    </>
  );
}

/** Mandatory, publisher confirms or transactions: what the producer learns back. */
export function DeliveryFields({ producer, update }: { producer: Producer; update: Update }) {
  const confirms = producer.confirms !== false && producer.transactions !== true;
  return (
    <div className="toggles toggles--stacked">
      <Toggle
        label="mandatory"
        checked={producer.mandatory}
        onChange={(mandatory) => update({ mandatory })}
        testId="inspector-mandatory"
        hint="An unroutable message comes back to the producer (basic.return) instead of being dropped"
      />
      <Toggle
        label="publisher confirms"
        checked={confirms}
        onChange={(on) =>
          update(on ? { confirms: undefined, transactions: undefined } : { confirms: false })
        }
        testId="inspector-producer-confirms"
        hint="The broker acks (or nacks) every message once it has taken responsibility for it"
      />
      <Toggle
        label="transactions"
        checked={producer.transactions === true}
        onChange={(on) =>
          update(on ? { transactions: true, confirms: false } : { transactions: undefined })
        }
        testId="inspector-producer-transactions"
        hint="tx.select / tx.commit around each send; slower, and it excludes confirms"
      />
    </div>
  );
}

/** Messages per second and burst size for continuous sending. */
export function RateFields({
  producer,
  update,
  problems,
}: {
  producer: Producer;
  update: Update;
  problems: Problems;
}) {
  return (
    <div className="prop-grid">
      <DraftCell
        label="rate (msg/s)"
        hint="Messages per second while started; empty or 0: one-shot sends only"
        field="ratePerSecond"
        problems={problems}
        value={producer.ratePerSecond === undefined ? '' : String(producer.ratePerSecond)}
        parse={parseRate}
        onValue={(v) => update({ ratePerSecond: v as number | undefined })}
        testId="inspector-producer-rate"
        placeholder="one-shot"
        inputMode="decimal"
      />
      <DraftCell
        label="burst"
        hint="Messages sent together at each tick; the rate stays the same on average"
        field="burst"
        problems={problems}
        value={producer.burst === undefined ? '' : String(producer.burst)}
        parse={parseInteger}
        onValue={(v) => update({ burst: v as number | undefined })}
        testId="inspector-producer-burst"
        placeholder="1"
        inputMode="numeric"
      />
    </div>
  );
}

/** The reliable producer: an outbox re-sending what the broker did not confirm in time. */
export function OutboxFields({
  producer,
  update,
  problems,
}: {
  producer: Producer;
  update: Update;
  problems: Problems;
}) {
  const outbox = producer.outbox;
  return (
    <>
      <Toggle
        label="reliable producer (outbox)"
        checked={outbox !== undefined}
        onChange={(on) =>
          update({
            outbox: on ? { timeoutMs: 3000, maxAttempts: 3 } : undefined,
            // The outbox learns of success from confirms.
            ...(on && { confirms: undefined, transactions: undefined }),
          })
        }
        testId="inspector-producer-reliable"
        hint="Log each message as sending, confirmed or failed; re-send what is not confirmed in time"
      />
      {outbox && (
        <div className="prop-grid">
          <DraftCell
            label="re-send after (ms)"
            hint="A message not confirmed within this time is sent again, with the same message id"
            field="timeoutMs"
            problems={problems}
            value={String(outbox.timeoutMs)}
            parse={parseInteger}
            onValue={(v) =>
              v !== undefined && update({ outbox: { ...outbox, timeoutMs: v as number } })
            }
            testId="inspector-producer-outbox-timeout"
            inputMode="numeric"
          />
          <DraftCell
            label="max attempts"
            hint="After this many sends the message is marked failed"
            field="maxAttempts"
            problems={problems}
            value={String(outbox.maxAttempts)}
            parse={parseInteger}
            onValue={(v) =>
              v !== undefined && update({ outbox: { ...outbox, maxAttempts: v as number } })
            }
            testId="inspector-producer-outbox-attempts"
            inputMode="numeric"
          />
        </div>
      )}
    </>
  );
}
