import { producerEdgeId, type Producer } from '@warren/topology';
import { useState } from 'react';
import {
  PRODUCER_COUNTERS,
  formatRate,
  useProducerRuntime,
} from '../../canvas/nodes/ProducerRunStrip';
import { closeConnection } from '../../live/consumer-commands';
import { controlProducer, sendFromProducerNode } from '../../live/producer-commands';
import { useOutboxView } from '../../store/outbox-view';
import { selectReadOnly, useExchangeNames, usePublishResult } from '../../store/selectors';
import { useWarren } from '../../store/store';
import { formatKeyValues, parseKeyValues } from '../key-values';
import { DeleteButton, Errors, Header, NameField, Section, useActions } from './common';
import { DraftField } from './DraftField';
import { Field } from './fields';
import { ExchangeSelect } from './NameSelect';
import { useFieldProblems } from './problems';
import { readWhole } from './producer-fields';
import { PropertyFields } from './ProducerPropertyFields';
import { PayloadHint, RoutingKeyFields } from './ProducerRoutingKeyFields';
import { DeliveryFields, OutboxFields, RateFields } from './ProducerSendingFields';
import './ProducerInspector.css';

/** The producer's exact counters, as the server's producer-state events give them. */
function ProducerStats({ producer }: { producer: Producer }) {
  const runtime = useProducerRuntime(producer.id);
  return (
    <div className="stat-row stat-row--producer" data-testid="inspector-producer-stats">
      {PRODUCER_COUNTERS.map((c) => (
        <div key={c.key} className={`stat stat--${c.key}`} title={c.title}>
          <span className="stat__value" data-testid={`inspector-producer-${c.key}`}>
            {runtime?.[c.key] ?? 0}
          </span>
          <span className="stat__label">{c.label}</span>
        </div>
      ))}
    </div>
  );
}

/** Start/Stop and the measured rate, in the continuous-sending section. */
function RunControl({ producer }: { producer: Producer }) {
  const runtime = useProducerRuntime(producer.id);
  const readOnly = useWarren(selectReadOnly);
  const running = runtime?.running === true;
  if ((producer.ratePerSecond ?? 0) <= 0)
    return (
      <p className="inspector__note">
        Set a rate to send continuously; the Send button sends one message at a time.
      </p>
    );
  return (
    <div className="run-control">
      <button
        type="button"
        className={`run-control__button ${running ? 'is-stop' : 'is-start'}`}
        data-testid={running ? 'inspector-producer-stop' : 'inspector-producer-start'}
        disabled={readOnly}
        onClick={() => void controlProducer(producer.id, running ? 'stop' : 'start')}
      >
        {running ? 'Stop' : 'Start'}
      </button>
      <span className="run-control__rate">
        {running ? (
          <>
            <strong>{formatRate(runtime.rate)}</strong> msg/s now
          </>
        ) : (
          'stopped'
        )}
      </span>
    </div>
  );
}

export function ProducerInspector({ producer }: { producer: Producer }) {
  const { updateProducer } = useActions();
  const exchanges = useExchangeNames();
  const result = usePublishResult(producer.id);
  const problems = useFieldProblems(producer.id);
  const readOnly = useWarren(selectReadOnly);
  const runtime = useProducerRuntime(producer.id);
  const openOutbox = useOutboxView((s) => s.open);
  const [headersDraft, setHeadersDraft] = useState(() => formatKeyValues(producer.headers));
  const [count, setCount] = useState(1);
  const update = (patch: Parameters<typeof updateProducer>[1]) =>
    updateProducer(producer.id, patch);
  return (
    <>
      <Header kind="Producer" title={producer.name} accent="producer" />
      <Errors id={producer.id} />
      <ProducerStats producer={producer} />
      <NameField id={producer.id} name={producer.name} />
      <Field
        label="Publishes to"
        hint={
          producer.exchange === ''
            ? 'The default exchange routes to the queue named by the routing key.'
            : undefined
        }
      >
        <ExchangeSelect
          value={producer.exchange}
          names={exchanges}
          onChange={(exchange) => update({ exchange })}
          testId="inspector-producer-exchange"
        />
      </Field>
      <RoutingKeyFields producer={producer} update={update} problems={problems} />
      <Field label="Payload" hint={<PayloadHint producer={producer} />}>
        <textarea
          data-testid="inspector-payload"
          value={producer.payload}
          rows={3}
          spellCheck={false}
          onChange={(e) => update({ payload: e.target.value })}
        />
      </Field>
      <Field label="Headers" hint="One per line: name: value">
        <textarea
          data-testid="inspector-headers"
          value={headersDraft}
          rows={2}
          spellCheck={false}
          placeholder="format: pdf"
          onChange={(e) => {
            setHeadersDraft(e.target.value);
            const headers = parseKeyValues(e.target.value);
            update({ headers: Object.keys(headers).length > 0 ? headers : undefined });
          }}
        />
      </Field>
      <div className="inspector__send">
        <div className="send-row">
          <button
            type="button"
            className="primary-button"
            data-testid="inspector-send"
            onClick={() => void sendFromProducerNode(producer.id, count)}
          >
            {count > 1 ? `Send ${count} messages` : 'Send message'}
          </button>
          <label className="send-row__count" title="How many messages one click sends">
            ×
            <DraftField
              value={String(count)}
              read={readWhole(1, 1000)}
              onCommit={(n) => setCount(n ?? 1)}
              testId="inspector-producer-count"
              inputMode="numeric"
              quiet
            />
          </label>
        </div>
        {result && (
          <span
            className={`publish-result publish-result--${result.tone}`}
            data-testid="inspector-producer-result"
          >
            {result.text}
          </span>
        )}
      </div>
      <Section title="Delivery">
        <DeliveryFields producer={producer} update={update} />
      </Section>
      <Section title="Continuous sending">
        <RateFields producer={producer} update={update} problems={problems} />
        <RunControl producer={producer} />
      </Section>
      <Section title="Reliable producer">
        <OutboxFields producer={producer} update={update} problems={problems} />
        {producer.outbox && (
          <div className="outbox-summary">
            <span className="outbox-pill outbox-pill--sending">
              {runtime?.outbox?.sending ?? 0} sending
            </span>
            <span className="outbox-pill outbox-pill--confirmed">
              {runtime?.outbox?.confirmed ?? 0} confirmed
            </span>
            <span className="outbox-pill outbox-pill--failed">
              {runtime?.outbox?.failed ?? 0} failed
            </span>
            <button
              type="button"
              className="link-button"
              data-testid="inspector-producer-outbox"
              onClick={() => openOutbox(producer.id)}
            >
              Show outbox
            </button>
          </div>
        )}
      </Section>
      <Section title="Message properties">
        <PropertyFields producer={producer} update={update} problems={problems} />
      </Section>
      {!readOnly && (
        <Section title="Faults">
          <button
            type="button"
            className="fault-button"
            data-testid="inspector-producer-close-connection"
            title="Close the producer's own AMQP connection, as a network failure would"
            onClick={() => void closeConnection({ producerId: producer.id })}
          >
            Close its connection
          </button>
        </Section>
      )}
      <DeleteButton id={producer.id} label="Delete producer" />
    </>
  );
}

export function PublishInspector({ producer }: { producer: Producer }) {
  if (producer.exchange === '')
    return (
      <>
        <Header
          kind="Publishes through the default exchange"
          title={`${producer.name} → ${producer.routingKey}`}
          accent="producer"
        />
        <p className="inspector__note">
          {producer.name} publishes to the default exchange with routing key{' '}
          <code>{producer.routingKey}</code>. Every queue is bound to it by its own name, so the
          message goes to queue {producer.routingKey}. Removing this link clears the key.
        </p>
        <DeleteButton id={producerEdgeId(producer.id)} label="Disconnect" />
      </>
    );
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
