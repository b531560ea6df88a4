import { createHash, randomBytes } from 'node:crypto';
import type { Topology } from '@warren/topology';
import type { AmqpDetails, NodeError } from '@warren/protocol';
import type { Config } from '../config';
import { Backoff } from '../broker/backoff';
import type { BrokerMonitor } from '../broker/broker-monitor';
import type { ManagementClient } from '../broker/management';
import { WarrenError } from '../errors/warren-error';
import { Session, type SessionDeps } from './session';
import type { CountersRow, SessionRecord, SessionRecords } from './session-records';
import { limitSessionVhost, sessionVhostDescription } from './session-vhost';

const SWEEP_MS = 60_000;
const RECLAIM_GRACE_MS = 120_000;
/** At shutdown, how long a session may take to close before its vhost is deleted under it. */
const SHUTDOWN_CLOSE_MS = 2000;
/** Waits between attempts to delete a session's vhost that would not go. */
const REMOVAL_BACKOFF = { initialMs: 500, maxMs: 60_000, jitter: 0.2 };
/**
 * A server observes the sessions it holds a lease on. It renews them every LEASE_RENEW_MS; a
 * lease not renewed for LEASE_MS (the server was killed) lets another server take the session.
 */
export const LEASE_MS = 6000;
export const LEASE_RENEW_MS = 2000;
/** How often changed counters (and the last activity) of each session are written to the store. */
export const COUNTERS_SAVE_MS = 2000;

/** A session's counters as last written: their change count, last activity, runtime's JSON. */
interface SavedCounters {
  changes: number;
  activity: number;
  runtime?: string;
}

/** The SHA-256 of an edit token, as records keep it. */
export const editTokenHash = (token: string): string =>
  createHash('sha256').update(token, 'utf8').digest('hex');

/** Runs `task` on every item, at most `limit` at a time. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/** Where a registry keeps its sessions, and who it is among the servers sharing the store. */
export interface SessionKeeping {
  records: SessionRecords;
  /** This server's name in leases: the same across its restarts, so it takes its sessions back at once. */
  owner: string;
}

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
  private readonly restoredListeners = new Set<(session: Session, record: SessionRecord) => void>();
  private leaseTimer: NodeJS.Timeout | undefined;
  private countersTimer: NodeJS.Timeout | undefined;
  /** Per session: the counters' change count and last activity as last written. */
  private readonly savedCounters = new Map<string, SavedCounters>();
  /** Sessions whose record this server holds the lease of (a session being created has none yet). */
  private readonly leased = new Set<string>();
  /** Sessions being rebuilt from their records, by id. */
  private readonly restoring = new Map<string, Promise<void>>();
  private restoredOnce: Promise<void> | undefined;
  /** The pass of restoreKept under way, if any: passes never overlap. */
  private restorePass: Promise<void> | undefined;
  /** Aborted at shutdown: rebuilds waiting for the broker stop waiting. */
  private readonly stopping = new AbortController();
  private readonly addedListeners = new Set<(session: Session) => Promise<void>>();

  constructor(
    private readonly config: Config,
    private readonly management: ManagementClient,
    private readonly monitor: BrokerMonitor,
    private readonly log: SessionDeps['log'],
    private readonly keeping?: SessionKeeping,
  ) {}

  /**
   * Starts the sweeps and, with a store keeping sessions, takes this server's kept sessions back:
   * resolves once they are known (their broker side comes back in the background).
   */
  async start(): Promise<void> {
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
    if (this.keeping) {
      // Eager: running producers should send again as soon as the server is back, not when
      // someone looks. Later passes (every LEASE_RENEW_MS) take sessions whose server died.
      this.restoredOnce = this.restoreKept().catch((error: unknown) =>
        this.log.warn({ err: error }, 'reading kept sessions failed'),
      );
      this.leaseTimer = setInterval(() => void this.renewLeases(), LEASE_RENEW_MS);
      this.leaseTimer.unref();
      this.countersTimer = setInterval(() => void this.saveCounters(), COUNTERS_SAVE_MS);
      this.countersTimer.unref();
    }
    this.monitor.onChange(reclaimOnce);
    // A session tells its viewers only when its alarms really changed (see Session.setBroker).
    this.monitor.onChange(() => {
      for (const session of this.sessions.values()) session.alarmsChanged(this.monitor.alarms);
    });
    reclaimOnce();
    await this.restoredOnce;
  }

  /** Called with each session rebuilt from the store (to resume its lesson, say). */
  onRestored(listener: (session: Session, record: SessionRecord) => void): () => void {
    this.restoredListeners.add(listener);
    return () => this.restoredListeners.delete(listener);
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
    lessonId?: string,
  ): Promise<{ session: Session; nodeErrors: NodeError[]; editToken: string }> {
    if (!this.monitor.amqpReachable || !(await this.monitor.probeManagement())) {
      throw new BrokerUnavailableError(this.monitor.health().hint);
    }
    // 128 random bits, in lower-case letters and digits (a vhost and user name too).
    const id = BigInt(`0x${randomBytes(16).toString('hex')}`)
      .toString(36)
      .padStart(25, '0');
    const vhost = `${this.config.vhostPrefix}${id}`;
    const editToken = randomBytes(24).toString('base64url');
    const identity = {
      id,
      vhost,
      editTokenHash: editTokenHash(editToken),
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
    const session = new Session(identity, this.sessionDeps());
    this.sessions.set(id, session);
    if (!(await session.start())) {
      await this.remove(id);
      throw new BrokerUnavailableError(this.monitor.health().hint);
    }
    if (this.keeping) {
      const now = Date.now();
      try {
        await this.keeping.records.insert({
          ...identity,
          lastActivity: session.lastActivity,
          ...(lessonId !== undefined ? { lessonId } : {}),
          topology: session.topology,
          runtime: session.runtimeState(),
          owner: this.keeping.owner,
          leaseUntil: new Date(now + LEASE_MS),
        });
        this.leased.add(id);
      } catch (error) {
        await this.remove(id);
        throw error;
      }
    }
    for (const listener of this.addedListeners) {
      await listener(session).catch((error: unknown) =>
        this.log.warn({ err: error, session: id }, 'telling of a new session failed'),
      );
    }
    let nodeErrors: NodeError[] = [];
    if (topology) nodeErrors = (await session.apply(topology)).nodeErrors;
    this.log.info({ session: id, vhost }, 'session created');
    return { session, nodeErrors, editToken };
  }

  private sessionDeps(): SessionDeps {
    return {
      management: this.management,
      amqpUrl: this.config.amqpUrl,
      ownUser: this.config.managementUser,
      statsIntervalMs: this.config.statsIntervalMs,
      vhostLimits: this.vhostLimits,
      ...(this.keeping ? { records: this.keeping.records } : {}),
      alarms: {
        current: () => this.monitor.alarms,
        check: () => void this.monitor.probeManagement(),
      },
      log: this.log,
    };
  }

  /**
   * Rebuilds the kept sessions this server may take: its own from before a restart, and those of
   * servers whose lease ran out. Those idle past SESSION_IDLE_MINUTES are deleted instead.
   */
  /**
   * One pass over the kept sessions. Resolves once every session taken is known to this server
   * (so requests and websockets find it at once, with its diagram and counters); connecting them
   * and starting their producers and consumers again goes on in the background, a few at a time.
   */
  restoreKept(): Promise<void> {
    this.restorePass ??= this.restorePassNow().finally(() => (this.restorePass = undefined));
    return this.restorePass;
  }

  private async restorePassNow(): Promise<void> {
    if (!this.keeping || this.closing) return;
    const { records, owner } = this.keeping;
    const now = new Date();
    const kept = (await records.claimable(owner, now)).filter(
      (r) => !this.sessions.has(r.id) && !this.restoring.has(r.id),
    );
    const taken: { session: Session; record: SessionRecord }[] = [];
    for (const record of kept) {
      if (this.closing) return;
      if (!(await records.takeLease(record.id, owner, new Date(now.getTime() + LEASE_MS), now)))
        continue;
      if (now.getTime() - record.lastActivity > this.config.sessionIdleMs) {
        this.log.info({ session: record.id }, 'kept session idle too long; deleting it');
        await records.delete(record.id);
        void this.removeFromBroker(record.vhost, record.user).catch(() =>
          this.retryRemoval(record.vhost, record.user),
        );
        continue;
      }
      taken.push({ session: this.register(record), record });
    }
    if (taken.length === 0) return;
    this.log.info({ sessions: taken.length }, 'rebuilding kept sessions');
    const rebuilt = eachLimited(taken, this.config.sessionRestoreConcurrency, (one) =>
      this.reconnect(one.session, one.record),
    );
    for (const { record } of taken) this.restoring.set(record.id, rebuilt);
    void rebuilt.finally(() => {
      for (const { record } of taken) this.restoring.delete(record.id);
    });
  }

  /** A kept session as a Session of this server, known at once, not yet connected. */
  private register(record: SessionRecord): Session {
    const identity = {
      id: record.id,
      vhost: record.vhost,
      editTokenHash: record.editTokenHash,
      user: record.user,
      password: record.password,
      createdAt: record.createdAt,
      ...(record.diagram ? { diagram: record.diagram } : {}),
    };
    const session = new Session(identity, this.sessionDeps(), {
      topology: record.topology,
      ...(record.counters ? { counters: record.counters } : {}),
      lastActivity: record.lastActivity,
    });
    this.sessions.set(record.id, session);
    this.leased.add(record.id);
    this.savedCounters.set(record.id, {
      changes: session.counters.changes,
      activity: record.lastActivity,
    });
    for (const listener of this.restoredListeners) listener(session, record);
    return session;
  }

  /**
   * The session's first connect applies the kept diagram (declarations are idempotent); once it
   * is done (however long the broker is away), what was running starts again.
   */
  private async reconnect(session: Session, record: SessionRecord): Promise<void> {
    if (this.closing || this.sessions.get(session.id) !== session) return;
    const started = Date.now();
    try {
      await session.start(0);
      if (!(await session.recovered(this.stopping.signal))) return;
      await this.resumeRuntime(session, record);
      this.log.info({ session: session.id, ms: Date.now() - started }, 'kept session rebuilt');
    } catch (error) {
      this.log.warn({ err: error, session: session.id }, 'rebuilding a kept session failed');
    }
  }

  /** Producers that were sending send again; consumers go back to what they were doing. */
  private async resumeRuntime(session: Session, record: SessionRecord): Promise<void> {
    // Their own counters go on from where they were, before anything counts again.
    session.producers.restoreCounts(record.runtime.producerCounts ?? {});
    session.consumers.restoreCounts(record.runtime.consumerCounts ?? {});
    for (const producerId of record.runtime.producers) {
      if (!session.producers.has(producerId)) continue;
      try {
        session.producers.start(producerId);
      } catch (error) {
        this.log.warn({ err: error, session: session.id, producerId }, 'producer did not restart');
      }
    }
    for (const [consumerId, status] of Object.entries(record.runtime.consumers)) {
      const now = session.consumers.get(consumerId)?.state().status;
      if (now === undefined || now === status) continue;
      try {
        if (status === 'running' && now !== 'paused') await session.consumers.start(consumerId);
        else if (status === 'running') await session.consumers.resume(consumerId);
        else if (status === 'paused') {
          if (now !== 'running') await session.consumers.start(consumerId);
          await session.consumers.pause(consumerId);
        } else if ((status === 'stopped' || status === 'killed') && now === 'running')
          await session.consumers.kill(consumerId);
      } catch (error) {
        this.log.warn({ err: error, session: session.id, consumerId }, 'consumer not resumed');
      }
    }
    await session.saveRuntime();
  }

  /** Keeps this server's leases, lets go of sessions another server took, takes abandoned ones. */
  private async renewLeases(): Promise<void> {
    if (!this.keeping || this.closing) return;
    const { records, owner } = this.keeping;
    try {
      const ids = [...this.leased];
      const held = new Set(await records.renewLeases(owner, ids, new Date(Date.now() + LEASE_MS)));
      for (const id of ids) {
        if (held.has(id) || this.closing) continue;
        // Another server took it (this one was too slow to renew): it observes it now.
        this.log.warn({ session: id }, 'another server took this session; letting it go');
        const session = this.sessions.get(id);
        this.sessions.delete(id);
        this.leased.delete(id);
        this.savedCounters.delete(id);
        await session?.close();
      }
      await this.restoreKept();
    } catch (error) {
      this.log.warn({ err: error }, 'renewing session leases failed');
    }
  }

  /** Writes the counters (and last activity) of sessions where they changed, in one go. */
  private async saveCounters(): Promise<void> {
    if (!this.keeping) return;
    const rows: CountersRow[] = [];
    const saved: [string, SavedCounters][] = [];
    for (const session of this.sessions.values()) {
      if (this.restoring.has(session.id)) continue;
      const before = this.savedCounters.get(session.id);
      const changes = session.counters.changes;
      const runtime = session.runtimeState();
      const runtimeJson = JSON.stringify(runtime);
      const activity = session.lastActivity;
      if (
        before &&
        before.changes === changes &&
        before.activity === activity &&
        before.runtime === runtimeJson
      )
        continue;
      rows.push({
        id: session.id,
        counters: session.counters.snapshot(),
        lastActivity: activity,
        runtime,
      });
      saved.push([session.id, { changes, activity, runtime: runtimeJson }]);
    }
    if (rows.length === 0) return;
    try {
      await this.keeping.records.saveCounters(rows);
      for (const [id, entry] of saved) if (this.sessions.has(id)) this.savedCounters.set(id, entry);
    } catch (error) {
      this.log.warn({ err: error, sessions: rows.length }, 'saving counters failed');
    }
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
    this.leased.delete(id);
    this.savedCounters.delete(id);
    await this.keeping?.records
      .delete(id)
      .catch((error: unknown) =>
        this.log.warn({ err: error, session: id }, 'deleting the kept session failed'),
      );
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
    // A kept session's vhost waits for its server (or another) to rebuild it.
    const kept = new Set(this.keeping ? await this.keeping.records.ids() : []);
    for (const { name, description } of vhosts) {
      if (!name.startsWith(this.config.vhostPrefix)) continue;
      if (kept.has(name.slice(this.config.vhostPrefix.length))) continue;
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

  /**
   * With the store keeping sessions (WARREN_KEEP_SESSIONS, the default), a clean shutdown closes
   * their connections and leaves their vhosts and users for the next start; their counters are
   * written and their leases given up. Otherwise sessions end with the server.
   */
  async close(): Promise<void> {
    clearInterval(this.sweepTimer);
    clearInterval(this.leaseTimer);
    clearInterval(this.countersTimer);
    if (!this.config.keepSessions || !this.keeping) {
      this.closing = true;
      for (const { timer } of this.removals.values()) clearTimeout(timer);
      await Promise.all(
        [...this.sessions.keys()].map((id) =>
          this.remove(id, { closeWithinMs: SHUTDOWN_CLOSE_MS }),
        ),
      );
      return;
    }
    await this.saveCounters();
    this.closing = true;
    this.stopping.abort();
    for (const { timer } of this.removals.values()) clearTimeout(timer);
    await Promise.allSettled([...this.restoring.values()]);
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(
      sessions.map(async (session) => {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          session.close(),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_CLOSE_MS))),
        ]);
        clearTimeout(timer);
      }),
    );
    await this.keeping.records
      .releaseLeases(this.keeping.owner)
      .catch((error: unknown) => this.log.warn({ err: error }, 'giving up session leases failed'));
    this.log.info({ sessions: sessions.length }, 'sessions kept for the next start');
  }
}
