import type {
  CodeFormat,
  CodegenOptions,
  Definitions,
  Explanation,
  ExplainMessage,
  GeneratedCode,
  Topology,
} from '@warren/topology';
import type { ErrorCode } from './errors';
import type { OutsideClient } from './events';

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
  /** Label → the broker's `amq.gen-…` name, for the diagram's server-named queues. */
  brokerNames?: Record<string, string>;
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
  /** Label → the broker's `amq.gen-…` name, for the diagram's server-named queues. */
  brokerNames?: Record<string, string>;
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
  /** The broker refused the message with a basic.nack (e.g. a full reject-publish queue). */
  nacked?: boolean;
}

export interface QueueState {
  /** The queue's name in the diagram (the label of a server-named queue). */
  name: string;
  /** The name the broker gave a server-named queue (`amq.gen-…`); absent for named queues. */
  brokerName?: string;
  /** Messages ready for delivery. */
  messages: number;
  consumers: number;
  /** Delivered but not yet acknowledged, from the management API when it answers. */
  unacked?: number;
  /**
   * Messages per second into the queue, delivered from it (deliver + get) and acknowledged, as
   * the management API averages them (it refreshes them every 5 s).
   */
  publishRate?: number;
  deliverRate?: number;
  ackRate?: number;
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

/** Body of `POST /api/explain`: a message and exactly one source of the topology. */
export interface ExplainRequest {
  message: ExplainMessage;
  topology?: Topology;
  definitions?: Definitions;
  /** With a full definitions export: the vhost to explain. */
  vhost?: string;
  /** Explain against the session's current topology. */
  sessionId?: string;
}

export type ExplainResponse = Explanation;

/** Body of `POST /api/definitions/import`. */
export interface ImportDefinitionsRequest {
  definitions: Definitions;
  /** With a full export: which vhost to take. */
  vhost?: string;
}

export interface ImportDefinitionsResponse {
  topology: Topology;
  /** The vhost the objects came from; null when the file names none (a one-vhost export). */
  vhost: string | null;
  /** Parts of the file that the diagram cannot hold, one sentence each. */
  notImported: string[];
}

/** Body of `POST /api/definitions/export`; the reply is the definitions file itself. */
export interface ExportDefinitionsRequest {
  topology: Topology;
  /** Tag every object with this vhost, as a full export does. */
  vhost?: string;
}

/**
 * Response header of the definitions exports: what the file could not hold, as
 * `encodeURIComponent(JSON.stringify(sentences))`.
 */
export const NOT_EXPORTED_HEADER = 'warren-not-exported';

/** Body of `POST /api/code`. */
export interface GenerateCodeRequest {
  topology: Topology;
  format: CodeFormat;
  options?: CodegenOptions;
}

export type GenerateCodeResponse = GeneratedCode;

/** What a consumer run by Warren is doing (`error`: it could not consume; `error` says why). */
export type ConsumerStatus = 'running' | 'paused' | 'stopped' | 'killed' | 'error';

/**
 * A consumer run by Warren, with exact counters. Every delivery it received is counted once in
 * `received` and ends in acked, rejected, requeued or inFlight, unless its connection closed
 * with the message unsettled (the broker then gives the message back to the queue itself).
 */
export interface ConsumerState {
  consumerId: string;
  name: string;
  /** The queue it reads from, as the diagram names it. */
  queue: string;
  status: ConsumerStatus;
  /** Deliveries received, redeliveries included. */
  received: number;
  /** Settled with basic.ack (or acknowledged on delivery with auto-ack). */
  acked: number;
  /** Settled with basic.nack, whether requeued or not. */
  nacked: number;
  /** Refused without requeue (basic.reject): dead-lettered if the queue has a DLX, else dropped. */
  rejected: number;
  /** Given back to the queue (basic.nack with requeue). */
  requeued: number;
  /** Messages an idempotent consumer skipped because it had processed their message id. */
  duplicates: number;
  /** RPC replies published to `reply_to`. */
  replied: number;
  /** Delivered and not yet settled (the broker's unacked count for this consumer). */
  inFlight: number;
  /** Why the consumer is not consuming, when `status` is `error`. */
  error?: string;
}

export interface ConsumersResponse {
  consumers: ConsumerState[];
}

/** Reply of `POST /api/sessions/:id/consumers/:consumerId/{start,pause,resume,kill}`. */
export type ConsumerActionResponse = ConsumerState;

/** What a producer run by Warren is doing: idle, sending continuously, or stopped by an error. */
export type ProducerStatus = 'idle' | 'running' | 'error';

/** Counts of a reliable producer's outbox by status. */
export interface OutboxCounts {
  sending: number;
  confirmed: number;
  failed: number;
}

/** State and exact counters of a producer run by Warren (`GET /api/sessions/:id/producers`). */
export interface ProducerState {
  producerId: string;
  status: ProducerStatus;
  running: boolean;
  /** basic.publish calls made, re-sends of a reliable producer included. */
  sent: number;
  /** Publishes the broker confirmed (or committed, with transactions). */
  confirmed: number;
  nacked: number;
  /** Publishes that came back as basic.return (mandatory and unroutable). */
  returned: number;
  /** The producer's own connection to the broker is open. */
  connected: boolean;
  /** How the producer publishes: publisher confirms, transactions, or neither. */
  mode: 'confirms' | 'transactions' | 'plain';
  ratePerSecond?: number;
  outbox?: OutboxCounts;
  /** Why the producer stopped or the last publish failed, in words a learner understands. */
  error?: string;
}

export interface ProducersResponse {
  producers: ProducerState[];
}

export interface ProducerStateResponse {
  producer: ProducerState;
}

/** Body of `POST /api/sessions/:id/producers/:producerId/send`. */
export interface ProducerSendRequest {
  /** How many messages to send with the producer's settings; default 1. */
  count?: number;
}

/** What became of one message sent by `.../send`. */
export interface ProducerSendResult {
  messageId: string;
  exchange: string;
  routingKey: string;
  /** Queues the broker routed the message to, as its firehose reported. */
  routedQueues: string[];
  returned?: { replyCode: number; replyText: string };
  /** The broker confirmed (or committed) the message. */
  confirmed: boolean;
  /** The broker refused the message with basic.nack (e.g. a full reject-publish queue). */
  nacked?: boolean;
  /** The publish did not reach the broker, or its channel closed before a confirm. */
  error?: string;
}

export interface ProducerSendResponse {
  producerId: string;
  results: ProducerSendResult[];
  producer: ProducerState;
}

/** One row of a reliable producer's outbox table. */
export interface ProducerOutboxEntry {
  messageId: string;
  status: 'sending' | 'confirmed' | 'failed';
  /** Sends so far, the first one included. */
  attempts: number;
  lastError?: string;
  /** ISO 8601 time of the last change. */
  updatedAt: string;
}

/** `GET /api/sessions/:id/producers/:producerId/outbox`: the newest entries, oldest first. */
export interface ProducerOutboxResponse {
  producerId: string;
  /** False when the producer has no outbox (not a reliable producer). */
  reliable: boolean;
  counts: OutboxCounts;
  entries: ProducerOutboxEntry[];
}

/** Reply of `POST /api/sessions/:id/queues/:queue/purge`. */
export interface PurgeQueueResponse {
  queue: string;
  /** Ready messages the broker removed (unacked ones stay with their consumers). */
  purged: number;
}

/** Body of `POST /api/sessions/:id/faults/close-connection`: exactly one of the two. */
export type CloseConnectionRequest = { producerId: string } | { consumerId: string };

export interface CloseConnectionResponse {
  /** False when the node had no connection open. */
  closed: boolean;
  producerId?: string;
  consumerId?: string;
}

/** Body of `POST /api/sessions/:id/faults/delete`. */
export interface DeleteOnBrokerRequest {
  kind: 'exchange' | 'queue';
  name: string;
}

export interface DeleteOnBrokerResponse {
  kind: 'exchange' | 'queue';
  name: string;
  deleted: true;
  /** For a queue: the messages it held, lost with it. */
  messages?: number;
}

/** An object an outside client declared or deleted (or a fault deleted), as last reported. */
export interface OutsideObjectChange {
  kind: 'exchange' | 'queue' | 'binding' | 'policy';
  name: string;
  change: 'created' | 'deleted';
  source: 'event-exchange' | 'polling' | 'fault';
}

/** Reply of `GET /api/sessions/:id/outside`. */
export interface OutsideResponse {
  clients: OutsideClient[];
  objects: OutsideObjectChange[];
  /** `kind:name` of the session topology's objects declared outside Warren. */
  outsideNames: string[];
}
