import { Type } from 'typebox';

/** At most this many headers are carried on an event; the rest are left out (`truncated`). */
export const MAX_DETAIL_HEADERS = 16;
/** Longer header values (as text) are cut to this many characters, ending in `…`. */
export const MAX_DETAIL_VALUE = 200;
/** At most this many `x-death` entries are carried, newest first as the broker keeps them. */
export const MAX_DETAIL_DEATHS = 10;
/** At most this many bytes of a body are carried on a `routed` event. */
export const MAX_PAYLOAD_PREVIEW = 512;

/** One entry of a message's `x-death` header: a queue it was dead-lettered from, and why. */
export const XDeathEntrySchema = Type.Object({
  queue: Type.String(),
  /** rejected, expired, maxlen or delivery_limit. */
  reason: Type.String(),
  /** How many times it was dead-lettered from this queue for this reason. */
  count: Type.Integer(),
  /** The exchange it had been published to before it reached that queue. */
  exchange: Type.String(),
  routingKeys: Type.Array(Type.String()),
  /** When it was dead-lettered the first time for this queue and reason, seconds since the epoch. */
  time: Type.Optional(Type.Number()),
});
export type XDeathEntry = Type.Static<typeof XDeathEntrySchema>;

/**
 * The start of a message's body, as it was published: at most 512 bytes, base64 encoded (a body
 * may be binary); `size` is the whole body's length in bytes.
 */
export const PayloadPreviewSchema = Type.Object({
  size: Type.Integer({ minimum: 0 }),
  base64: Type.String(),
});
export type PayloadPreview = Type.Static<typeof PayloadPreviewSchema>;

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
  /** The `x-death` header read as a table, at most 10 entries, when the message has one. */
  xDeath: Type.Optional(Type.Array(XDeathEntrySchema)),
});
export type MessageProperties = Type.Static<typeof MessagePropertiesSchema>;

/**
 * The same on a message's `routed` event and on each of its `delivered` events, also when it has
 * no message id: `<content hash>-<occurrence>` (the n-th identical message gets n).
 */
export const MessageKeySchema = Type.String({
  description: 'Pairs a routed event with the delivered events of the same message.',
});
