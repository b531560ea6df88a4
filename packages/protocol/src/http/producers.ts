import { Type } from 'typebox';
import { OutboxCountsSchema, OutboxStatusSchema } from '@warren/topology';
import { SessionParamsSchema } from './common';
import { PublishResponseSchema } from './publish';

/** Params of `/api/sessions/:id/producers/:producerId/...`. */
export const ProducerParamsSchema = Type.Interface([SessionParamsSchema], {
  producerId: Type.String({ maxLength: 200 }),
});

/** What a producer run by Warren is doing: idle, sending continuously, or stopped by an error. */
export const ProducerStatusSchema = Type.Enum(['idle', 'running', 'error']);
export type ProducerStatus = Type.Static<typeof ProducerStatusSchema>;

export { OutboxCountsSchema, type OutboxCounts } from '@warren/topology';

/** State and exact counters of a producer run by Warren (`GET /api/sessions/:id/producers`). */
export const ProducerStateSchema = Type.Object({
  producerId: Type.String(),
  status: ProducerStatusSchema,
  running: Type.Boolean(),
  sent: Type.Integer({ description: 'basic.publish calls made, re-sends included.' }),
  confirmed: Type.Integer({ description: 'Confirmed (or committed) by the broker.' }),
  nacked: Type.Integer(),
  returned: Type.Integer({ description: 'Came back as basic.return (mandatory, unroutable).' }),
  /** The producer's own connection to the broker is open. */
  connected: Type.Boolean(),
  /** How the producer publishes: publisher confirms, transactions, or neither. */
  mode: Type.Enum(['confirms', 'transactions', 'plain']),
  ratePerSecond: Type.Optional(Type.Number()),
  outbox: Type.Optional(OutboxCountsSchema),
  /** Why the producer stopped or the last publish failed, in words a learner understands. */
  error: Type.Optional(Type.String()),
});
export type ProducerState = Type.Static<typeof ProducerStateSchema>;

/** A producer's own counters, which go on across a restart of the server. */
export type ProducerTally = Pick<ProducerState, 'sent' | 'confirmed' | 'nacked' | 'returned'>;

/**
 * What a producer-state event reports of a producer: its running state and exact counters
 * (no connection or mode; `status` may be left out).
 */
export const ProducerStateReportSchema = Type.Interface(
  [
    Type.Pick(ProducerStateSchema, [
      'producerId',
      'running',
      'sent',
      'confirmed',
      'nacked',
      'returned',
      'outbox',
      'error',
    ]),
  ],
  { status: Type.Optional(ProducerStatusSchema) },
);
export type ProducerStateReport = Type.Static<typeof ProducerStateReportSchema>;

export const ProducersResponseSchema = Type.Object({
  producers: Type.Array(ProducerStateSchema),
});
export type ProducersResponse = Type.Static<typeof ProducersResponseSchema>;

export const ProducerStateResponseSchema = Type.Object({ producer: ProducerStateSchema });
export type ProducerStateResponse = Type.Static<typeof ProducerStateResponseSchema>;

/** Most messages one `.../send` may ask for. */
export const MAX_SEND_COUNT = 1000;

/** Body of `POST /api/sessions/:id/producers/:producerId/send`. */
export const ProducerSendRequestSchema = Type.Object(
  {
    count: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_SEND_COUNT,
        description: 'How many messages to send with the producer’s settings (default 1).',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ProducerSendRequest = Type.Static<typeof ProducerSendRequestSchema>;

/** What became of one message sent by `.../send`. */
export const ProducerSendResultSchema = Type.Interface([PublishResponseSchema], {
  /** The publish did not reach the broker, or its channel closed before a confirm. */
  error: Type.Optional(Type.String()),
});
export type ProducerSendResult = Type.Static<typeof ProducerSendResultSchema>;

export const ProducerSendResponseSchema = Type.Object({
  producerId: Type.String(),
  results: Type.Array(ProducerSendResultSchema),
  producer: ProducerStateSchema,
});
export type ProducerSendResponse = Type.Static<typeof ProducerSendResponseSchema>;

/** One row of a reliable producer's outbox table. */
export const ProducerOutboxEntrySchema = Type.Object({
  messageId: Type.String(),
  status: OutboxStatusSchema,
  /** Sends so far, the first one included. */
  attempts: Type.Integer(),
  lastError: Type.Optional(Type.String()),
  updatedAt: Type.String({ description: 'ISO 8601 time of the last change.' }),
});
export type ProducerOutboxEntry = Type.Static<typeof ProducerOutboxEntrySchema>;

/** `GET /api/sessions/:id/producers/:producerId/outbox`: the newest entries, oldest first. */
export const ProducerOutboxResponseSchema = Type.Object({
  producerId: Type.String(),
  /** False when the producer has no outbox (not a reliable producer). */
  reliable: Type.Boolean(),
  counts: OutboxCountsSchema,
  entries: Type.Array(ProducerOutboxEntrySchema),
});
export type ProducerOutboxResponse = Type.Static<typeof ProducerOutboxResponseSchema>;
