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
