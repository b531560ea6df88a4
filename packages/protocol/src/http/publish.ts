import { Type } from 'typebox';
import { HeadersSchema } from './common';

/** Body of `POST /api/sessions/:id/publish`. */
export const PublishRequestSchema = Type.Object(
  {
    exchange: Type.String({
      maxLength: 255,
      description: "Exchange name; '' is the default exchange.",
    }),
    routingKey: Type.Optional(Type.String({ maxLength: 255 })),
    payload: Type.Optional(Type.String()),
    headers: Type.Optional(HeadersSchema),
    mandatory: Type.Optional(Type.Boolean()),
    /** The producer node this publish belongs to, for the animation. */
    producerId: Type.Optional(Type.String({ maxLength: 200 })),
    messageId: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  },
  { additionalProperties: false },
);
export type PublishRequest = Type.Static<typeof PublishRequestSchema>;

/** A publish that came back as `basic.return` (mandatory and unroutable). */
export const ReturnedSchema = Type.Object({ replyCode: Type.Number(), replyText: Type.String() });

export const PublishResponseSchema = Type.Object({
  messageId: Type.String(),
  exchange: Type.String(),
  routingKey: Type.String(),
  /** Queues the broker routed the message to, as its firehose reported. */
  routedQueues: Type.Array(Type.String()),
  /** Present when the message came back as `basic.return` (mandatory and unroutable). */
  returned: Type.Optional(ReturnedSchema),
  /** The broker confirmed (or committed) the message. */
  confirmed: Type.Boolean(),
  /** The broker refused the message with a basic.nack (e.g. a full reject-publish queue). */
  nacked: Type.Optional(Type.Boolean()),
});
export type PublishResponse = Type.Static<typeof PublishResponseSchema>;
