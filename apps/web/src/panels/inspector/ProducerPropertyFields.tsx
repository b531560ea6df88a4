import type { MessageProperties } from '@warren/topology';
import { Toggle } from './fields';
import { readExpiration, type ProducerFieldsProps } from './producer-fields';
import { Cell, DraftCell, IntegerCell } from './PropCell';

/** The basic properties a producer sets on its messages (content type, priority, ids, ...). */

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
export function PropertyFields({ producer, update, problems }: ProducerFieldsProps) {
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
          read={readExpiration}
          onCommit={(expiration) => set({ expiration })}
          testId="inspector-producer-expiration"
          placeholder="none"
          inputMode="numeric"
        />
        <IntegerCell
          label="priority"
          hint="0–255; a priority queue (x-max-priority) delivers higher ones first"
          field="priority"
          problems={problems}
          value={properties.priority}
          onCommit={(priority) => set({ priority })}
          testId="inspector-producer-priority"
          placeholder="none"
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
