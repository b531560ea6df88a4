import { randomBytes } from 'node:crypto';
import type { Topology } from '@warren/topology';
import type { AmqpDetails, NodeError } from '@warren/protocol';
import type { Config } from '../config';
import type { BrokerMonitor } from '../broker/broker-monitor';
import type { ManagementClient } from '../broker/management';
import { WarrenError } from '../errors/warren-error';
import { Session, type SessionDeps } from './session';
import { sessionVhostDescription } from './session-vhost';

const SWEEP_MS = 60_000;
const RECLAIM_GRACE_MS = 120_000;
/** At shutdown, how long a session may take to close before its vhost is deleted under it. */
const SHUTDOWN_CLOSE_MS = 2000;
const VHOST_LIMITS = { 'max-connections': 64, 'max-queues': 1000 } as const;

export class BrokerUnavailableError extends WarrenError {
  constructor(readonly hint: string | undefined) {
    super('BROKER_UNAVAILABLE', undefined, hint ? { hint } : {});
    this.name = 'BrokerUnavailableError';
  }
}

/**
 * The running sessions of this server. Each gets its own vhost (tracing on) and its own broker
 * user for outside clients; idle ones are torn down, and orphans of earlier runs reclaimed.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private reclaimed = false;
  private readonly removedListeners = new Set<(id: string) => void>();

  constructor(
    private readonly config: Config,
    private readonly management: ManagementClient,
    private readonly monitor: BrokerMonitor,
    private readonly log: SessionDeps['log'],
  ) {}

  start(): void {
    this.sweepTimer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.sweepTimer.unref();
    const reclaimOnce = () => {
      if (this.reclaimed || !this.monitor.managementOk) return;
      this.reclaimed = true;
      void this.reclaimOrphans().catch((error: unknown) => {
        this.reclaimed = false;
        this.log.warn({ err: error }, 'reclaiming orphaned session vhosts failed');
      });
    };
    this.monitor.onChange(reclaimOnce);
    reclaimOnce();
  }

  /** Called with a session's id once it has been removed (deleted, idle or at shutdown). */
  onRemoved(listener: (id: string) => void): () => void {
    this.removedListeners.add(listener);
    return () => this.removedListeners.delete(listener);
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** Every running session of this server. */
  all(): Session[] {
    return [...this.sessions.values()];
  }

  get size(): number {
    return this.sessions.size;
  }

  amqpDetails(session: Session): AmqpDetails {
    const { user, password, vhost } = session.identity;
    const host = this.config.publicAmqpHost;
    const port = this.config.amqpPort;
    return {
      url: `amqp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${encodeURIComponent(vhost)}`,
      host,
      port,
      vhost,
      username: user,
      password,
    };
  }

  async create(
    topology: Topology | undefined,
    diagram?: { id: string; revision: number },
  ): Promise<{ session: Session; nodeErrors: NodeError[] }> {
    if (!this.monitor.amqpReachable || !(await this.monitor.probeManagement())) {
      throw new BrokerUnavailableError(this.monitor.health().hint);
    }
    const id = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').toLowerCase();
    const vhost = `${this.config.vhostPrefix}${id}`;
    const identity = {
      id,
      vhost,
      editToken: randomBytes(24).toString('base64url'),
      user: vhost,
      password: randomBytes(18).toString('base64url'),
      createdAt: new Date(),
      ...(diagram ? { diagram } : {}),
    };
    const m = this.management;
    await m.createVhost(vhost, sessionVhostDescription(id, identity.createdAt));
    try {
      await m.grantAll(vhost, this.config.managementUser);
      // policymaker: the management API scripts Warren exports (curl, rabbitmqadmin, terraform)
      // must work with these credentials, policies included; permissions keep them in this vhost.
      await m.createUser(identity.user, identity.password, 'policymaker');
      await m.grantAll(vhost, identity.user);
      for (const [limit, value] of Object.entries(VHOST_LIMITS)) {
        await m.setVhostLimit(vhost, limit as keyof typeof VHOST_LIMITS, value);
      }
    } catch (error) {
      await this.removeFromBroker(vhost, identity.user);
      throw error;
    }
    const session = new Session(identity, {
      management: m,
      amqpUrl: this.config.amqpUrl,
      ownUser: this.config.managementUser,
      statsIntervalMs: this.config.statsIntervalMs,
      log: this.log,
    });
    this.sessions.set(id, session);
    if (!(await session.start())) {
      await this.remove(id);
      throw new BrokerUnavailableError(this.monitor.health().hint);
    }
    let nodeErrors: NodeError[] = [];
    if (topology) nodeErrors = (await session.apply(topology)).nodeErrors;
    this.log.info({ session: id, vhost }, 'session created');
    return { session, nodeErrors };
  }

  /**
   * Closes a session and deletes its vhost and user. With `closeWithinMs`, a session that takes
   * longer to close (a consumer still reconnecting, say) has its vhost deleted anyway, which
   * ends whatever connections it still has.
   */
  async remove(id: string, options: { closeWithinMs?: number } = {}): Promise<boolean> {
    const session = this.sessions.get(id);
    if (!session) return false;
    this.sessions.delete(id);
    const closed = session.close();
    if (options.closeWithinMs === undefined) await closed;
    else {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        closed,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, options.closeWithinMs))),
      ]);
      clearTimeout(timer);
    }
    await this.removeFromBroker(session.vhost, session.identity.user).catch((error: unknown) =>
      this.log.warn({ err: error, session: id }, 'deleting session vhost failed'),
    );
    this.log.info({ session: id }, 'session removed');
    for (const listener of this.removedListeners) listener(id);
    return true;
  }

  private async removeFromBroker(vhost: string, user: string): Promise<void> {
    await this.management.deleteVhost(vhost);
    await this.management.deleteUser(user);
  }

  /** Sessions nobody used or watched for SESSION_IDLE_MINUTES are torn down. */
  async sweep(now = Date.now()): Promise<void> {
    for (const session of [...this.sessions.values()]) {
      if (session.events.subscriberCount > 0) session.touch();
      else if (now - session.lastActivity > this.config.sessionIdleMs)
        await this.remove(session.id);
    }
  }

  /**
   * Vhosts with our prefix that this server does not know and that no client is connected to
   * belong to no live server (every live session holds a connection), so they are deleted.
   */
  async reclaimOrphans(): Promise<string[]> {
    const reclaimed: string[] = [];
    const vhosts = await this.management.listVhosts();
    for (const { name, description } of vhosts) {
      if (!name.startsWith(this.config.vhostPrefix)) continue;
      // A vhost being set up has no connection yet: leave young ones alone.
      const created = /created (\S+)$/.exec(description ?? '')?.[1];
      if (created !== undefined && Date.now() - Date.parse(created) < RECLAIM_GRACE_MS) continue;
      if (this.sessions.has(name.slice(this.config.vhostPrefix.length))) continue;
      if ((await this.management.connectionCount(name)) > 0) continue;
      await this.removeFromBroker(name, name);
      reclaimed.push(name);
    }
    if (reclaimed.length > 0)
      this.log.info({ vhosts: reclaimed }, 'reclaimed orphaned session vhosts');
    return reclaimed;
  }

  /** Sessions live in this process only, so a clean shutdown removes them from the broker too. */
  async close(): Promise<void> {
    clearInterval(this.sweepTimer);
    await Promise.all(
      [...this.sessions.keys()].map((id) => this.remove(id, { closeWithinMs: SHUTDOWN_CLOSE_MS })),
    );
  }
}
