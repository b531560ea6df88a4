import { producerEdgeId, type Producer } from '@warren/topology';
import { useState } from 'react';
import { sendFromProducer } from '../../live/commands';
import { useExchangeNames, usePublishResult } from '../../store/selectors';
import { formatKeyValues, parseKeyValues } from '../key-values';
import { DeleteButton, Errors, Header, NameField, useActions } from './common';
import { Field, Toggle } from './fields';

export function ProducerInspector({ producer }: { producer: Producer }) {
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
          data-testid="inspector-headers"
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

export function PublishInspector({ producer }: { producer: Producer }) {
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
