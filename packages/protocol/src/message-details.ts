import { Type } from 'typebox';

/** At most this many headers are carried on an event; the rest are left out (`truncated`). */
export const MAX_DETAIL_HEADERS = 16;
/** Longer header values (as text) are cut to this many characters, ending in `…`. */
export const MAX_DETAIL_VALUE = 200;

/**
 * The properties of a message as the broker's firehose traced them, the ones people look at.
 * Header values are given as text or numbers; nested tables and lists as JSON text.
 */
export const MessagePropertiesSchema = Type.Object({
  replyTo: Type.Optional(Type.String()),
  correlationId: Type.Optional(Type.String()),
  messageId: Type.Optional(Type.String()),
  contentType: Type.Optional(Type.String()),
  contentEncoding: Type.Optional(Type.String()),
  /** 1 transient, 2 persistent. */
  deliveryMode: Type.Optional(Type.Integer()),
  priority: Type.Optional(Type.Integer()),
  /** Per-message TTL in milliseconds, as the publisher wrote it. */
  expiration: Type.Optional(Type.String()),
  /** Seconds since the epoch, as AMQP carries it. */
  timestamp: Type.Optional(Type.Number()),
  type: Type.Optional(Type.String()),
  appId: Type.Optional(Type.String()),
  userId: Type.Optional(Type.String()),
  /** At most 16 headers; long values cut (ending in `…`). */
  headers: Type.Optional(
    Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
  ),
  /** How many headers were left out, when there were more than 16. */
  headersOmitted: Type.Optional(Type.Integer()),
});
export type MessageProperties = Type.Static<typeof MessagePropertiesSchema>;

/**
 * The same on a message's `routed` event and on each of its `delivered` events, also when it has
 * no message id: `<content hash>-<occurrence>` (the n-th identical message gets n).
 */
export const MessageKeySchema = Type.String({
  description: 'Pairs a routed event with the delivered events of the same message.',
});
