import type { MessageProperties as Properties } from '@warren/protocol';
import { propertyRows, propertyText } from '../../live/message-properties';

/** The traced properties of one message, as rows; headers last. */
export function MessageProperties({
  properties,
  messageKey,
}: {
  properties: Properties | undefined;
  messageKey: string;
}) {
  const rows = propertyRows(properties);
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
          <dd data-testid={`message-property-${key}`}>{propertyText(key, properties?.[key])}</dd>
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
