import { Type } from 'typebox';
import { SessionParamsSchema } from './common';

/** Params of `/api/sessions/:id/consumers/:consumerId/...`. */
export const ConsumerParamsSchema = Type.Interface([SessionParamsSchema], {
  consumerId: Type.String({ maxLength: 200 }),
});

/** What a consumer run by Warren is doing (`error`: it could not consume; `error` says why). */
export const ConsumerStatusSchema = Type.Union([
  Type.Literal('running'),
  Type.Literal('paused'),
  Type.Literal('stopped'),
  Type.Literal('killed'),
  Type.Literal('error'),
]);
export type ConsumerStatus = Type.Static<typeof ConsumerStatusSchema>;

/**
 * A consumer run by Warren, with exact counters. Every delivery it received is counted once in
 * `received` and ends in acked, rejected, requeued or inFlight, unless its connection closed
 * with the message unsettled (the broker then gives the message back to the queue itself).
 */
export const ConsumerStateSchema = Type.Object(
  {
    consumerId: Type.String(),
    name: Type.String(),
    /** The queue it reads from, as the diagram names it. */
    queue: Type.String(),
    status: ConsumerStatusSchema,
    /** Deliveries received, redeliveries included. */
    received: Type.Integer(),
    /** Settled with basic.ack (or acknowledged on delivery with auto-ack). */
    acked: Type.Integer(),
    /** Settled with basic.nack, whether requeued or not. */
    nacked: Type.Integer(),
    /** Refused without requeue (basic.reject): dead-lettered if the queue has a DLX, else dropped. */
    rejected: Type.Integer(),
    /** Given back to the queue (basic.nack with requeue). */
    requeued: Type.Integer(),
    /** Messages an idempotent consumer skipped because it had processed their message id. */
    duplicates: Type.Integer(),
    /** RPC replies published to `reply_to`. */
    replied: Type.Integer(),
    /** Delivered and not yet settled (the broker's unacked count for this consumer). */
    inFlight: Type.Integer(),
    /** Why the consumer is not consuming, when `status` is `error`. */
    error: Type.Optional(Type.String()),
  },
  { description: 'A consumer run by Warren and its exact counters.' },
);
export type ConsumerState = Type.Static<typeof ConsumerStateSchema>;

/** A consumer's own counters that go on across a restart of the server (in flight does not). */
export type ConsumerTally = Pick<
  ConsumerState,
  'received' | 'acked' | 'nacked' | 'rejected' | 'requeued' | 'duplicates' | 'replied'
>;

/** What a consumer-state event reports of a consumer: all but its name and queue. */
export const ConsumerStateReportSchema = Type.Omit(ConsumerStateSchema, ['name', 'queue']);
export type ConsumerStateReport = Type.Static<typeof ConsumerStateReportSchema>;

export const ConsumersResponseSchema = Type.Object({
  consumers: Type.Array(ConsumerStateSchema),
});
export type ConsumersResponse = Type.Static<typeof ConsumersResponseSchema>;

/** Reply of `POST /api/sessions/:id/consumers/:consumerId/{start,pause,resume,kill}`. */
export const ConsumerActionResponseSchema = ConsumerStateSchema;
export type ConsumerActionResponse = ConsumerState;
