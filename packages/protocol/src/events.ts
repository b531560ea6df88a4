import type { CounterSnapshot, Topology } from '@warren/topology';
import type { ErrorCode } from './errors';
import type { BrokerStatus, NodeError, QueueState } from './http';

interface EventBase {
  /** Increases by one per event in a session; a gap means the client missed events. */
  seq: number;
  /** Milliseconds since the epoch, when the server observed it. */
  at: number;
}

/** The broker's firehose reported a publish and where it routed it. */
export interface RoutedEvent extends EventBase {
  type: 'routed';
  messageId: string | null;
  exchange: string;
  routingKey: string;
  routedQueues: string[];
  producerId?: string;
  /** True when this came from a client outside Warren. */
  outside: boolean;
  /** The outside client's id (its connection's name on the broker), when `outside`. */
  outsideClientId?: string;
}

export interface ReturnedEvent extends EventBase {
  type: 'returned';
  messageId: string | null;
  exchange: string;
  routingKey: string;
  replyCode: number;
  replyText: string;
  producerId?: string;
}

export interface ConfirmedEvent extends EventBase {
  type: 'confirmed' | 'nacked';
  messageId: string;
  producerId?: string;
}

/** The firehose reported a delivery from a queue to a consumer. */
export interface DeliveredEvent extends EventBase {
  type: 'delivered';
  messageId: string | null;
  queue: string;
  redelivered: boolean;
  /** The consumer node run by Warren that the broker delivered it to. */
  consumerId?: string;
  /** Or the client outside Warren (its connection's name on the broker). */
  outsideClientId?: string;
}

export interface QueueStatsEvent extends EventBase {
  type: 'queue-stats';
  queues: QueueState[];
}

/**
 * Messages on every edge and through every exchange since the session started (or the counters
 * were reset), counted from the broker's own reports; sent at most four times a second while
 * they change, never dropped (a slow client gets the newest).
 */
export interface CountersEvent extends EventBase, CounterSnapshot {
  type: 'counters';
}

export interface NodeErrorEvent extends EventBase {
  type: 'node-error';
  errors: NodeError[];
}

export interface BrokerStatusEvent extends EventBase {
  type: 'broker-status';
  status: BrokerStatus;
}

export interface TopologyEvent extends EventBase {
  type: 'topology';
  topology: Topology;
  /**
   * `kind:name` of the topology's objects that clients outside Warren declared (`queue:orders`,
   * `binding:src -> dst (key)`), so the canvas can mark them.
   */
  outsideNames?: string[];
}

/** What a consumer run by Warren did with a delivery. */
export interface ConsumerActionEvent extends EventBase {
  /** acked: done; rejected: not requeued (dead-lettered or dropped); requeued: back to the queue. */
  type: 'acked' | 'rejected' | 'requeued';
  /** The AMQP method the consumer used (a nack and a reject both reject or requeue). */
  method: 'basic.ack' | 'basic.nack' | 'basic.reject' | 'auto-ack';
  messageId: string | null;
  queue: string;
  consumerId: string;
  /** Delivery attempt in the consumer (1 = first); for local retries. */
  attempt?: number;
  /** Why, in words: "failed (30% failure rate)", "duplicate message id", "max retries reached". */
  reason?: string;
}

/** A consumer run by Warren retried a message locally (no broker round trip). */
export interface RetryEvent extends EventBase {
  type: 'retrying';
  messageId: string | null;
  queue: string;
  consumerId: string;
  attempt: number;
  delayMs: number;
}

/** A duplicate message id skipped by an idempotent consumer. */
export interface DuplicateEvent extends EventBase {
  type: 'duplicate';
  messageId: string;
  queue: string;
  consumerId: string;
}

/**
 * The broker dead-lettered a message: seen on the firehose as a publish carrying x-death
 * (`inferred` is false) or deduced from depth changes without a DLX (`inferred` true).
 */
export interface DeadLetteredEvent extends EventBase {
  type: 'dead-lettered';
  messageId: string | null;
  /** The queue it left. */
  queue: string;
  reason: 'rejected' | 'expired' | 'maxlen' | 'delivery_limit';
  /** The dead-letter exchange and the key it was republished with. */
  exchange: string;
  routingKey: string;
  /** x-death count for this queue and reason. */
  count: number;
  inferred: boolean;
}

/** Messages expired or dropped by overflow where the broker gives no per-message signal. */
export interface DiscardedEvent extends EventBase {
  type: 'expired' | 'dropped';
  queue: string;
  /** How many (inferred from the queue's counters). */
  count: number;
  messageId?: string | null;
  inferred: boolean;
}

/** Running state and exact counters of a producer run by Warren. */
export interface ProducerStateEvent extends EventBase {
  type: 'producer-state';
  producerId: string;
  running: boolean;
  status?: 'idle' | 'running' | 'error';
  /** Why it stopped, when status is error (a sentence naming the producer). */
  error?: string;
  sent: number;
  confirmed: number;
  nacked: number;
  returned: number;
  /** For reliable producers: outbox counts by status. */
  outbox?: { sending: number; confirmed: number; failed: number };
}

/** Running state and exact counters of a consumer run by Warren. */
export interface ConsumerStateEvent extends EventBase {
  type: 'consumer-state';
  consumerId: string;
  status: 'running' | 'paused' | 'stopped' | 'killed' | 'error';
  received: number;
  acked: number;
  nacked: number;
  rejected: number;
  requeued: number;
  duplicates: number;
  replied: number;
  /** Messages delivered and not yet acked/rejected. */
  inFlight: number;
  error?: string;
}

/** A client outside Warren (its own connection on the session's vhost) appeared or changed. */
export interface OutsideClientEvent extends EventBase {
  type: 'outside-client';
  client: OutsideClient;
  gone: boolean;
}

export interface OutsideClient {
  /** Stable id for the canvas: the connection name. */
  id: string;
  role: 'producer' | 'consumer' | 'both';
  /** Queues it consumes from. */
  queues: string[];
  /** Exchanges it published to (from the firehose). */
  exchanges: string[];
  label: string;
}

/** An object changed on the broker by someone else than Warren (the diagram follows it). */
export interface OutsideChangeEvent extends EventBase {
  type: 'outside-change';
  change: 'created' | 'deleted';
  kind: 'exchange' | 'queue' | 'binding' | 'policy';
  name: string;
  /**
   * Whether it was seen on the broker's event exchange or by polling; `fault` when Warren deleted
   * it on purpose (fault injection) and the next Apply declares it again.
   */
  source: 'event-exchange' | 'polling' | 'fault';
}

export type WarrenEvent =
  | ConsumerActionEvent
  | RetryEvent
  | DuplicateEvent
  | DeadLetteredEvent
  | DiscardedEvent
  | ProducerStateEvent
  | ConsumerStateEvent
  | OutsideClientEvent
  | OutsideChangeEvent
  | RoutedEvent
  | ReturnedEvent
  | ConfirmedEvent
  | DeliveredEvent
  | QueueStatsEvent
  | CountersEvent
  | NodeErrorEvent
  | BrokerStatusEvent
  | TopologyEvent;

export type WarrenEventType = WarrenEvent['type'];

/** Distributes Omit over the union, so each event keeps its own fields. */
export type EventPayload<E = WarrenEvent> = E extends WarrenEvent ? Omit<E, 'seq' | 'at'> : never;

/** Frames the server sends on `/api/sessions/:id/events`. */
export type ServerFrame =
  | {
      type: 'hello';
      sessionId: string;
      /** The seq of the last event sent before this snapshot. */
      seq: number;
      topology: Topology;
      queues: QueueState[];
      broker: BrokerStatus;
      /** `kind:name` of the topology's objects declared outside Warren (see TopologyEvent). */
      outsideNames?: string[];
      /** Edge and exchange counters as of this snapshot (see CountersEvent). */
      counters?: CounterSnapshot;
    }
  | {
      type: 'events';
      events: WarrenEvent[];
      /** Animation events left out for this client since the last frame because it read too slowly. */
      dropped: number;
      /**
       * Snapshot events (queue-stats, counters) replaced by a newer one before they were sent;
       * with `dropped`, this explains every gap in seq.
       */
      replaced?: number;
    }
  | { type: 'pong'; id: string }
  | { type: 'error'; id?: string; code: ErrorCode; message: string };

/** Frames a client may send. Anything else is answered with a BAD_FRAME error. */
export type ClientFrame = { type: 'ping'; id: string };

export function parseClientFrame(raw: string): ClientFrame | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { error: 'Frames must be JSON.' };
  }
  if (typeof value !== 'object' || value === null || !('type' in value)) {
    return { error: 'Frames must be objects with a "type".' };
  }
  if (value.type === 'ping') {
    if ('id' in value && typeof value.id === 'string') return { type: 'ping', id: value.id };
    return { error: 'A ping needs a string "id".' };
  }
  return { error: `Unknown frame type ${JSON.stringify(value.type)}.` };
}
