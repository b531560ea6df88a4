import { consumerEdgeId, type Consumer } from '@warren/topology';
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { percentText, processingText } from '../../canvas/nodes/consumer-summary';
import { useWarren, type WarrenState } from '../../store/store';
import { DeleteButton, Errors, Header, NameField, Section } from './common';
import { FailureSettings } from './ConsumerFailureSettings';
import { StateSummary } from './ConsumerStateSummary';
import { FateLog } from './FateLog';
import { Field, FieldError, OtherProblems, Toggle } from './fields';
import { NameSelect } from './NameSelect';
import { LabelledNumber, NumberField } from './NumberField';
import { useFieldProblems } from './problems';
import './consumer-inspector.css';

const selectUpdateConsumer = (s: WarrenState) => s.updateConsumer;
const selectQueueNames = (s: WarrenState) => s.topology.queues.map((q) => q.name);

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
        <NameSelect
          value={consumer.queue}
          names={queues}
          empty="(none yet)"
          onChange={(queue) => update({ queue })}
          testId="inspector-consumer-queue"
        />
        <FieldError field="queue" problems={problems} />
      </Field>

      <Section title="Taking messages">
        <div className="field-pair">
          <Field
            label="Prefetch"
            title="basic.qos: how many unacked messages the broker hands this consumer at once; 0 means no limit"
          >
            <NumberField
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
            <LabelledNumber
              label="From"
              value={processing.min}
              onCommit={(min) => setProcessing(min, Math.max(min, processing.max))}
              min={0}
              max={600000}
              unit="ms"
              testId="inspector-consumer-processing-min"
            />
            <LabelledNumber
              label="To"
              value={processing.max}
              onCommit={(max) => setProcessing(Math.min(processing.min, max), max)}
              min={0}
              max={600000}
              unit="ms"
              testId="inspector-consumer-processing-max"
            />
          </div>
        ) : (
          <LabelledNumber
            label="Each message takes"
            value={processing.min}
            onCommit={(ms) => setProcessing(ms, ms)}
            min={0}
            max={600000}
            unit="ms"
            testId="inspector-consumer-processing-ms"
          />
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
