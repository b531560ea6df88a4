import { CLOSE_CODES, type ServerFrame, type WarrenEvent } from '@warren/protocol';
import type { TopicBus } from '../broker/topic-bus';
import { EventStream } from '../events/event-stream';
import type { SessionElsewhere } from './session-locator';
import { sessionKeys } from './session-keys';

export type HelloFrame = Extract<ServerFrame, { type: 'hello' }>;
export type SessionSnapshot = Omit<HelloFrame, 'type'>;

/** A websocket on a session that runs on another server. */
export interface RemoteViewer {
  hello(snapshot: SessionSnapshot): void;
  events(events: WarrenEvent[], dropped: number, replaced: number): void;
  bufferedAmount(): number;
  close(code: number, reason: string): void;
}

/** Asks the owner for a snapshot (and starts or renews this server's watch of the session). */
export interface OwnerClient {
  /** Starts (or renews) the watch and gives the session as it is now, for a hello. */
  hello(owner: SessionElsewhere, sessionId: string): Promise<SessionSnapshot>;
  /** Renews the watch. */
  renew(owner: SessionElsewhere, sessionId: string): Promise<void>;
  unwatch(owner: SessionElsewhere, sessionId: string): Promise<void>;
}

/** Why a remote watch failed: the owner says there is no such session, or it does not answer. */
export class OwnerError extends Error {
  constructor(
    message: string,
    readonly notFound: boolean,
  ) {
    super(message);
    this.name = 'OwnerError';
  }
}

/** How often a server with viewers of a session renews its watch with the owner. */
export const RENEW_MS = 3000;
/** Longest wait for this server's bus connection before a viewer is turned away. */
const BUS_WAIT_MS = 5000;
/** Events held for a viewer until its hello arrives; one more and it is disconnected. */
const MAX_HELD = 5000;

export const CLOSE = {
  /** The session is gone (deleted, or unknown to its server). */
  notFound: CLOSE_CODES.notFound,
  /** The viewer stayed too far behind; it reconnects for a fresh hello (as on the owner). */
  tooFarBehind: CLOSE_CODES.tooFarBehind,
  /** Events may have been lost on the way: reconnect for a fresh hello. */
  reconnect: 1012,
  /** The session's server does not answer: try again later. */
  unavailable: 1013,
} as const;

class Viewer {
  held: WarrenEvent[] | undefined = [];
  heldDropped = 0;
  heldReplaced = 0;
  helloSeq = Number.POSITIVE_INFINITY;
  stop: () => void = () => {};
  constructor(readonly socket: RemoteViewer) {}
}

/**
 * The viewers on this server of one session that runs on another: its events come from the bus
 * once for all of them and go to each through an event stream of their own, with the same
 * batching, coalescing and dropping for a slow reader as on the owner.
 */
class RemoteView {
  readonly stream = new EventStream();
  readonly viewers = new Set<Viewer>();
  private stops: (() => void)[] = [];
  private renewTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly sessionId: string,
    readonly owner: SessionElsewhere,
  ) {}

  async listen(bus: TopicBus, gone: (code: number, reason: string) => void): Promise<void> {
    const keys = sessionKeys(this.sessionId);
    try {
      this.stops.push(
        await bus.listen(keys.events, (content) => {
          const { events } = JSON.parse(content.toString('utf8')) as { events: WarrenEvent[] };
          for (const event of events) this.stream.relay(event);
        }),
      );
      this.stops.push(
        await bus.listen(keys.ended, () => gone(CLOSE.notFound, 'session deleted')),
        await bus.listen(keys.resync, () =>
          gone(CLOSE.reconnect, 'events lost on the way; reconnect'),
        ),
      );
    } catch (error) {
      this.close();
      throw error;
    }
  }

  renewEvery(renew: () => void): void {
    this.renewTimer = setInterval(renew, RENEW_MS);
    this.renewTimer.unref();
  }

  join(socket: RemoteViewer): Viewer {
    const viewer = new Viewer(socket);
    viewer.stop = this.stream.subscribe({
      bufferedAmount: () => socket.bufferedAmount(),
      send: (events, dropped, replaced) => this.deliver(viewer, events, dropped, replaced),
      close: (reason) => socket.close(CLOSE.tooFarBehind, reason),
    });
    this.viewers.add(viewer);
    return viewer;
  }

  private deliver(viewer: Viewer, events: WarrenEvent[], dropped: number, replaced: number): void {
    if (viewer.held) {
      viewer.held.push(...events);
      viewer.heldDropped += dropped;
      viewer.heldReplaced += replaced;
      if (viewer.held.length > MAX_HELD) {
        this.leave(viewer);
        viewer.socket.close(CLOSE.tooFarBehind, 'too many events before the snapshot; reconnect');
      }
      return;
    }
    // Events up to the hello's seq are in its snapshot already.
    const fresh = events.filter((e) => e.seq > viewer.helloSeq);
    if (fresh.length === 0 && dropped === 0 && replaced === 0) return;
    viewer.socket.events(fresh, dropped, replaced);
  }

  hello(viewer: Viewer, snapshot: SessionSnapshot): void {
    if (!this.viewers.has(viewer)) return;
    const held = viewer.held ?? [];
    viewer.held = undefined;
    viewer.helloSeq = snapshot.seq;
    viewer.socket.hello(snapshot);
    this.deliver(viewer, held, viewer.heldDropped, viewer.heldReplaced);
  }

  leave(viewer: Viewer): boolean {
    if (!this.viewers.delete(viewer)) return false;
    viewer.stop();
    return true;
  }

  close(): void {
    clearInterval(this.renewTimer);
    for (const stop of this.stops) stop();
    this.stops = [];
    this.stream.close();
    this.viewers.clear();
  }
}

export interface RemoteSessionsLog {
  warn: (obj: object, msg: string) => void;
}

/**
 * Viewers on this server of sessions that run on other servers. While a session has viewers
 * here, this server listens to its events on the bus and renews its watch with the owner; the
 * hello comes from the owner over HTTP.
 */
export class RemoteSessions {
  private readonly views = new Map<string, Promise<RemoteView>>();
  private readonly stopLost: () => void;

  constructor(
    private readonly bus: TopicBus,
    private readonly owners: OwnerClient,
    private readonly log: RemoteSessionsLog,
  ) {
    // Events of every remote session may have been missed meanwhile.
    this.stopLost = bus.on('lost', () => {
      for (const id of [...this.views.keys()])
        this.end(id, CLOSE.reconnect, 'events lost on the way; reconnect');
    });
  }

  /**
   * Connects a websocket to a session of another server: its hello from the owner, then its
   * events from the bus. Gives the function that disconnects it; rejects (an OwnerError) when the
   * owner cannot give the hello.
   */
  async follow(
    sessionId: string,
    owner: SessionElsewhere,
    socket: RemoteViewer,
  ): Promise<() => void> {
    const pending = this.view(sessionId, owner);
    const view = await pending;
    const viewer = view.join(socket);
    const leave = () => {
      if (!view.leave(viewer) || view.viewers.size > 0) return;
      if (this.views.get(sessionId) === pending) {
        this.views.delete(sessionId);
        view.close();
        void this.owners.unwatch(view.owner, sessionId).catch(() => {});
      }
    };
    try {
      const snapshot = await this.owners.hello(owner, sessionId);
      view.hello(viewer, snapshot);
    } catch (error) {
      leave();
      throw error;
    }
    return leave;
  }

  private view(sessionId: string, owner: SessionElsewhere): Promise<RemoteView> {
    let view = this.views.get(sessionId);
    if (view) return view;
    view = (async () => {
      // Without the broker a viewer would get a hello and then nothing.
      if (!(await this.bus.ready(BUS_WAIT_MS)))
        throw new OwnerError('this server cannot reach RabbitMQ right now', false);
      const created = new RemoteView(sessionId, owner);
      await created.listen(this.bus, (code, reason) => this.end(sessionId, code, reason));
      created.renewEvery(() => {
        this.owners.renew(owner, sessionId).catch((error: unknown) => {
          const notFound = error instanceof OwnerError && error.notFound;
          this.log.warn(
            { err: error, session: sessionId },
            'renewing a remote session watch failed',
          );
          this.end(
            sessionId,
            notFound ? CLOSE.notFound : CLOSE.unavailable,
            notFound ? 'session not found' : "the session's server does not answer",
          );
        });
      });
      return created;
    })();
    this.views.set(sessionId, view);
    view.catch(() => {
      if (this.views.get(sessionId) === view) this.views.delete(sessionId);
    });
    return view;
  }

  /** Closes every viewer of a session here (they reconnect, or learn it is gone). */
  private end(sessionId: string, code: number, reason: string): void {
    const view = this.views.get(sessionId);
    if (!view) return;
    this.views.delete(sessionId);
    void view.then(
      (v) => {
        const viewers = [...v.viewers];
        for (const viewer of viewers) v.leave(viewer);
        v.close();
        for (const viewer of viewers) viewer.socket.close(code, reason);
      },
      () => {},
    );
  }

  close(): void {
    this.stopLost();
    for (const id of [...this.views.keys()]) this.end(id, 1001, 'server stopping');
  }
}
