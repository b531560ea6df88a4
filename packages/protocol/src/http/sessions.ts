import { Type } from 'typebox';
import { CounterSnapshotSchema } from '@warren/topology';
import { ErrorCodeSchema } from '../errors';
import { BrokerNamesSchema, DefinitionsFileSchema, TopologyDocumentSchema } from './common';
import { DiagramRefSchema } from './diagrams';

/** What an outside client (pika, amqplib, Spring) needs to connect to a session's vhost. */
export const AmqpDetailsSchema = Type.Object({
  url: Type.String(),
  host: Type.String(),
  port: Type.Integer(),
  vhost: Type.String(),
  username: Type.String(),
  password: Type.String(),
});
export type AmqpDetails = Type.Static<typeof AmqpDetailsSchema>;

/** Body of `POST /api/sessions`: empty, a topology, or a RabbitMQ definitions file. */
export const CreateSessionRequestSchema = Type.Object(
  {
    topology: Type.Optional(TopologyDocumentSchema),
    definitions: Type.Optional(DefinitionsFileSchema),
    vhost: Type.Optional(
      Type.String({ description: 'With a full definitions export: the vhost to import.' }),
    ),
    /** Run a saved diagram: its latest revision, or `revision`. */
    diagramId: Type.Optional(Type.String({ maxLength: 64 })),
    revision: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Run a lesson's diagram and follow its steps (see `GET /api/sessions/:id/lesson`). */
    lessonId: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type CreateSessionRequest = Type.Static<typeof CreateSessionRequestSchema>;

export const SessionSummarySchema = Type.Object({
  id: Type.String(),
  vhost: Type.String(),
  createdAt: Type.String({ description: 'ISO 8601.' }),
  topology: TopologyDocumentSchema,
  brokerNames: Type.Optional(BrokerNamesSchema),
  /** The saved diagram and revision the session was started from; its canvas saves back to it. */
  diagram: Type.Optional(DiagramRefSchema),
  /** The lesson the session runs, when it was started from one. */
  lessonId: Type.Optional(Type.String()),
});
export type SessionSummary = Type.Static<typeof SessionSummarySchema>;

/** A broker refusal that belongs to one node or edge of the diagram. */
export const NodeErrorSchema = Type.Object({
  nodeId: Type.String(),
  path: Type.String(),
  code: ErrorCodeSchema,
  message: Type.String(),
  /** The broker's own words, e.g. `PRECONDITION_FAILED - inequivalent arg 'durable' ...`. */
  brokerMessage: Type.Optional(Type.String()),
});
export type NodeError = Type.Static<typeof NodeErrorSchema>;

export const CreateSessionResponseSchema = Type.Interface([SessionSummarySchema], {
  editToken: Type.String(),
  amqp: AmqpDetailsSchema,
  /** Parts of imported definitions that the diagram cannot hold. */
  notImported: Type.Optional(Type.Array(Type.String())),
  /** Broker refusals met while materializing the initial topology. */
  nodeErrors: Type.Optional(Type.Array(NodeErrorSchema)),
});
export type CreateSessionResponse = Type.Static<typeof CreateSessionResponseSchema>;

/** Query of `PUT /api/sessions/:id/topology`. */
export const ApplyTopologyQuerySchema = Type.Object({
  recreate: Type.Optional(Type.Boolean()),
  /**
   * The seq of the last event the sender had taken in: objects declared outside Warren
   * after it are kept even though the document lacks them.
   */
  seenSeq: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type ApplyTopologyQuery = Type.Static<typeof ApplyTopologyQuerySchema>;

export const ApplyTopologyResponseSchema = Type.Object({
  topology: TopologyDocumentSchema,
  nodeErrors: Type.Array(NodeErrorSchema),
  changes: Type.Object({ declared: Type.Array(Type.String()), deleted: Type.Array(Type.String()) }),
  brokerNames: Type.Optional(BrokerNamesSchema),
});
export type ApplyTopologyResponse = Type.Static<typeof ApplyTopologyResponseSchema>;

export const QueueStateSchema = Type.Object({
  /** The queue's name in the diagram (the label of a server-named queue). */
  name: Type.String(),
  /** The name the broker gave a server-named queue (`amq.gen-…`); absent for named queues. */
  brokerName: Type.Optional(Type.String()),
  /** Messages ready for delivery. */
  messages: Type.Number(),
  consumers: Type.Number(),
  /** Delivered but not yet acknowledged, from the management API when it answers. */
  unacked: Type.Optional(Type.Number()),
  /**
   * Messages per second into the queue, delivered from it (deliver + get) and acknowledged, as
   * the management API averages them (it refreshes them every 5 s).
   */
  publishRate: Type.Optional(Type.Number()),
  deliverRate: Type.Optional(Type.Number()),
  ackRate: Type.Optional(Type.Number()),
});
export type QueueState = Type.Static<typeof QueueStateSchema>;

export const QueuesResponseSchema = Type.Object({ queues: Type.Array(QueueStateSchema) });
export type QueuesResponse = Type.Static<typeof QueuesResponseSchema>;

/** Reply of `GET /api/sessions/:id/counters` and of `.../counters/reset`. */
export const CountersResponseSchema = CounterSnapshotSchema;

/** A small program that publishes to the session and reads the message back. */
export const ConnectSnippetSchema = Type.Object({
  language: Type.Enum(['pika', 'amqplib', 'spring', 'go', 'dotnet']),
  title: Type.String(),
  filename: Type.String(),
  run: Type.String({ description: 'How to install and run it.' }),
  code: Type.String(),
});

/** Reply of `GET /api/sessions/:id/connect`: the session's AMQP URL and ready-to-run clients. */
export const ConnectResponseSchema = Type.Object({
  amqp: AmqpDetailsSchema,
  snippets: Type.Array(ConnectSnippetSchema),
});
export type ConnectResponse = Type.Static<typeof ConnectResponseSchema>;
