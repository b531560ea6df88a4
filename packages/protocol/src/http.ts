import type { Definitions, Topology } from '@warren/topology';
import type { ErrorCode } from './errors';

/** What an outside client (pika, amqplib, Spring) needs to connect to a session's vhost. */
export interface AmqpDetails {
  url: string;
  host: string;
  port: number;
  vhost: string;
  username: string;
  password: string;
}

/** Body of `POST /api/sessions`: empty, a topology, or a RabbitMQ definitions file. */
export interface CreateSessionRequest {
  topology?: Topology;
  definitions?: Definitions;
  /** With a full definitions export: which vhost to take. */
  vhost?: string;
}

export interface SessionSummary {
  id: string;
  vhost: string;
  createdAt: string;
  topology: Topology;
}

export interface CreateSessionResponse extends SessionSummary {
  editToken: string;
  amqp: AmqpDetails;
  /** Parts of imported definitions that the diagram cannot hold. */
  notImported?: string[];
  /** Broker refusals met while materializing the initial topology. */
  nodeErrors?: NodeError[];
}

/** A broker refusal that belongs to one node or edge of the diagram. */
export interface NodeError {
  nodeId: string;
  path: string;
  code: ErrorCode;
  message: string;
  /** The broker's own words, e.g. `PRECONDITION_FAILED - inequivalent arg 'durable' ...`. */
  brokerMessage?: string;
}

export interface ApplyTopologyResponse {
  topology: Topology;
  nodeErrors: NodeError[];
  changes: { declared: string[]; deleted: string[] };
}

export interface PublishRequest {
  exchange: string;
  routingKey?: string;
  payload?: string;
  headers?: Record<string, string | number | boolean | null>;
  mandatory?: boolean;
  /** The producer node this publish belongs to, for the animation. */
  producerId?: string;
  messageId?: string;
}

export interface PublishResponse {
  messageId: string;
  exchange: string;
  routingKey: string;
  /** Queues the broker routed the message to, as its firehose reported. */
  routedQueues: string[];
  /** Present when the message came back as `basic.return` (mandatory and unroutable). */
  returned?: { replyCode: number; replyText: string };
  confirmed: boolean;
}

export interface QueueState {
  name: string;
  /** Messages ready for delivery. */
  messages: number;
  consumers: number;
  /** Delivered but not yet acknowledged, from the management API when it answers. */
  unacked?: number;
}

export interface QueuesResponse {
  queues: QueueState[];
}

export interface BrokerStatus {
  amqp: boolean;
  management: boolean;
  message?: string;
  hint?: string;
}

export interface HealthResponse {
  status: 'ok' | 'degraded';
  amqp: { reachable: boolean; url: string; error?: string };
  management: { reachable: boolean; url: string; error?: string };
  hint?: string;
}
