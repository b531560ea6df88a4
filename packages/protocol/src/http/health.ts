import { Type } from 'typebox';

/** Whether a session's own connection and the management API are up, as its viewers see it. */
export const BrokerStatusSchema = Type.Object({
  amqp: Type.Boolean(),
  management: Type.Boolean(),
  message: Type.Optional(Type.String()),
  hint: Type.Optional(Type.String()),
});
export type BrokerStatus = Type.Static<typeof BrokerStatusSchema>;

const Reachability = Type.Object({
  reachable: Type.Boolean(),
  url: Type.String(),
  error: Type.Optional(Type.String()),
});

/** Reply of `GET /api/health`. */
export const HealthResponseSchema = Type.Object({
  status: Type.Enum(['ok', 'degraded']),
  amqp: Reachability,
  management: Reachability,
  /**
   * Whether this Warren's operator allows lessons to restart the broker (WARREN_BROKER_RESTART):
   * where false, a lesson's restart step cannot be run here.
   */
  brokerRestart: Type.Boolean(),
  hint: Type.Optional(Type.String()),
});
export type HealthResponse = Type.Static<typeof HealthResponseSchema>;
