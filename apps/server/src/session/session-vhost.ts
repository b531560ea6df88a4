import type { ManagementClient } from '../broker/management';

/**
 * The description of a session's vhost. Its "created" stamp keeps other servers' orphan sweeps
 * off a vhost that is still being set up (see SessionRegistry.reclaimOrphans).
 */
export function sessionVhostDescription(id: string, createdAt: Date): string {
  return `warren session ${id}, created ${createdAt.toISOString()}`;
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
): Promise<void> {
  const vhosts = await management.listVhosts();
  if (vhosts.some((v) => v.name === session.vhost)) return;
  log.warn({ session: session.id }, 'session vhost vanished from the broker; recreating it');
  await management.createVhost(session.vhost, sessionVhostDescription(session.id, new Date()));
  await management.grantAll(session.vhost, ownUser);
  await management.grantAll(session.vhost, session.user).catch(() => {});
}
