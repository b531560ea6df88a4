import type { Topology } from '@warren/topology';
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
}

export interface QueueStatsEvent extends EventBase {
  type: 'queue-stats';
  queues: QueueState[];
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
}

export type WarrenEvent =
  | RoutedEvent
  | ReturnedEvent
  | ConfirmedEvent
  | DeliveredEvent
  | QueueStatsEvent
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
    }
  | {
      type: 'events';
      events: WarrenEvent[];
      /** Animation events left out for this client since the last frame because it read too slowly. */
      dropped: number;
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
