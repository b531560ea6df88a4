import type { WarrenEvent } from '@warren/protocol';
import type { TopicBus } from '../broker/topic-bus';
import type { Session } from '../session/session';
import { sessionKeys } from './session-keys';

/** A server that stopped renewing its watch of a session is forgotten after this long. */
export const WATCH_EXPIRES_MS = 10_000;
const SWEEP_MS = 2000;

interface Fanout {
  session: Session;
  /** Server id → when its watch runs out. */
  watchers: Map<string, number>;
  batch: WarrenEvent[];
  scheduled: NodeJS.Immediate | undefined;
  stopWatching: () => void;
}

export interface FanoutLog {
  warn: (obj: object, msg: string) => void;
}

/**
 * The owner's side of a session viewed on other servers: while any other server watches it, the
 * session is observed in full (as for a viewer of its own) and each batch of its events goes out
 * on the bus, the session id in the routing key. Other servers renew their watch every few
 * seconds; one that stops (it lost its viewers, or died) is forgotten after WATCH_EXPIRES_MS.
 */
export class SessionFanout {
  private readonly fanouts = new Map<string, Fanout>();
  private readonly timer: NodeJS.Timeout;
  private readonly stopRestored: () => void;

  constructor(
    private readonly bus: TopicBus,
    private readonly log: FanoutLog,
  ) {
    this.timer = setInterval(() => this.sweep(), SWEEP_MS);
    this.timer.unref();
    // Events published while the connection was down are gone: viewers elsewhere start over.
    this.stopRestored = bus.on('restored', () => {
      for (const id of this.fanouts.keys()) bus.publish(sessionKeys(id).resync, {});
    });
  }

  /** Starts or renews server `serverId`'s watch of `session`. */
  watch(session: Session, serverId: string, now = Date.now()): void {
    let fanout = this.fanouts.get(session.id);
    if (!fanout) {
      const created: Fanout = {
        session,
        watchers: new Map(),
        batch: [],
        scheduled: undefined,
        stopWatching: () => {},
      };
      const key = sessionKeys(session.id).events;
      // Watching (not only listening) keeps the session observed in full: queue depths,
      // counters and clients are polled as for a viewer on this server.
      created.stopWatching = session.events.watch((event) => {
        created.batch.push(event);
        created.scheduled ??= setImmediate(() => this.flush(created, key));
      });
      this.fanouts.set(session.id, (fanout = created));
    }
    fanout.watchers.set(serverId, now + WATCH_EXPIRES_MS);
    session.touch();
  }

  /** Server `serverId` has no viewers of the session left. */
  unwatch(sessionId: string, serverId: string): void {
    const fanout = this.fanouts.get(sessionId);
    if (!fanout) return;
    fanout.watchers.delete(serverId);
    if (fanout.watchers.size === 0) this.stop(sessionId);
  }

  /** Servers watching the session now. */
  watchers(sessionId: string): number {
    return this.fanouts.get(sessionId)?.watchers.size ?? 0;
  }

  private flush(fanout: Fanout, key: string): void {
    fanout.scheduled = undefined;
    const events = fanout.batch;
    fanout.batch = [];
    if (events.length === 0) return;
    if (!this.bus.publish(key, { events })) {
      this.log.warn(
        { session: fanout.session.id, events: events.length },
        'session events not sent to other servers: the broker cannot be reached',
      );
    }
  }

  private sweep(now = Date.now()): void {
    for (const [id, fanout] of this.fanouts) {
      for (const [server, until] of fanout.watchers)
        if (until < now) fanout.watchers.delete(server);
      if (fanout.watchers.size === 0) this.stop(id);
      // Watched from elsewhere is watched: the session is not idle.
      else fanout.session.touch();
    }
  }

  private stop(sessionId: string): void {
    const fanout = this.fanouts.get(sessionId);
    if (!fanout) return;
    this.fanouts.delete(sessionId);
    clearImmediate(fanout.scheduled);
    // What is batched still goes out: the last events before the watch ended.
    this.flush(fanout, sessionKeys(sessionId).events);
    fanout.stopWatching();
  }

  /** The session is gone from this server: viewers elsewhere hear it. */
  ended(sessionId: string): void {
    const watched = this.fanouts.has(sessionId);
    this.stop(sessionId);
    if (watched) this.bus.publish(sessionKeys(sessionId).ended, {});
  }

  close(): void {
    clearInterval(this.timer);
    this.stopRestored();
    for (const id of [...this.fanouts.keys()]) this.ended(id);
  }
}
