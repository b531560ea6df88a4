import Type from 'typebox';

/** The version of the topology document this code reads and writes. */
export const TOPOLOGY_VERSION = 1;

/** Exchange types Warren can draw and materialize. */
export const EXCHANGE_TYPES = [
  'direct',
  'fanout',
  'topic',
  'headers',
  'x-consistent-hash',
] as const;
export type ExchangeType = (typeof EXCHANGE_TYPES)[number];

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

export const ProducerSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ maxLength: 200 }),
    /** Name of the exchange it publishes to; '' is the default exchange. */
    exchange: ObjectName,
    routingKey: Type.String({ maxLength: 255, default: '' }),
    payload: Type.String({ default: '' }),
    headers: Type.Optional(Type.Record(Type.String(), ArgumentValue)),
    mandatory: Type.Boolean({ default: false }),
    position: Type.Optional(Position),
  },
  { additionalProperties: false },
);

/** What a policy applies to, as the broker's `apply-to` says it. */
export const POLICY_TARGETS = [
  'queues',
  'exchanges',
  'all',
  'classic_queues',
  'quorum_queues',
] as const;
export type PolicyTarget = (typeof POLICY_TARGETS)[number];

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

/** An application reading from a queue (run by Warren, or drawn for code export). */
export const ConsumerSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ maxLength: 200 }),
    /** Name (or server-named label) of the queue it consumes from. */
    queue: ObjectName,
    /** basic.qos prefetch count; 0 means unlimited. */
    prefetch: Type.Integer({ minimum: 0, maximum: 65535, default: 1 }),
    autoAck: Type.Boolean({ default: false }),
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
export type Topology = Type.Static<typeof TopologySchema>;
export type ArgumentTable = Record<string, unknown>;

/** An empty document, the starting point of a new diagram. */
export function emptyTopology(): Topology {
  return { version: TOPOLOGY_VERSION, exchanges: [], queues: [], bindings: [], producers: [] };
}

/** Exchanges every vhost has; they are never declared or deleted by Warren. */
export function isBuiltInExchange(name: string): boolean {
  return name === '' || name.startsWith('amq.');
}

/** The exchanges every vhost is created with, by type ('' is the default exchange). */
export const BUILT_IN_EXCHANGES: Readonly<Record<string, ExchangeType>> = {
  '': 'direct',
  'amq.direct': 'direct',
  'amq.fanout': 'fanout',
  'amq.topic': 'topic',
  'amq.headers': 'headers',
  'amq.match': 'headers',
};

/** The type of an exchange the diagram draws or the broker always has. */
export function exchangeTypeOf(topology: Topology, name: string): ExchangeType | undefined {
  return topology.exchanges.find((e) => e.name === name)?.type ?? BUILT_IN_EXCHANGES[name];
}
