import type { MessageProperties as Properties } from '@warren/protocol';

/** The traced properties of one message, as rows; headers last. */
const labels: [keyof Properties, string][] = [
  ['messageId', 'message id'],
  ['correlationId', 'correlation id'],
  ['replyTo', 'reply to'],
  ['contentType', 'content type'],
  ['contentEncoding', 'content encoding'],
  ['deliveryMode', 'delivery mode'],
  ['priority', 'priority'],
  ['expiration', 'expiration'],
  ['timestamp', 'timestamp'],
  ['type', 'type'],
  ['appId', 'app id'],
  ['userId', 'user id'],
];

function shown(key: keyof Properties, value: unknown): string {
  if (key === 'timestamp' && typeof value === 'number') {
    return new Date(value * 1000).toISOString();
  }
  if (key === 'deliveryMode')
    return value === 2 ? '2 (persistent)' : `${String(value)} (transient)`;
  return String(value);
}

export function MessageProperties({
  properties,
  messageKey,
}: {
  properties: Properties | undefined;
  messageKey: string;
}) {
  const rows = labels.filter(([key]) => properties?.[key] !== undefined);
  const headers = Object.entries(properties?.headers ?? {});
  return (
    <dl className="message-properties" data-testid="message-properties">
      <div className="message-properties__row">
        <dt>message key</dt>
        <dd data-testid="message-property-messageKey">
          <code>{messageKey}</code>
        </dd>
      </div>
      {rows.map(([key, label]) => (
        <div key={key} className="message-properties__row">
          <dt>{label}</dt>
          <dd data-testid={`message-property-${key}`}>{shown(key, properties?.[key])}</dd>
        </div>
      ))}
      {headers.map(([name, value]) => (
        <div key={`h:${name}`} className="message-properties__row">
          <dt>
            header <code>{name}</code>
          </dt>
          <dd data-testid={`message-header-${name}`}>{String(value)}</dd>
        </div>
      ))}
      {properties?.headersOmitted !== undefined && (
        <p className="message-properties__omitted" data-testid="message-headers-omitted">
          {properties.headersOmitted} more header{properties.headersOmitted === 1 ? '' : 's'} not
          shown
        </p>
      )}
      {rows.length + headers.length === 0 && (
        <p className="message-properties__omitted">no properties set</p>
      )}
    </dl>
  );
}
