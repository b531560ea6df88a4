import { Type } from 'typebox';

import { EXCHANGE_TYPES, POLICY_TARGETS, TOPOLOGY_VERSION } from './model-basics';

export * from './model-basics';

const Position = Type.Object(
  { x: Type.Number(), y: Type.Number() },
  { additionalProperties: false },
);

/** Values AMQP arguments and headers may take in a document (tables nest). */
const ArgumentValue = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);
const Arguments = Type.Record(Type.String(), Type.Unknown());

const Id = Type.String({ minLength: 1, maxLength: 200 });
/** AMQP short strings are at most 255 bytes. */
const ObjectName = Type.String({ maxLength: 255 });

export const ExchangeSchema = Type.Object(
  {
    id: Id,
    name: ObjectName,
    type: Type.Enum([...EXCHANGE_TYPES]),
    durable: Type.Boolean({ default: true }),
    autoDelete: Type.Boolean({ default: false }),
    internal: Type.Boolean({ default: false }),
    arguments: Type.Optional(Arguments),
    position: Type.Optional(Position),
  },
  { additionalProperties: false },
);

export const QueueSchema = Type.Object(
  {
    id: Id,
    name: ObjectName,
    durable: Type.Boolean({ default: true }),
    exclusive: Type.Boolean({ default: false }),
    autoDelete: Type.Boolean({ default: false }),
    /**
     * The broker picks the name (`amq.gen-…`) at declaration; `name` is then the diagram's label
     * for it, and bindings refer to that label.
     */
    serverNamed: Type.Optional(Type.Boolean()),
    arguments: Type.Optional(Arguments),
    position: Type.Optional(Position),
  },
  { additionalProperties: false },
);

export const BindingSchema = Type.Object(
  {
    id: Id,
    /** Name of the source exchange. */
    source: ObjectName,
    /** Name of the destination queue or exchange. */
    destination: ObjectName,
    destinationType: Type.Enum(['queue', 'exchange'], { default: 'queue' }),
    routingKey: Type.String({ maxLength: 255, default: '' }),
    arguments: Type.Optional(Arguments),
  },
  { additionalProperties: false },
);

/** How a producer picks the routing key of each message. */
export const RoutingKeyStrategySchema = Type.Union([
  /** Always the producer's `routingKey`. */
  Type.Object({ kind: Type.Literal('fixed') }, { additionalProperties: false }),
  /** The keys in turn. */
  Type.Object(
    {
      kind: Type.Literal('round-robin'),
      keys: Type.Array(Type.String({ maxLength: 255 }), { minItems: 1 }),
    },
    { additionalProperties: false },
  ),
  /** A key drawn at random for each message. */
  Type.Object(
    {
      kind: Type.Literal('random'),
      keys: Type.Array(Type.String({ maxLength: 255 }), { minItems: 1 }),
    },
    { additionalProperties: false },
  ),
  /** `routingKey` as a template: `{{n}}` is the message counter (see renderTemplate). */
  Type.Object({ kind: Type.Literal('template') }, { additionalProperties: false }),
]);

/** AMQP basic properties a producer sets; text values are templates (see renderTemplate). */
export const MessagePropertiesSchema = Type.Object(
  {
    persistent: Type.Optional(Type.Boolean()),
    /** Per-message TTL in milliseconds, as text (AMQP's `expiration`). */
    expiration: Type.Optional(Type.String({ pattern: '^[0-9]{1,10}$' })),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
    messageId: Type.Optional(Type.String({ maxLength: 255 })),
    correlationId: Type.Optional(Type.String({ maxLength: 255 })),
    replyTo: Type.Optional(Type.String({ maxLength: 255 })),
    contentType: Type.Optional(Type.String({ maxLength: 255 })),
    contentEncoding: Type.Optional(Type.String({ maxLength: 255 })),
    type: Type.Optional(Type.String({ maxLength: 255 })),
    appId: Type.Optional(Type.String({ maxLength: 255 })),
    /** Stamp each message with the time it is sent. */
    timestamp: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const ProducerSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ maxLength: 200 }),
    /** Name of the exchange it publishes to; '' is the default exchange. */
    exchange: ObjectName,
    routingKey: Type.String({ maxLength: 255, default: '' }),
    /** The body; a template (`{{n}}`, `{{messageId}}`, `{{routingKey}}`, `{{timestamp}}`). */
    payload: Type.String({ default: '' }),
    headers: Type.Optional(Type.Record(Type.String(), ArgumentValue)),
    mandatory: Type.Boolean({ default: false }),
    routingKeyStrategy: Type.Optional(RoutingKeyStrategySchema),
    properties: Type.Optional(MessagePropertiesSchema),
    /** Messages per second while running (continuous mode); absent or 0: one-shot sends only. */
    ratePerSecond: Type.Optional(Type.Number({ minimum: 0, maximum: 5000 })),
    /** Messages sent together at each tick (a burst); default 1. */
    burst: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    /** Publisher confirms (default true): every message is acked or nacked by the broker. */
    confirms: Type.Optional(Type.Boolean()),
    /** Publish inside AMQP transactions (tx.select / tx.commit); excludes confirms. */
    transactions: Type.Optional(Type.Boolean()),
    /** A reliable producer: an outbox of messages re-sent until confirmed, then given up. */
    outbox: Type.Optional(
      Type.Object(
        {
          /** Re-send a message not confirmed within this many ms. */
          timeoutMs: Type.Integer({ minimum: 10, maximum: 600000, default: 3000 }),
          /** Give up (status failed) after this many sends. */
          maxAttempts: Type.Integer({ minimum: 1, maximum: 100, default: 3 }),
        },
        { additionalProperties: false },
      ),
    ),
    position: Type.Optional(Position),
  },
  { additionalProperties: false },
);

/** A vhost policy: sets arguments on every exchange or queue whose name matches `pattern`. */
export const PolicySchema = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 255 }),
    /** A regular expression matched against object names (anchor it with ^ and $). */
    pattern: Type.String({ maxLength: 1000 }),
    applyTo: Type.Enum([...POLICY_TARGETS], { default: 'all' }),
    priority: Type.Integer({ default: 0 }),
    /** Policy keys without the `x-` prefix: `message-ttl`, `dead-letter-exchange`, … */
    definition: Arguments,
  },
  { additionalProperties: false },
);

/** What a consumer does with a message it fails to process. */
export const FailureActionSchema = Type.Union([
  /** basic.nack with requeue: the message goes back to the queue (redelivered). */
  Type.Object({ kind: Type.Literal('requeue') }, { additionalProperties: false }),
  /** basic.reject without requeue: dead-lettered when the queue has a DLX, dropped otherwise. */
  Type.Object({ kind: Type.Literal('reject') }, { additionalProperties: false }),
  /**
   * Retry in the consumer with backoff (initialIntervalMs × multiplier^attempt), then hand the
   * message to a recoverer: reject it (to the DLX) or republish it to an error exchange.
   */
  Type.Object(
    {
      kind: Type.Literal('retry'),
      initialIntervalMs: Type.Integer({ minimum: 0, maximum: 60000, default: 200 }),
      multiplier: Type.Number({ minimum: 1, maximum: 10, default: 2 }),
      maxAttempts: Type.Integer({ minimum: 1, maximum: 20, default: 3 }),
      recoverer: Type.Enum(['reject', 'republish'], { default: 'reject' }),
      /** For `republish`: where the failed message goes. */
      errorExchange: Type.Optional(ObjectName),
      errorRoutingKey: Type.Optional(Type.String({ maxLength: 255 })),
    },
    { additionalProperties: false },
  ),
  /**
   * Delayed retry through the broker: reject to the queue's DLX (a TTL retry queue that
   * dead-letters back), counting x-death; after maxRetries, republish to the parking exchange.
   */
  Type.Object(
    {
      kind: Type.Literal('delayed-retry'),
      maxRetries: Type.Integer({ minimum: 0, maximum: 100, default: 3 }),
      parkingExchange: ObjectName,
      parkingRoutingKey: Type.Optional(Type.String({ maxLength: 255 })),
    },
    { additionalProperties: false },
  ),
]);

/** An application reading from a queue, run by Warren on the session's vhost. */
export const ConsumerSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ maxLength: 200 }),
    /** Name (or server-named label) of the queue it consumes from. */
    queue: ObjectName,
    /** basic.qos prefetch count; 0 means unlimited. */
    prefetch: Type.Integer({ minimum: 0, maximum: 65535, default: 1 }),
    autoAck: Type.Boolean({ default: false }),
    /** Processing time per message in ms: fixed (min = max) or random in [min, max]. */
    processingMs: Type.Optional(
      Type.Object(
        {
          min: Type.Integer({ minimum: 0, maximum: 600000 }),
          max: Type.Integer({ minimum: 0, maximum: 600000 }),
        },
        { additionalProperties: false },
      ),
    ),
    /** Share of messages whose processing fails, 0 to 1. */
    failureRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    onFailure: Type.Optional(FailureActionSchema),
    /** Skip (ack without processing) messages whose message id was seen before, and count them. */
    idempotent: Type.Optional(Type.Boolean()),
    /** Reply to `reply_to` with the request's `correlation_id` (an RPC server). */
    rpcReply: Type.Optional(Type.Boolean()),
    /** Start consuming as soon as the diagram is applied (default true). */
    autoStart: Type.Optional(Type.Boolean()),
    position: Type.Optional(Position),
  },
  { additionalProperties: false },
);

export const TopologySchema = Type.Object(
  {
    version: Type.Literal(TOPOLOGY_VERSION),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    exchanges: Type.Array(ExchangeSchema, { default: [] }),
    queues: Type.Array(QueueSchema, { default: [] }),
    bindings: Type.Array(BindingSchema, { default: [] }),
    producers: Type.Array(ProducerSchema, { default: [] }),
    consumers: Type.Optional(Type.Array(ConsumerSchema)),
    policies: Type.Optional(Type.Array(PolicySchema)),
  },
  { additionalProperties: false },
);

export type Position = Type.Static<typeof Position>;
export type Exchange = Type.Static<typeof ExchangeSchema>;
export type Queue = Type.Static<typeof QueueSchema>;
export type Binding = Type.Static<typeof BindingSchema>;
export type Producer = Type.Static<typeof ProducerSchema>;
export type Policy = Type.Static<typeof PolicySchema>;
export type Consumer = Type.Static<typeof ConsumerSchema>;
export type RoutingKeyStrategy = Type.Static<typeof RoutingKeyStrategySchema>;
export type MessageProperties = Type.Static<typeof MessagePropertiesSchema>;
export type FailureAction = Type.Static<typeof FailureActionSchema>;
export type Topology = Type.Static<typeof TopologySchema>;
export type ArgumentTable = Record<string, unknown>;
