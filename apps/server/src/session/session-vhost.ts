import type { ManagementClient } from '../broker/management';

/**
 * The description of a session's vhost. Its "created" stamp keeps other servers' orphan sweeps
 * off a vhost that is still being set up (see SessionRegistry.reclaimOrphans).
 */
export function sessionVhostDescription(id: string, createdAt: Date): string {
  return `warren session ${id}, created ${createdAt.toISOString()}`;
}

/** What one session may take of the broker, so that no session can raise its alarms. */
export interface SessionVhostLimits {
  /** Bytes all of the session's queues may hold together. */
  queuedBytes: number;
}

/** Connections and queues of a session's vhost (AMQP and outside clients together). */
export const SESSION_MAX_CONNECTIONS = 64;
export const SESSION_MAX_QUEUES = 500;
/** Channels the session's own broker user (outside clients' programs) may open in all. */
export const SESSION_USER_MAX_CHANNELS = 512;
/** The operator policy that caps each queue's bytes: queuedBytes shared by SESSION_MAX_QUEUES. */
export const QUEUED_BYTES_POLICY = 'warren-session-queued-bytes';

/**
 * Limits a session's vhost and user: connections, queues, channels, and an operator policy
 * giving every queue its share of `queuedBytes` (the broker has no vhost-wide byte limit).
 */
export async function limitSessionVhost(
  management: ManagementClient,
  vhost: string,
  user: string,
  limits: SessionVhostLimits,
): Promise<void> {
  await management.setVhostLimit(vhost, 'max-connections', SESSION_MAX_CONNECTIONS);
  await management.setVhostLimit(vhost, 'max-queues', SESSION_MAX_QUEUES);
  await management.setUserLimit(user, 'max-channels', SESSION_USER_MAX_CHANNELS);
  await management.putOperatorPolicy(vhost, {
    name: QUEUED_BYTES_POLICY,
    pattern: '.*',
    'apply-to': 'queues',
    priority: 0,
    definition: {
      'max-length-bytes': Math.max(1024, Math.floor(limits.queuedBytes / SESSION_MAX_QUEUES)),
    },
  });
}

/**
 * Before every connect: a vhost the broker lost (a reset, a restart without its data) is
 * created again, with Warren's and the session user's permissions.
 */
export async function ensureSessionVhost(
  management: ManagementClient,
  session: { id: string; vhost: string; user: string },
  ownUser: string,
  log: { warn: (obj: object, msg: string) => void },
  limits?: SessionVhostLimits,
): Promise<void> {
  const vhosts = await management.listVhosts();
  if (vhosts.some((v) => v.name === session.vhost)) return;
  log.warn({ session: session.id }, 'session vhost vanished from the broker; recreating it');
  await management.createVhost(session.vhost, sessionVhostDescription(session.id, new Date()));
  await management.grantAll(session.vhost, ownUser);
  await management.grantAll(session.vhost, session.user).catch(() => {});
  if (limits) await limitSessionVhost(management, session.vhost, session.user, limits);
}
