import { effectiveQueueArguments, type Consumer, type FailureAction } from '@warren/topology';
import { useCallback, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { percentText, processingText } from '../../canvas/nodes/consumer-summary';
import { closeConnection, controlConsumer } from '../../live/consumer-commands';
import { consumerEdgeId } from '@warren/topology';
import { selectReadOnly, useConsumerState, useExchangeNames } from '../../store/selectors';
import { useWarren, type WarrenState } from '../../store/store';
import { DeleteButton, Errors, Header, NameField, Section } from './common';
import { Field, FieldError, OtherProblems, Toggle } from './fields';
import { useFieldProblems } from './problems';
import { FateLog } from './FateLog';
import './consumer-inspector.css';

const selectUpdateConsumer = (s: WarrenState) => s.updateConsumer;
const selectQueueNames = (s: WarrenState) => s.topology.queues.map((q) => q.name);

/** The queue's dead-letter exchange in force (argument or policy), if it has one. */
function useDeadLetterExchange(queueName: string): string | undefined {
  return useWarren(
    useCallback(
      (s: WarrenState) => {
        const queue = s.topology.queues.find((q) => q.name === queueName);
        if (!queue) return undefined;
        const value = effectiveQueueArguments(s.topology, queue).get('x-dead-letter-exchange');
        return typeof value?.value === 'string' ? value.value : undefined;
      },
      [queueName],
    ),
  );
}

/**
 * A number typed as text: it reaches the document only while it reads as a number inside
 * [min, max]; until then the field keeps what was typed and says what is wrong.
 */
function NumberInput({
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
  const [draft, setDraft] = useState<string | null>(null);
  const text = draft ?? (value === undefined ? '' : String(value));
  const problem = (() => {
    if (draft === null) return undefined;
    const trimmed = draft.trim();
    if (trimmed === '') return 'Needs a number.';
    const n = Number(trimmed);
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n)))
      return integer ? 'A whole number.' : 'A number.';
    if (n < min || n > max) return `From ${min} to ${max}.`;
    return undefined;
  })();
  return (
    <span className="number-input">
      <span className="number-input__box">
        <input
          data-testid={testId}
          inputMode={integer ? 'numeric' : 'decimal'}
          spellCheck={false}
          autoComplete="off"
          className={problem ? 'is-invalid' : ''}
          value={text}
          placeholder={placeholder}
          onChange={(e) => {
            setDraft(e.target.value);
            const n = Number(e.target.value.trim());
            if (
              e.target.value.trim() !== '' &&
              Number.isFinite(n) &&
              (!integer || Number.isInteger(n)) &&
              n >= min &&
              n <= max
            )
              onCommit(n);
          }}
          onBlur={() => setDraft(null)}
        />
        {unit && <span className="number-input__unit">{unit}</span>}
      </span>
      {problem && <span className="field__problem number-input__problem">{problem}</span>}
    </span>
  );
}

type FailureKind = FailureAction['kind'];

/** A new failure action of a kind, keeping what the previous one shared with it. */
function failureAction(kind: FailureKind, previous: FailureAction | undefined): FailureAction {
  switch (kind) {
    case 'requeue':
      return { kind: 'requeue' };
    case 'reject':
      return { kind: 'reject' };
    case 'retry':
      return previous?.kind === 'retry'
        ? previous
        : {
            kind: 'retry',
            initialIntervalMs: 200,
            multiplier: 2,
            maxAttempts: 3,
            recoverer: 'reject',
          };
    case 'delayed-retry':
      return previous?.kind === 'delayed-retry'
        ? previous
        : { kind: 'delayed-retry', maxRetries: 3, parkingExchange: '' };
  }
}

function ExchangeSelect({
  value,
  onChange,
  testId,
  exchanges,
}: {
  value: string | undefined;
  onChange: (name: string) => void;
  testId: string;
  exchanges: readonly string[];
}) {
  const current = value ?? '';
  return (
    <select data-testid={testId} value={current} onChange={(e) => onChange(e.target.value)}>
      <option value="">(default exchange)</option>
      {exchanges.map((name) => (
        <option key={name} value={name}>
          {name}
        </option>
      ))}
      {current !== '' && !exchanges.includes(current) && <option value={current}>{current}</option>}
    </select>
  );
}

/** Backoff of a local retry, spelt out: `200, 400, 800 ms`. */
function backoffText(action: Extract<FailureAction, { kind: 'retry' }>): string {
  const waits: number[] = [];
  for (let i = 0; i < Math.min(action.maxAttempts - 1, 6); i++)
    waits.push(Math.round(action.initialIntervalMs * action.multiplier ** i));
  if (waits.length === 0) return 'no retry: the first failure goes to the recoverer';
  return `waits ${waits.join(', ')}${action.maxAttempts - 1 > 6 ? ', …' : ''} ms between attempts`;
}

function FailureSettings({ consumer }: { consumer: Consumer }) {
  const updateConsumer = useWarren(selectUpdateConsumer);
  const exchanges = useExchangeNames();
  const dlx = useDeadLetterExchange(consumer.queue);
  const action = consumer.onFailure;
  const kind: FailureKind = action?.kind ?? 'requeue';
  const set = (onFailure: FailureAction) => updateConsumer(consumer.id, { onFailure });
  const rate = consumer.failureRate ?? 0;

  const dlxNote =
    consumer.queue === '' ? undefined : dlx === undefined ? (
      <span className="consumer-note consumer-note--warn" data-testid="inspector-consumer-dlx">
        Queue <strong>{consumer.queue}</strong> has no dead-letter exchange: rejected messages are
        dropped.
      </span>
    ) : (
      <span className="consumer-note" data-testid="inspector-consumer-dlx">
        Queue <strong>{consumer.queue}</strong> dead-letters to{' '}
        <strong>{dlx || '(default exchange)'}</strong>.
      </span>
    );

  return (
    <Section title="Failures">
      <div className="field-pair">
        <Field label="Failure rate" hint={rate === 0 ? 'Every message succeeds.' : undefined}>
          <NumberInput
            value={Math.round(rate * 1000) / 10}
            onCommit={(pct) =>
              updateConsumer(consumer.id, { failureRate: pct === 0 ? undefined : pct / 100 })
            }
            min={0}
            max={100}
            integer={false}
            unit="%"
            testId="inspector-consumer-failure-rate"
          />
        </Field>
        <Field label="On failure">
          <select
            data-testid="inspector-consumer-on-failure"
            value={kind}
            onChange={(e) => set(failureAction(e.target.value as FailureKind, action))}
          >
            <option value="requeue">requeue</option>
            <option value="reject">reject → DLX</option>
            <option value="retry">retry locally</option>
            <option value="delayed-retry">delayed retry</option>
          </select>
        </Field>
      </div>
      {kind === 'requeue' && (
        <p className="inspector__note">
          <code>basic.nack</code> with requeue: the message goes back to the queue and comes again
          marked redelivered, maybe to another consumer.
          {rate >= 1 && ' With every message failing it loops for ever.'}
        </p>
      )}
      {kind === 'reject' && (
        <>
          <p className="inspector__note">
            <code>basic.reject</code> without requeue: the broker dead-letters the message with
            x-death reason <code>rejected</code>.
          </p>
          {dlxNote}
        </>
      )}
      {action?.kind === 'retry' && (
        <>
          <div className="field-trio">
            <Field label="First wait">
              <NumberInput
                value={action.initialIntervalMs}
                onCommit={(initialIntervalMs) => set({ ...action, initialIntervalMs })}
                min={0}
                max={60000}
                unit="ms"
                testId="inspector-consumer-retry-interval"
              />
            </Field>
            <Field label="Multiplier">
              <NumberInput
                value={action.multiplier}
                onCommit={(multiplier) => set({ ...action, multiplier })}
                min={1}
                max={10}
                integer={false}
                unit="×"
                testId="inspector-consumer-retry-multiplier"
              />
            </Field>
            <Field label="Attempts">
              <NumberInput
                value={action.maxAttempts}
                onCommit={(maxAttempts) => set({ ...action, maxAttempts })}
                min={1}
                max={20}
                testId="inspector-consumer-retry-attempts"
              />
            </Field>
          </div>
          <p className="inspector__note" data-testid="inspector-consumer-backoff">
            Retried inside the consumer, the message stays unacked: {backoffText(action)}.
          </p>
          <Field label="Then the recoverer">
            <select
              data-testid="inspector-consumer-recoverer"
              value={action.recoverer}
              onChange={(e) =>
                set({
                  ...action,
                  recoverer: e.target.value === 'republish' ? 'republish' : 'reject',
                })
              }
            >
              <option value="reject">rejects it (to the DLX)</option>
              <option value="republish">republishes it to an error exchange</option>
            </select>
          </Field>
          {action.recoverer === 'reject' && dlxNote}
          {action.recoverer === 'republish' && (
            <div className="field-pair">
              <Field label="Error exchange">
                <ExchangeSelect
                  value={action.errorExchange}
                  onChange={(errorExchange) => set({ ...action, errorExchange })}
                  testId="inspector-consumer-error-exchange"
                  exchanges={exchanges}
                />
              </Field>
              <Field label="Routing key">
                <input
                  data-testid="inspector-consumer-error-routing-key"
                  value={action.errorRoutingKey ?? ''}
                  spellCheck={false}
                  placeholder="the message’s own"
                  onChange={(e) =>
                    set({
                      ...action,
                      errorRoutingKey: e.target.value === '' ? undefined : e.target.value,
                    })
                  }
                />
              </Field>
            </div>
          )}
        </>
      )}
      {action?.kind === 'delayed-retry' && (
        <>
          <p className="inspector__note">
            Rejected to the queue’s dead-letter exchange: a retry queue whose message TTL
            dead-letters it back here. The consumer counts the trips in <code>x-death</code>; past
            the maximum it publishes the message to the parking exchange instead.
          </p>
          {dlxNote}
          <div className="field-trio">
            <Field label="Max retries">
              <NumberInput
                value={action.maxRetries}
                onCommit={(maxRetries) => set({ ...action, maxRetries })}
                min={0}
                max={100}
                testId="inspector-consumer-max-retries"
              />
            </Field>
            <Field label="Parking exchange">
              <ExchangeSelect
                value={action.parkingExchange}
                onChange={(parkingExchange) => set({ ...action, parkingExchange })}
                testId="inspector-consumer-parking-exchange"
                exchanges={exchanges}
              />
            </Field>
            <Field label="Routing key">
              <input
                data-testid="inspector-consumer-parking-routing-key"
                value={action.parkingRoutingKey ?? ''}
                spellCheck={false}
                placeholder="own"
                onChange={(e) =>
                  set({
                    ...action,
                    parkingRoutingKey: e.target.value === '' ? undefined : e.target.value,
                  })
                }
              />
            </Field>
          </div>
        </>
      )}
    </Section>
  );
}

function StateSummary({ consumer }: { consumer: Consumer }) {
  const state = useConsumerState(consumer.id);
  const readOnly = useWarren(selectReadOnly);
  if (!state)
    return (
      <p className="inspector__note" data-testid="inspector-consumer-state">
        Not running yet: <strong>Apply</strong> starts it
        {consumer.autoStart === false ? ' (paused, as auto-start is off)' : ''}.
      </p>
    );
  return (
    <div className="consumer-state" data-testid="inspector-consumer-state">
      <div className="stat-row stat-row--consumer">
        <div className="stat">
          <span className="stat__value">{state.received}</span>
          <span className="stat__label">received</span>
        </div>
        <div className="stat">
          <span className="stat__value">{state.acked}</span>
          <span className="stat__label">acked</span>
        </div>
        <div className="stat">
          <span className="stat__value">{state.inFlight}</span>
          <span className="stat__label">in flight</span>
        </div>
      </div>
      <p className="consumer-state__line">
        <span className={`consumer-status consumer-status--${state.status}`}>{state.status}</span>
        <span>
          {state.rejected} rejected · {state.requeued} requeued · {state.duplicates} duplicates
          {state.replied > 0 && ` · ${state.replied} replies`}
        </span>
      </p>
      {state.error && <p className="inspector__errors">{state.error}</p>}
      {!readOnly && (
        <div className="consumer-state__actions">
          {state.status === 'running' && (
            <button type="button" onClick={() => void controlConsumer(consumer.id, 'pause')}>
              Pause
            </button>
          )}
          {state.status === 'paused' && (
            <button type="button" onClick={() => void controlConsumer(consumer.id, 'resume')}>
              Resume
            </button>
          )}
          {(state.status === 'killed' ||
            state.status === 'stopped' ||
            state.status === 'error') && (
            <button type="button" onClick={() => void controlConsumer(consumer.id, 'start')}>
              Start
            </button>
          )}
          {(state.status === 'running' || state.status === 'paused') && (
            <button
              type="button"
              className="consumer-state__fault"
              data-testid="inspector-consumer-close-connection"
              title="Close this consumer’s AMQP connection, as a network failure would: its unacked messages go back to the queue"
              onClick={() => void closeConnection({ consumerId: consumer.id })}
            >
              Close connection
            </button>
          )}
        </div>
      )}
    </div>
  );
}

const SHOWN_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'queue',
  'prefetch',
  'autoAck',
  'min',
  'max',
  'processingMs',
  'failureRate',
  'onFailure',
  'kind',
  'initialIntervalMs',
  'multiplier',
  'maxAttempts',
  'recoverer',
  'errorExchange',
  'errorRoutingKey',
  'maxRetries',
  'parkingExchange',
  'parkingRoutingKey',
  'idempotent',
  'rpcReply',
  'autoStart',
]);

export function ConsumerInspector({ consumer }: { consumer: Consumer }) {
  const updateConsumer = useWarren(selectUpdateConsumer);
  const queues = useWarren(useShallow(selectQueueNames));
  const problems = useFieldProblems(consumer.id);
  const processing = consumer.processingMs ?? { min: 0, max: 0 };
  const [ranged, setRanged] = useState(processing.min !== processing.max);
  const update = (patch: Parameters<typeof updateConsumer>[1]) =>
    updateConsumer(consumer.id, patch);
  const setProcessing = (min: number, max: number) =>
    update({ processingMs: min === 0 && max === 0 ? undefined : { min, max } });

  return (
    <>
      <Header kind="Consumer" title={consumer.name} accent="consumer" />
      <Errors id={consumer.id} />
      <StateSummary consumer={consumer} />
      <NameField id={consumer.id} name={consumer.name} />
      <Field
        label="Reads from queue"
        hint={
          consumer.queue === '' ? 'Or drag from a queue’s right dot to this consumer.' : undefined
        }
      >
        <select
          data-testid="inspector-consumer-queue"
          value={consumer.queue}
          onChange={(e) => update({ queue: e.target.value })}
        >
          <option value="">(none yet)</option>
          {queues.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
          {consumer.queue !== '' && !queues.includes(consumer.queue) && (
            <option value={consumer.queue}>{consumer.queue}</option>
          )}
        </select>
        <FieldError field="queue" problems={problems} />
      </Field>

      <Section title="Taking messages">
        <div className="field-pair">
          <Field
            label="Prefetch"
            title="basic.qos: how many unacked messages the broker hands this consumer at once; 0 means no limit"
          >
            <NumberInput
              value={consumer.prefetch}
              onCommit={(prefetch) => update({ prefetch })}
              min={0}
              max={65535}
              testId="inspector-consumer-prefetch"
            />
          </Field>
          <Field label="Acknowledge">
            <select
              data-testid="inspector-consumer-ack"
              value={consumer.autoAck ? 'auto' : 'manual'}
              onChange={(e) => update({ autoAck: e.target.value === 'auto' })}
            >
              <option value="manual">manual</option>
              <option value="auto">automatic</option>
            </select>
          </Field>
        </div>
        <p className="inspector__note">
          {consumer.autoAck
            ? 'The broker forgets each message as it delivers it: a failure or a crash loses it, and prefetch does not apply.'
            : consumer.prefetch === 0
              ? 'No prefetch limit: the broker pushes messages round-robin, however slow the consumer is.'
              : consumer.prefetch === 1
                ? 'Prefetch 1: a consumer gets its next message only after acking the last, so a slow one gets fewer (fair dispatch).'
                : `Up to ${consumer.prefetch} messages wait unacked in this consumer at a time.`}
        </p>
      </Section>

      <Section title="Processing" aside={processingText(consumer.processingMs)}>
        <div className="segmented" role="radiogroup" aria-label="Processing time">
          <button
            type="button"
            role="radio"
            aria-checked={!ranged}
            className={ranged ? '' : 'is-on'}
            data-testid="inspector-consumer-processing-fixed"
            onClick={() => {
              setRanged(false);
              setProcessing(processing.min, processing.min);
            }}
          >
            fixed
          </button>
          <button
            type="button"
            role="radio"
            aria-checked={ranged}
            className={ranged ? 'is-on' : ''}
            data-testid="inspector-consumer-processing-range"
            onClick={() => setRanged(true)}
          >
            random range
          </button>
        </div>
        {ranged ? (
          <div className="field-pair">
            <Field label="From">
              <NumberInput
                value={processing.min}
                onCommit={(min) => setProcessing(min, Math.max(min, processing.max))}
                min={0}
                max={600000}
                unit="ms"
                testId="inspector-consumer-processing-min"
              />
            </Field>
            <Field label="To">
              <NumberInput
                value={processing.max}
                onCommit={(max) => setProcessing(Math.min(processing.min, max), max)}
                min={0}
                max={600000}
                unit="ms"
                testId="inspector-consumer-processing-max"
              />
            </Field>
          </div>
        ) : (
          <Field label="Each message takes">
            <NumberInput
              value={processing.min}
              onCommit={(ms) => setProcessing(ms, ms)}
              min={0}
              max={600000}
              unit="ms"
              testId="inspector-consumer-processing-ms"
            />
          </Field>
        )}
      </Section>

      <FailureSettings consumer={consumer} />

      <Section title="Behaviour">
        <div className="toggles toggles--column">
          <Toggle
            label="idempotent: skip message ids seen before"
            checked={consumer.idempotent === true}
            onChange={(on) => update({ idempotent: on || undefined })}
            testId="inspector-consumer-idempotent"
            hint="A duplicate message id is acked without processing, and counted"
          />
          <Toggle
            label="RPC reply to reply_to"
            checked={consumer.rpcReply === true}
            onChange={(on) => update({ rpcReply: on || undefined })}
            testId="inspector-consumer-rpc-reply"
            hint="Answer each request on its reply_to queue with its correlation_id"
          />
          <Toggle
            label="start on Apply"
            checked={consumer.autoStart !== false}
            onChange={(on) => update({ autoStart: on ? undefined : false })}
            testId="inspector-consumer-auto-start"
            hint="Off: the consumer waits for Start on its node"
          />
        </div>
      </Section>

      <FateLog
        logKey={`consumer:${consumer.id}`}
        testId="inspector-consumer-log"
        empty="What this consumer does with each message shows here."
      />
      <OtherProblems problems={problems} shown={SHOWN_FIELDS} />
      <DeleteButton id={consumer.id} label="Delete consumer" />
    </>
  );
}

export function ConsumeInspector({ consumer }: { consumer: Consumer }) {
  const rate = consumer.failureRate ?? 0;
  return (
    <>
      <Header kind="Consumes" title={`${consumer.queue} → ${consumer.name}`} accent="consumer" />
      <p className="inspector__note">
        {consumer.name} takes messages from {consumer.queue}
        {rate > 0 ? ` and fails ${percentText(rate)} of them` : ''}. Removing this link leaves it
        reading no queue.
      </p>
      <DeleteButton id={consumerEdgeId(consumer.id)} label="Disconnect" />
    </>
  );
}
