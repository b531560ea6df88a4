import { effectiveQueueArguments, type Consumer, type FailureAction } from '@warren/topology';
import { useCallback } from 'react';
import { useExchangeNames } from '../../store/selectors';
import { useWarren, type WarrenState } from '../../store/store';
import { Section } from './common';
import { Field } from './fields';
import { ExchangeSelect } from './NameSelect';
import { LabelledNumber, NumberField } from './NumberField';

const selectUpdateConsumer = (s: WarrenState) => s.updateConsumer;

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

/** Backoff of a local retry, spelt out: `200, 400, 800 ms`. */
function backoffText(action: Extract<FailureAction, { kind: 'retry' }>): string {
  const waits: number[] = [];
  for (let i = 0; i < Math.min(action.maxAttempts - 1, 6); i++)
    waits.push(Math.round(action.initialIntervalMs * action.multiplier ** i));
  if (waits.length === 0) return 'no retry: the first failure goes to the recoverer';
  return `waits ${waits.join(', ')}${action.maxAttempts - 1 > 6 ? ', …' : ''} ms between attempts`;
}

/** What the consumer does with a message it fails: requeue, reject, retry here or later. */
export function FailureSettings({ consumer }: { consumer: Consumer }) {
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
          <NumberField
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
            <LabelledNumber
              label="First wait"
              value={action.initialIntervalMs}
              onCommit={(initialIntervalMs) => set({ ...action, initialIntervalMs })}
              min={0}
              max={60000}
              unit="ms"
              testId="inspector-consumer-retry-interval"
            />
            <LabelledNumber
              label="Multiplier"
              value={action.multiplier}
              onCommit={(multiplier) => set({ ...action, multiplier })}
              min={1}
              max={10}
              integer={false}
              unit="×"
              testId="inspector-consumer-retry-multiplier"
            />
            <LabelledNumber
              label="Attempts"
              value={action.maxAttempts}
              onCommit={(maxAttempts) => set({ ...action, maxAttempts })}
              min={1}
              max={20}
              testId="inspector-consumer-retry-attempts"
            />
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
                  names={exchanges}
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
            <LabelledNumber
              label="Max retries"
              value={action.maxRetries}
              onCommit={(maxRetries) => set({ ...action, maxRetries })}
              min={0}
              max={100}
              testId="inspector-consumer-max-retries"
            />
            <Field label="Parking exchange">
              <ExchangeSelect
                value={action.parkingExchange}
                onChange={(parkingExchange) => set({ ...action, parkingExchange })}
                testId="inspector-consumer-parking-exchange"
                names={exchanges}
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
