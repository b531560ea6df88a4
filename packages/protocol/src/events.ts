import { Type } from 'typebox';
import { CounterSnapshotSchema } from '@warren/topology';
import { BrokerStatusSchema } from './http/health';
import { ConsumerStateReportSchema } from './http/consumers';
import {
  OutsideClientSchema,
  OutsideNamesSchema,
  OutsideObjectChangeSchema,
  OutsideOwnersSchema,
} from './http/outside';
import { LessonProgressSchema } from './http/lessons';
import { ProducerStateReportSchema } from './http/producers';
import { NodeErrorSchema, QueueStateSchema } from './http/sessions';
import { TopologyDocumentSchema } from './http/common';
import { MessageKeySchema, MessagePropertiesSchema, PayloadPreviewSchema } from './message-details';

/** Fields every event has. */
const EventBase = Type.Object({
  /** Increases by one per event in a session; a gap means the client missed events. */
  seq: Type.Integer(),
  /** Milliseconds since the epoch, when the server observed it. */
  at: Type.Number(),
});

/** `messageId` of a message the broker reported without one. */
const MaybeMessageId = Type.Union([Type.String(), Type.Null()]);

/** The broker's firehose reported a publish and where it routed it. */
export const RoutedEventSchema = Type.Interface([EventBase], {
  type: Type.Literal('routed'),
  messageId: MaybeMessageId,
  exchange: Type.String(),
  routingKey: Type.String(),
  routedQueues: Type.Array(Type.String()),
  producerId: Type.Optional(Type.String()),
  /**
   * The consumer node that published it: an RPC reply (to a direct reply-to requester too) or a
   * failed message it republished.
   */
  consumerId: Type.Optional(Type.String()),
  /** True when this came from a client outside Warren. */
  outside: Type.Boolean(),
  /** The outside client's node id (see OutsideClient.id), when `outside`. */
  outsideClientId: Type.Optional(Type.String()),
  /**
   * A reply to a direct reply-to (`amq.rabbitmq.reply-to`) requester: the broker hands it to
   * that client's channel, no queue; this is the requester (outside client id, or consumer node
   * id when Warren runs it). A `delivered` event with queue `amq.rabbitmq.reply-to` follows.
   */
  directReplyTo: Type.Optional(Type.String()),
  messageKey: MessageKeySchema,
  properties: Type.Optional(MessagePropertiesSchema),
  /** The start of the body (the message inspector shows it as text or bytes). */
  payload: Type.Optional(PayloadPreviewSchema),
});
export type RoutedEvent = Type.Static<typeof RoutedEventSchema>;

export const ReturnedEventSchema = Type.Interface([EventBase], {
  type: Type.Literal('returned'),
  messageId: MaybeMessageId,
  exchange: Type.String(),
  routingKey: Type.String(),
  replyCode: Type.Number(),
  replyText: Type.String(),
  producerId: Type.Optional(Type.String()),
});
export type ReturnedEvent = Type.Static<typeof ReturnedEventSchema>;

export const ConfirmedEventSchema = Type.Interface([EventBase], {
  type: Type.Union([Type.Literal('confirmed'), Type.Literal('nacked')]),
  messageId: Type.String(),
  producerId: Type.Optional(Type.String()),
});
export type ConfirmedEvent = Type.Static<typeof ConfirmedEventSchema>;

/** The firehose reported a delivery from a queue to a consumer. */
export const DeliveredEventSchema = Type.Interface([EventBase], {
  type: Type.Literal('delivered'),
  messageId: MaybeMessageId,
  queue: Type.String(),
  redelivered: Type.Boolean(),
  /** The consumer node run by Warren that the broker delivered it to. */
  consumerId: Type.Optional(Type.String()),
  /** Or the client outside Warren (its node id, see OutsideClient.id). */
  outsideClientId: Type.Optional(Type.String()),
  messageKey: MessageKeySchema,
  properties: Type.Optional(MessagePropertiesSchema),
});
export type DeliveredEvent = Type.Static<typeof DeliveredEventSchema>;

export const QueueStatsEventSchema = Type.Interface([EventBase], {
  type: Type.Literal('queue-stats'),
  queues: Type.Array(QueueStateSchema),
});
export type QueueStatsEvent = Type.Static<typeof QueueStatsEventSchema>;

/**
 * Messages on every edge and through every exchange since the session started (or the counters
 * were reset), counted from the broker's own reports; sent at most four times a second while
 * they change, never dropped (a slow client gets the newest).
 */
export const CountersEventSchema = Type.Interface([EventBase, CounterSnapshotSchema], {
  type: Type.Literal('counters'),
});
export type CountersEvent = Type.Static<typeof CountersEventSchema>;

export const NodeErrorEventSchema = Type.Interface([EventBase], {
  type: Type.Literal('node-error'),
  errors: Type.Array(NodeErrorSchema),
});
export type NodeErrorEvent = Type.Static<typeof NodeErrorEventSchema>;

export const BrokerStatusEventSchema = Type.Interface([EventBase], {
  type: Type.Literal('broker-status'),
  status: BrokerStatusSchema,
});
export type BrokerStatusEvent = Type.Static<typeof BrokerStatusEventSchema>;

/**
 * A lesson's `restart-broker` step stopped and started the whole broker (only where the
 * operator allows it). Every session on the broker hears it: `stopping` before the command
 * runs, `back` once the broker answers again and this session has reconnected and declared its
 * diagram again, `failed` (with `message`) when the restart or the recovery did not happen.
 */
export const BrokerRestartEventSchema = Type.Interface([EventBase], {
  type: Type.Literal('broker-restart'),
  phase: Type.Union([Type.Literal('stopping'), Type.Literal('back'), Type.Literal('failed')]),
  /** How long the broker was away, from the command's start to this session's recovery. */
  tookMs: Type.Optional(Type.Integer({ minimum: 0 })),
  message: Type.Optional(Type.String()),
});
export type BrokerRestartEvent = Type.Static<typeof BrokerRestartEventSchema>;

export const TopologyEventSchema = Type.Interface([EventBase], {
  type: Type.Literal('topology'),
  topology: TopologyDocumentSchema,
  /**
   * `kind:name` of the topology's objects that clients outside Warren declared (`queue:orders`,
   * `binding:src -> dst (key)`), so the canvas can mark them.
   */
  outsideNames: Type.Optional(OutsideNamesSchema),
  /** Objects of `outsideNames` that one client owns, with its id (see OutsideOwnersSchema). */
  outsideOwners: Type.Optional(OutsideOwnersSchema),
});
export type TopologyEvent = Type.Static<typeof TopologyEventSchema>;

/** What a consumer run by Warren did with a delivery. */
export const ConsumerActionEventSchema = Type.Interface([EventBase], {
  /** acked: done; rejected: not requeued (dead-lettered or dropped); requeued: back to the queue. */
  type: Type.Union([Type.Literal('acked'), Type.Literal('rejected'), Type.Literal('requeued')]),
  /** The AMQP method the consumer used (a nack and a reject both reject or requeue). */
  method: Type.Union([
    Type.Literal('basic.ack'),
    Type.Literal('basic.nack'),
    Type.Literal('basic.reject'),
    Type.Literal('auto-ack'),
  ]),
  messageId: MaybeMessageId,
  queue: Type.String(),
  consumerId: Type.String(),
  /** Delivery attempt in the consumer (1 = first); for local retries. */
  attempt: Type.Optional(Type.Integer()),
  /** Why, in words: "failed (30% failure rate)", "duplicate message id", "max retries reached". */
  reason: Type.Optional(Type.String()),
});
export type ConsumerActionEvent = Type.Static<typeof ConsumerActionEventSchema>;

/** A consumer run by Warren retried a message locally (no broker round trip). */
export const RetryEventSchema = Type.Interface([EventBase], {
  type: Type.Literal('retrying'),
  messageId: MaybeMessageId,
  queue: Type.String(),
  consumerId: Type.String(),
  attempt: Type.Integer(),
  delayMs: Type.Number(),
});
export type RetryEvent = Type.Static<typeof RetryEventSchema>;

/** A duplicate message id skipped by an idempotent consumer. */
export const DuplicateEventSchema = Type.Interface([EventBase], {
  type: Type.Literal('duplicate'),
  messageId: Type.String(),
  queue: Type.String(),
  consumerId: Type.String(),
});
export type DuplicateEvent = Type.Static<typeof DuplicateEventSchema>;

/**
 * The broker dead-lettered a message: seen on the firehose as a publish carrying x-death
 * (`inferred` is false) or deduced from depth changes without a DLX (`inferred` true).
 */
export const DeadLetteredEventSchema = Type.Interface([EventBase], {
  type: Type.Literal('dead-lettered'),
  messageId: MaybeMessageId,
  /** The queue it left. */
  queue: Type.String(),
  reason: Type.Union([
    Type.Literal('rejected'),
    Type.Literal('expired'),
    Type.Literal('maxlen'),
    Type.Literal('delivery_limit'),
  ]),
  /** The dead-letter exchange and the key it was republished with. */
  exchange: Type.String(),
  routingKey: Type.String(),
  /** x-death count for this queue and reason. */
  count: Type.Integer(),
  inferred: Type.Boolean(),
});
export type DeadLetteredEvent = Type.Static<typeof DeadLetteredEventSchema>;

/** Messages expired or dropped by overflow where the broker gives no per-message signal. */
export const DiscardedEventSchema = Type.Interface([EventBase], {
  type: Type.Union([Type.Literal('expired'), Type.Literal('dropped')]),
  queue: Type.String(),
  /** How many (inferred from the queue's counters). */
  count: Type.Integer(),
  messageId: Type.Optional(MaybeMessageId),
  inferred: Type.Boolean(),
});
export type DiscardedEvent = Type.Static<typeof DiscardedEventSchema>;

/** Running state and exact counters of a producer run by Warren. */
export const ProducerStateEventSchema = Type.Interface([EventBase, ProducerStateReportSchema], {
  type: Type.Literal('producer-state'),
});
export type ProducerStateEvent = Type.Static<typeof ProducerStateEventSchema>;

/** Running state and exact counters of a consumer run by Warren. */
export const ConsumerStateEventSchema = Type.Interface([EventBase, ConsumerStateReportSchema], {
  type: Type.Literal('consumer-state'),
});
export type ConsumerStateEvent = Type.Static<typeof ConsumerStateEventSchema>;

/** A client outside Warren (its own connection on the session's vhost) appeared or changed. */
export const OutsideClientEventSchema = Type.Interface([EventBase], {
  type: Type.Literal('outside-client'),
  client: OutsideClientSchema,
  gone: Type.Boolean(),
});
export type OutsideClientEvent = Type.Static<typeof OutsideClientEventSchema>;

/** An object changed on the broker by someone else than Warren (the diagram follows it). */
export const OutsideChangeEventSchema = Type.Interface([EventBase, OutsideObjectChangeSchema], {
  type: Type.Literal('outside-change'),
});
export type OutsideChangeEvent = Type.Static<typeof OutsideChangeEventSchema>;

/** Steps of the session's lesson became done (sent with every step's state). */
export const LessonProgressEventSchema = Type.Interface([EventBase, LessonProgressSchema], {
  type: Type.Literal('lesson-progress'),
});
export type LessonProgressEvent = Type.Static<typeof LessonProgressEventSchema>;

/** Every event of a session's stream, told apart by its literal `type`. */
export const WarrenEventSchema = Type.Union([
  ConsumerActionEventSchema,
  RetryEventSchema,
  DuplicateEventSchema,
  DeadLetteredEventSchema,
  DiscardedEventSchema,
  ProducerStateEventSchema,
  ConsumerStateEventSchema,
  OutsideClientEventSchema,
  OutsideChangeEventSchema,
  LessonProgressEventSchema,
  RoutedEventSchema,
  ReturnedEventSchema,
  ConfirmedEventSchema,
  DeliveredEventSchema,
  QueueStatsEventSchema,
  CountersEventSchema,
  NodeErrorEventSchema,
  BrokerStatusEventSchema,
  BrokerRestartEventSchema,
  TopologyEventSchema,
]);
export type WarrenEvent = Type.Static<typeof WarrenEventSchema>;

export type WarrenEventType = WarrenEvent['type'];

/** Distributes Omit over the union, so each event keeps its own fields. */
export type EventPayload<E = WarrenEvent> = E extends WarrenEvent ? Omit<E, 'seq' | 'at'> : never;
