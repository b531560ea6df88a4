import { Type } from 'typebox';
import { SessionParamsSchema } from './common';

/** Params of `/api/sessions/:id/queues/:queue/...`. */
export const QueueParamsSchema = Type.Interface([SessionParamsSchema], {
  queue: Type.String({ maxLength: 255, description: 'The queue as the diagram names it.' }),
});

/** Reply of `POST /api/sessions/:id/queues/:queue/purge`. */
export const PurgeQueueResponseSchema = Type.Object({
  queue: Type.String(),
  /** Ready messages the broker removed (unacked ones stay with their consumers). */
  purged: Type.Integer(),
});
export type PurgeQueueResponse = Type.Static<typeof PurgeQueueResponseSchema>;

/** Body of `POST /api/sessions/:id/faults/close-connection`: exactly one of the two. */
export const CloseConnectionRequestSchema = Type.Union([
  Type.Object(
    { producerId: Type.String({ minLength: 1, maxLength: 200 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { consumerId: Type.String({ minLength: 1, maxLength: 200 }) },
    { additionalProperties: false },
  ),
]);
export type CloseConnectionRequest = Type.Static<typeof CloseConnectionRequestSchema>;

export const CloseConnectionResponseSchema = Type.Object({
  /** False when the node had no connection open. */
  closed: Type.Boolean(),
  producerId: Type.Optional(Type.String()),
  consumerId: Type.Optional(Type.String()),
});
export type CloseConnectionResponse = Type.Static<typeof CloseConnectionResponseSchema>;

const BrokerObjectKind = Type.Union([Type.Literal('exchange'), Type.Literal('queue')]);

/** Body of `POST /api/sessions/:id/faults/delete`. */
export const DeleteOnBrokerRequestSchema = Type.Object(
  { kind: BrokerObjectKind, name: Type.String({ minLength: 1, maxLength: 255 }) },
  { additionalProperties: false },
);
export type DeleteOnBrokerRequest = Type.Static<typeof DeleteOnBrokerRequestSchema>;

export const DeleteOnBrokerResponseSchema = Type.Object({
  kind: BrokerObjectKind,
  name: Type.String(),
  deleted: Type.Literal(true),
  /** For a queue: the messages it held, lost with it. */
  messages: Type.Optional(Type.Integer()),
});
export type DeleteOnBrokerResponse = Type.Static<typeof DeleteOnBrokerResponseSchema>;
