import {
  EXCHANGE_TYPES,
  producerEdgeId,
  type Binding,
  type Exchange,
  type ExchangeType,
  type Producer,
  type Queue,
} from '@warren/topology';
import { useState, type ChangeEvent, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { sendFromProducer } from '../live/commands';
import { nameProblem } from '../store/document-ops';
import {
  selectInspected,
  useElementErrors,
  useExchangeNames,
  usePublishResult,
  useQueueStats,
} from '../store/selectors';
import { useWarren, type WarrenState } from '../store/store';
import { formatKeyValues, parseKeyValues } from './key-values';

const selectActions = (s: WarrenState) => ({
  rename: s.rename,
  updateExchange: s.updateExchange,
  updateQueue: s.updateQueue,
  updateProducer: s.updateProducer,
  updateBinding: s.updateBinding,
  deleteElements: s.deleteElements,
});
const useActions = () => useWarren(useShallow(selectActions));

function Field({
  label,
  children,
  hint,
}: {
  label: string;
  children: ReactNode;
  hint?: ReactNode;
}) {
  return (
    <label className="field">
      <span className="field__label">{label}</span>
      {children}
      {hint && <span className="field__hint">{hint}</span>}
    </label>
  );
}

function Toggle({
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

/**
 * The name is edited as a draft: it reaches the document only while it is a valid, unique
 * name, because bindings and producers refer to objects by name.
 */
function NameField({ id, name }: { id: string; name: string }) {
  const { rename } = useActions();
  // While focused, the input shows what is typed even when it cannot be applied yet.
  const [draft, setDraft] = useState<string | null>(null);
  const value = draft ?? name;
  const problem =
    draft === null || draft === name
      ? undefined
      : nameProblem(useWarren.getState().topology, id, draft);
  return (
    <Field label="Name" hint={problem && <span className="field__problem">{problem}</span>}>
      <input
        data-testid="inspector-name"
        value={value}
        spellCheck={false}
        autoComplete="off"
        className={problem ? 'is-invalid' : ''}
        onChange={(e) => {
          setDraft(e.target.value);
          rename(id, e.target.value);
        }}
        onBlur={() => setDraft(null)}
      />
    </Field>
  );
}

function DeleteButton({ id, label }: { id: string; label: string }) {
  const { deleteElements } = useActions();
  return (
    <button
      type="button"
      className="danger-button"
      data-testid="inspector-delete"
      onClick={() => deleteElements([id])}
    >
      {label}
    </button>
  );
}

function Errors({ id }: { id: string }) {
  const errors = useElementErrors(id);
  if (errors.length === 0) return null;
  return (
    <div className="inspector__errors" role="alert">
      {errors.map((e, i) => (
        <p key={i}>
          {e.message}
          {e.brokerMessage && <code>{e.brokerMessage}</code>}
        </p>
      ))}
    </div>
  );
}

function Header({ kind, title, accent }: { kind: string; title: ReactNode; accent: string }) {
  return (
    <div className={`inspector__header inspector__header--${accent}`}>
      <span className="inspector__kind">{kind}</span>
      <span className="inspector__title">{title}</span>
    </div>
  );
}

const exchangeTypeHelp: Record<ExchangeType, string> = {
  direct: 'Routes to bindings whose key equals the message routing key.',
  fanout: 'Routes a copy to every bound queue; keys are ignored.',
  topic: 'Binding keys are patterns: * is one word, # is zero or more words.',
  headers: 'Matches message headers against binding arguments (x-match all/any).',
  'x-consistent-hash': 'Spreads messages by hashing the routing key; binding keys are weights.',
};

function ExchangeInspector({ exchange }: { exchange: Exchange }) {
  const { updateExchange } = useActions();
  return (
    <>
      <Header kind="Exchange" title={exchange.name} accent="exchange" />
      <Errors id={exchange.id} />
      <NameField id={exchange.id} name={exchange.name} />
      <Field label="Type" hint={exchangeTypeHelp[exchange.type]}>
        <select
          data-testid="inspector-exchange-type"
          value={exchange.type}
          onChange={(e) => updateExchange(exchange.id, { type: e.target.value as ExchangeType })}
        >
          {EXCHANGE_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </Field>
      <div className="toggles">
        <Toggle
          label="durable"
          checked={exchange.durable}
          onChange={(durable) => updateExchange(exchange.id, { durable })}
          hint="Survives a broker restart"
        />
        <Toggle
          label="auto-delete"
          checked={exchange.autoDelete}
          onChange={(autoDelete) => updateExchange(exchange.id, { autoDelete })}
          hint="Deleted when its last binding goes"
        />
        <Toggle
          label="internal"
          checked={exchange.internal}
          onChange={(internal) => updateExchange(exchange.id, { internal })}
          hint="Only other exchanges may publish to it"
        />
      </div>
      <p className="inspector__note">
        Changing type or flags of an applied exchange makes the broker refuse it until it is deleted
        and re-applied.
      </p>
      <DeleteButton id={exchange.id} label="Delete exchange" />
    </>
  );
}

function numberArgument(value: unknown): string {
  return typeof value === 'number' ? String(value) : '';
}

function QueueInspector({ queue }: { queue: Queue }) {
  const { updateQueue } = useActions();
  const stats = useQueueStats(queue.name);
  const args = queue.arguments ?? {};
  const setArgument = (key: string, value: unknown) => {
    const next: Record<string, unknown> = { ...args };
    if (value === undefined || value === '') delete next[key];
    else next[key] = value;
    updateQueue(queue.id, { arguments: Object.keys(next).length > 0 ? next : undefined });
  };
  const numberField = (key: string) => (e: ChangeEvent<HTMLInputElement>) => {
    const n = e.target.value === '' ? undefined : Number(e.target.value);
    setArgument(key, n === undefined || Number.isNaN(n) ? undefined : n);
  };
  return (
    <>
      <Header kind="Queue" title={queue.name} accent="queue" />
      <Errors id={queue.id} />
      <div className="stat-row">
        <div className="stat">
          <span className="stat__value">{stats?.messages ?? 0}</span>
          <span className="stat__label">ready</span>
        </div>
        <div className="stat">
          <span className="stat__value">{stats?.unacked ?? '–'}</span>
          <span className="stat__label">unacked</span>
        </div>
        <div className="stat">
          <span className="stat__value">{stats?.consumers ?? 0}</span>
          <span className="stat__label">consumers</span>
        </div>
      </div>
      <NameField id={queue.id} name={queue.name} />
      <div className="toggles">
        <Toggle
          label="durable"
          checked={queue.durable}
          onChange={(durable) => updateQueue(queue.id, { durable })}
          hint="Survives a broker restart"
        />
        <Toggle
          label="exclusive"
          checked={queue.exclusive}
          onChange={(exclusive) => updateQueue(queue.id, { exclusive })}
          hint="Used by one connection only"
        />
        <Toggle
          label="auto-delete"
          checked={queue.autoDelete}
          onChange={(autoDelete) => updateQueue(queue.id, { autoDelete })}
          hint="Deleted when its last consumer goes"
        />
      </div>
      <h3 className="inspector__subtitle">Arguments</h3>
      <Field label="Message TTL (ms)">
        <input
          type="number"
          min={0}
          value={numberArgument(args['x-message-ttl'])}
          onChange={numberField('x-message-ttl')}
          placeholder="none"
        />
      </Field>
      <Field label="Max length">
        <input
          type="number"
          min={0}
          value={numberArgument(args['x-max-length'])}
          onChange={numberField('x-max-length')}
          placeholder="unlimited"
        />
      </Field>
      <Field label="Dead-letter exchange">
        <input
          value={
            typeof args['x-dead-letter-exchange'] === 'string' ? args['x-dead-letter-exchange'] : ''
          }
          onChange={(e) => setArgument('x-dead-letter-exchange', e.target.value)}
          placeholder="none"
          spellCheck={false}
        />
      </Field>
      <DeleteButton id={queue.id} label="Delete queue" />
    </>
  );
}

function ProducerInspector({ producer }: { producer: Producer }) {
  const { updateProducer } = useActions();
  const exchanges = useExchangeNames();
  const result = usePublishResult(producer.id);
  const [headersDraft, setHeadersDraft] = useState(() => formatKeyValues(producer.headers));
  return (
    <>
      <Header kind="Producer" title={producer.name} accent="producer" />
      <Errors id={producer.id} />
      <NameField id={producer.id} name={producer.name} />
      <Field
        label="Publishes to"
        hint={
          producer.exchange === ''
            ? 'The default exchange routes to the queue named by the routing key.'
            : undefined
        }
      >
        <select
          value={producer.exchange}
          onChange={(e) => updateProducer(producer.id, { exchange: e.target.value })}
        >
          <option value="">(default exchange)</option>
          {exchanges.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
          {producer.exchange !== '' && !exchanges.includes(producer.exchange) && (
            <option value={producer.exchange}>{producer.exchange}</option>
          )}
        </select>
      </Field>
      <Field label="Routing key">
        <input
          data-testid="inspector-routing-key"
          value={producer.routingKey}
          spellCheck={false}
          onChange={(e) => updateProducer(producer.id, { routingKey: e.target.value })}
          placeholder="e.g. order.created"
        />
      </Field>
      <Field label="Payload">
        <textarea
          data-testid="inspector-payload"
          value={producer.payload}
          rows={3}
          spellCheck={false}
          onChange={(e) => updateProducer(producer.id, { payload: e.target.value })}
        />
      </Field>
      <Field label="Headers" hint="One per line: name: value">
        <textarea
          value={headersDraft}
          rows={2}
          spellCheck={false}
          placeholder="format: pdf"
          onChange={(e) => {
            setHeadersDraft(e.target.value);
            const headers = parseKeyValues(e.target.value);
            updateProducer(producer.id, {
              headers: Object.keys(headers).length > 0 ? headers : undefined,
            });
          }}
        />
      </Field>
      <div className="toggles">
        <Toggle
          label="mandatory"
          checked={producer.mandatory}
          onChange={(mandatory) => updateProducer(producer.id, { mandatory })}
          testId="inspector-mandatory"
          hint="An unroutable message comes back to the producer (basic.return) instead of being dropped"
        />
      </div>
      <div className="inspector__send">
        <button
          type="button"
          className="primary-button"
          data-testid="inspector-send"
          onClick={() => void sendFromProducer(producer.id)}
        >
          Send message
        </button>
        {result && (
          <span className={`publish-result publish-result--${result.tone}`}>{result.text}</span>
        )}
      </div>
      <DeleteButton id={producer.id} label="Delete producer" />
    </>
  );
}

function BindingInspector({
  binding,
  exchangeType,
}: {
  binding: Binding;
  exchangeType: ExchangeType | undefined;
}) {
  const { updateBinding } = useActions();
  const args = binding.arguments ?? {};
  const match = args['x-match'] === 'any' ? 'any' : 'all';
  const [headersDraft, setHeadersDraft] = useState(() =>
    formatKeyValues(binding.arguments, ['x-match']),
  );
  const keyHint =
    exchangeType === 'topic'
      ? '* matches one word, # zero or more; words are separated by dots.'
      : exchangeType === 'fanout'
        ? 'A fanout exchange ignores the key.'
        : exchangeType === 'headers'
          ? 'A headers exchange ignores the key; it matches the headers below.'
          : exchangeType === 'direct'
            ? 'Messages whose routing key equals this key are routed here.'
            : undefined;
  const setHeaders = (text: string, nextMatch: string) => {
    const headers = parseKeyValues(text);
    updateBinding(binding.id, { arguments: { 'x-match': nextMatch, ...headers } });
  };
  return (
    <>
      <Header
        kind={binding.destinationType === 'exchange' ? 'Exchange binding' : 'Binding'}
        title={
          <>
            {binding.source} <span className="inspector__arrow">→</span> {binding.destination}
          </>
        }
        accent="binding"
      />
      <Errors id={binding.id} />
      <Field label={exchangeType === 'topic' ? 'Binding pattern' : 'Routing key'} hint={keyHint}>
        <input
          data-testid="inspector-routing-key"
          value={binding.routingKey}
          spellCheck={false}
          onChange={(e) => updateBinding(binding.id, { routingKey: e.target.value })}
          placeholder={exchangeType === 'topic' ? 'e.g. order.*' : 'routing key'}
        />
      </Field>
      {exchangeType === 'headers' && (
        <>
          <Field label="Match">
            <select value={match} onChange={(e) => setHeaders(headersDraft, e.target.value)}>
              <option value="all">all headers (x-match: all)</option>
              <option value="any">any header (x-match: any)</option>
            </select>
          </Field>
          <Field label="Headers" hint="One per line: name: value">
            <textarea
              value={headersDraft}
              rows={3}
              spellCheck={false}
              placeholder="format: pdf"
              onChange={(e) => {
                setHeadersDraft(e.target.value);
                setHeaders(e.target.value, match);
              }}
            />
          </Field>
        </>
      )}
      <DeleteButton id={binding.id} label="Delete binding" />
    </>
  );
}

function PublishInspector({ producer }: { producer: Producer }) {
  return (
    <>
      <Header
        kind="Publishes to"
        title={`${producer.name} → ${producer.exchange}`}
        accent="producer"
      />
      <p className="inspector__note">
        {producer.name} publishes its messages to {producer.exchange}. Removing this link makes it
        publish to the default exchange.
      </p>
      <DeleteButton id={producerEdgeId(producer.id)} label="Disconnect" />
    </>
  );
}

/** The type of the exchange a selected binding starts at: it decides what the key means. */
const selectInspectedSourceType = (s: WarrenState) => {
  const element = selectInspected(s);
  if (element?.kind !== 'binding') return undefined;
  return s.topology.exchanges.find((x) => x.name === element.item.source)?.type;
};

function Empty() {
  return (
    <div className="inspector__empty">
      <p className="inspector__empty-title">Nothing selected</p>
      <p>Select a node or an edge to edit it here.</p>
      <ul>
        <li>Add a producer, an exchange and queues from the left.</li>
        <li>Drag from a right dot to a left dot to connect them.</li>
        <li>Click a binding’s label to set its routing key.</li>
        <li>
          <kbd>Delete</kbd> removes what is selected.
        </li>
      </ul>
    </div>
  );
}

export function Inspector() {
  const element = useWarren(useShallow(selectInspected));
  const sourceType = useWarren(selectInspectedSourceType);
  let body: ReactNode;
  if (!element) body = <Empty />;
  else {
    switch (element.kind) {
      case 'exchange':
        body = <ExchangeInspector key={element.item.id} exchange={element.item} />;
        break;
      case 'queue':
        body = <QueueInspector key={element.item.id} queue={element.item} />;
        break;
      case 'producer':
        body = <ProducerInspector key={element.item.id} producer={element.item} />;
        break;
      case 'binding':
        body = (
          <BindingInspector
            key={element.item.id}
            binding={element.item}
            exchangeType={sourceType}
          />
        );
        break;
      case 'publish':
        body = <PublishInspector key={element.item.id} producer={element.item} />;
        break;
    }
  }
  return (
    <aside className="inspector" data-testid="inspector" aria-label="Inspector">
      {body}
    </aside>
  );
}
