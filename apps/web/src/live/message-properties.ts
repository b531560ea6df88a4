import type { MessageProperties } from '@warren/protocol';
import { visibleText } from './message-text';

/** The traced properties of a message, in the order and words both message views show them. */
export const PROPERTY_LABELS: readonly (readonly [keyof MessageProperties, string])[] = [
  ['messageId', 'message id'],
  ['correlationId', 'correlation id'],
  ['replyTo', 'reply to'],
  ['contentType', 'content type'],
  ['contentEncoding', 'content encoding'],
  ['deliveryMode', 'delivery mode'],
  ['priority', 'priority'],
  ['expiration', 'expiration (ms)'],
  ['timestamp', 'timestamp'],
  ['type', 'type'],
  ['appId', 'app id'],
  ['userId', 'user id'],
];

/** The properties a message has, as label rows in that order. */
export function propertyRows(
  properties: MessageProperties | undefined,
): (readonly [keyof MessageProperties, string])[] {
  return PROPERTY_LABELS.filter(([key]) => properties?.[key] !== undefined);
}

/** One property's value as text: delivery mode named, timestamp also as a date, control characters shown. */
export function propertyText(key: keyof MessageProperties, value: unknown, max = 300): string {
  if (key === 'deliveryMode')
    return value === 2 ? '2 (persistent)' : `${String(value)} (transient)`;
  if (key === 'timestamp' && typeof value === 'number')
    return `${value} (${new Date(value * 1000).toISOString()})`;
  return visibleText(value, max);
}
