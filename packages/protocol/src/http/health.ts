import { Type } from 'typebox';

/**
 * A resource alarm of the broker: while one is on, RabbitMQ blocks every connection that
 * publishes (connection.blocked) until the resource is back under its limit.
 */
export const BrokerAlarmSchema = Type.Enum(['memory', 'disk']);
export type BrokerAlarm = Type.Static<typeof BrokerAlarmSchema>;

/** What the broker's resource alarms mean for a user, in one sentence. */
export function alarmSentence(alarms: readonly BrokerAlarm[]): string {
  if (alarms.length === 0) return 'No resource alarm of RabbitMQ is on.';
  const both = alarms.length > 1;
  const which = both ? 'memory and disk alarms are' : `${alarms[0]} alarm is`;
  const until = both
    ? 'memory use and free disk space are'
    : alarms[0] === 'memory'
      ? 'memory use is'
      : 'free disk space is';
  return `RabbitMQ's ${which} on: it blocks every connection that publishes until ${until} back within its limit. Messages already queued are still delivered.`;
}

/** Whether a session's own connection and the management API are up, as its viewers see it. */
export const BrokerStatusSchema = Type.Object({
  amqp: Type.Boolean(),
  management: Type.Boolean(),
  message: Type.Optional(Type.String()),
  hint: Type.Optional(Type.String()),
  /** The broker's resource alarms that are on; absent or empty when none is. */
  alarms: Type.Optional(Type.Array(BrokerAlarmSchema)),
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
  /** The broker's resource alarms that are on (memory, disk): publishers are blocked meanwhile. */
  alarms: Type.Optional(Type.Array(BrokerAlarmSchema)),
  hint: Type.Optional(Type.String()),
});
export type HealthResponse = Type.Static<typeof HealthResponseSchema>;
