import { randomBytes } from 'node:crypto';
import type { Topology } from '@warren/topology';
import type { AmqpDetails, NodeError } from '@warren/protocol';
import type { Config } from '../config';
import { Backoff } from '../broker/backoff';
import type { BrokerMonitor } from '../broker/broker-monitor';
import type { ManagementClient } from '../broker/management';
import { WarrenError } from '../errors/warren-error';
import { Session, type SessionDeps } from './session';
import { limitSessionVhost, sessionVhostDescription } from './session-vhost';

const SWEEP_MS = 60_000;
const RECLAIM_GRACE_MS = 120_000;
/** At shutdown, how long a session may take to close before its vhost is deleted under it. */
const SHUTDOWN_CLOSE_MS = 2000;
/** Waits between attempts to delete a session's vhost that would not go. */
const REMOVAL_BACKOFF = { initialMs: 500, maxMs: 60_000, jitter: 0.2 };

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
  private closing = false;
  private reclaimed = false;
  private readonly removedListeners = new Set<(id: string) => void>();
  private readonly addedListeners = new Set<(session: Session) => Promise<void>>();

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

  /**
   * Called with each session created here, before `create` answers: what it does (say where the
   * session runs, for the other servers) is done when the session's creator hears of it.
   */
  onAdded(listener: (session: Session) => Promise<void>): () => void {
    this.addedListeners.add(listener);
    return () => this.addedListeners.delete(listener);
  }

  private get vhostLimits() {
    return { queuedBytes: this.config.maxSessionQueuedBytes };
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
    // 128 random bits, in lower-case letters and digits (a vhost and user name too).
    const id = BigInt(`0x${randomBytes(16).toString('hex')}`)
      .toString(36)
      .padStart(25, '0');
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
      // management: the scripts Warren exports (curl, rabbitmqadmin) reach the management API
      // with these credentials, and permissions keep them in this vhost. Not policymaker, which
      // also writes broker-wide global parameters: Warren's own user applies the policies.
      await m.createUser(identity.user, identity.password, 'management');
      await m.grantAll(vhost, identity.user);
      await limitSessionVhost(m, vhost, identity.user, this.vhostLimits);
    } catch (error) {
      await this.removeFromBroker(vhost, identity.user).catch(() =>
        this.retryRemoval(vhost, identity.user),
      );
      throw error;
    }
    const session = new Session(identity, {
      management: m,
      amqpUrl: this.config.amqpUrl,
      ownUser: this.config.managementUser,
      statsIntervalMs: this.config.statsIntervalMs,
      vhostLimits: this.vhostLimits,
      log: this.log,
    });
    this.sessions.set(id, session);
    if (!(await session.start())) {
      await this.remove(id);
      throw new BrokerUnavailableError(this.monitor.health().hint);
    }
    for (const listener of this.addedListeners) {
      await listener(session).catch((error: unknown) =>
        this.log.warn({ err: error, session: id }, 'telling of a new session failed'),
      );
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
    await this.removeFromBroker(session.vhost, session.identity.user).catch((error: unknown) => {
      this.log.warn({ err: error, session: id }, 'deleting session vhost failed; retrying');
      this.retryRemoval(session.vhost, session.identity.user);
    });
    this.log.info({ session: id }, 'session removed');
    for (const listener of this.removedListeners) listener(id);
    return true;
  }

  /** Vhosts (with their users) whose deletion failed, and the timer of their next attempt. */
  private readonly removals = new Map<string, { user: string; timer: NodeJS.Timeout }>();

  /**
   * Deletion of a big vhost can outlast the management API's timeout, or meet a broker that is
   * away: it is tried again, with growing waits, until the vhost and the user are gone.
   */
  private retryRemoval(vhost: string, user: string, backoff = new Backoff(REMOVAL_BACKOFF)): void {
    if (this.closing) return;
    clearTimeout(this.removals.get(vhost)?.timer);
    const timer = setTimeout(() => {
      void this.removeFromBroker(vhost, user).then(
        () => {
          this.removals.delete(vhost);
          this.log.info({ vhost }, 'session vhost deleted on a later attempt');
        },
        (error: unknown) => {
          this.log.warn({ err: error, vhost }, 'deleting session vhost failed again; retrying');
          this.retryRemoval(vhost, user, backoff);
        },
      );
    }, backoff.next());
    timer.unref();
    this.removals.set(vhost, { user, timer });
  }

  /** Vhosts still waiting for their deletion to succeed. */
  get pendingRemovals(): string[] {
    return [...this.removals.keys()];
  }

  /** Deletes the vhost and the user, and checks that the broker no longer lists the vhost. */
  private async removeFromBroker(vhost: string, user: string): Promise<void> {
    await this.management.deleteVhost(vhost);
    if ((await this.management.listVhosts()).some((v) => v.name === vhost))
      throw new Error(`vhost ${vhost} is still being deleted`);
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
    this.closing = true;
    for (const { timer } of this.removals.values()) clearTimeout(timer);
    await Promise.all(
      [...this.sessions.keys()].map((id) => this.remove(id, { closeWithinMs: SHUTDOWN_CLOSE_MS })),
    );
  }
}
