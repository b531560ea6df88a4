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

export const TopologySchema = Type.Object(
  {
    version: Type.Literal(TOPOLOGY_VERSION),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    exchanges: Type.Array(ExchangeSchema, { default: [] }),
    queues: Type.Array(QueueSchema, { default: [] }),
    bindings: Type.Array(BindingSchema, { default: [] }),
    producers: Type.Array(ProducerSchema, { default: [] }),
  },
  { additionalProperties: false },
);

export type Position = Type.Static<typeof Position>;
export type Exchange = Type.Static<typeof ExchangeSchema>;
export type Queue = Type.Static<typeof QueueSchema>;
export type Binding = Type.Static<typeof BindingSchema>;
export type Producer = Type.Static<typeof ProducerSchema>;
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
