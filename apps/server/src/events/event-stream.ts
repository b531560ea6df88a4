import type { EventPayload, WarrenEvent } from '@warren/protocol';

/** Events that only drive animation; a slow client may miss them (state events are never dropped). */
const DROPPABLE = new Set<WarrenEvent['type']>([
  'routed',
  'returned',
  'confirmed',
  'nacked',
  'delivered',
  // A consumer's per-message actions; its exact counts travel in the never-dropped consumer-state.
  'acked',
  'rejected',
  'requeued',
  'retrying',
  'duplicate',
]);

/** Events that each hold the whole state of something: a newer one replaces an unsent older one. */
const SNAPSHOTS = new Set<WarrenEvent['type']>([
  'queue-stats',
  'counters',
  'topology',
  'broker-status',
  'lesson-progress',
]);

/** What a snapshot event is the whole state of (one producer's, one consumer's), if it is one. */
function snapshotKey(event: WarrenEvent): string | undefined {
  if (SNAPSHOTS.has(event.type)) return event.type;
  if (event.type === 'producer-state') return `producer-state:${event.producerId}`;
  if (event.type === 'consumer-state') return `consumer-state:${event.consumerId}`;
  return undefined;
}

export interface EventSink {
  /** Bytes the transport still holds for this client (ws `bufferedAmount`). */
  bufferedAmount(): number;
  /**
   * `dropped`: animation events left out; `replaced`: older snapshots (queue-stats, counters)
   * replaced by a newer one. Both explain gaps in seq.
   */
  send(events: WarrenEvent[], dropped: number, replaced: number): void;
  /** The client stayed too far behind: its connection is closed, with a reason it can show. */
  close(reason: string): void;
}

export interface StreamLimits {
  /**
   * Events held for one client between flushes; a full batch is sent at once, and animation
   * events are dropped only while the transport is also backed up.
   */
  maxPending: number;
  /** Transport backlog above which animation events are dropped for that client. */
  maxBufferedBytes: number;
  /**
   * Least time between two frames to a client. An event after a quiet spell goes out on the
   * next turn of the event loop; under load events wait at most this long, batched.
   */
  flushIntervalMs: number;
  /**
   * Events (state events, after snapshots are coalesced) held for a client whose transport is
   * backed up; one more and the client is disconnected, to reconnect with a fresh snapshot.
   */
  maxHeld: number;
  /** How long a client's transport may stay backed up before it is disconnected. */
  maxStallMs: number;
}

const DEFAULT_LIMITS: StreamLimits = {
  maxPending: 2000,
  maxBufferedBytes: 1 << 20,
  flushIntervalMs: 16,
  maxHeld: 5000,
  maxStallMs: 60_000,
};

/** While a client is backed up, how often the stream looks whether it reads again. */
const HELD_RETRY_MS = 200;

export const TOO_FAR_BEHIND =
  'The connection fell too far behind the session; reconnecting for a fresh snapshot.';

class Subscriber {
  pending: WarrenEvent[] = [];
  dropped = 0;
  replaced = 0;
  /** Since when the transport has been too backed up to take a frame. */
  heldSince: number | undefined;
  constructor(readonly sink: EventSink) {}
}

/**
 * Numbers a session's events and fans them out to its clients in batches. Memory per client is
 * bounded: past the limits, animation events are counted as dropped instead of queued, and
 * queue statistics are coalesced to the newest.
 */
export class EventStream {
  private seq = 0;
  private watchers = 0;
  private readonly subscribers = new Set<Subscriber>();
  private readonly listeners = new Set<(event: WarrenEvent) => void>();
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private lastFlushAt = 0;
  private readonly limits: StreamLimits;

  constructor(limits: Partial<StreamLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  get lastSeq(): number {
    return this.seq;
  }

  emit(payload: EventPayload): WarrenEvent {
    this.seq += 1;
    return this.dispatch({ ...payload, seq: this.seq, at: Date.now() });
  }

  /**
   * Like `emit`, for a payload made for this one call (the firehose's, one per traced message):
   * it is numbered in place and becomes the event, with no copy.
   */
  emitFresh(payload: EventPayload): WarrenEvent {
    this.seq += 1;
    const event = payload as Partial<Pick<WarrenEvent, 'seq' | 'at'>>;
    event.seq = this.seq;
    event.at = Date.now();
    return this.dispatch(event as WarrenEvent);
  }

  /**
   * Passes on an event numbered elsewhere (a session's events relayed from another server), with
   * the same batching and backpressure; its seq and time are kept.
   */
  relay(event: WarrenEvent): void {
    if (event.seq > this.seq) this.seq = event.seq;
    this.dispatch(event);
  }

  private dispatch(event: WarrenEvent): WarrenEvent {
    for (const listener of this.listeners) listener(event);
    for (const subscriber of this.subscribers) this.enqueue(subscriber, event);
    if (this.subscribers.size > 0 && this.timer === undefined && this.immediate === undefined)
      this.schedule();
    return event;
  }

  /** In-process listeners (e.g. a publish waiting for its routing outcome); called synchronously. */
  listen(listener: (event: WarrenEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A listener that needs the session observed as if a viewer were connected (queue depths,
   * counters, clients polled): a lesson checking its steps watches without a websocket.
   */
  watch(listener: (event: WarrenEvent) => void): () => void {
    const stop = this.listen(listener);
    this.watchers += 1;
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      this.watchers -= 1;
      stop();
    };
  }

  subscribe(sink: EventSink): () => void {
    const subscriber = new Subscriber(sink);
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Viewers and watchers: while there are any, the session is observed in full. */
  get watcherCount(): number {
    return this.subscribers.size + this.watchers;
  }

  private enqueue(subscriber: Subscriber, event: WarrenEvent): void {
    const key = snapshotKey(event);
    if (key !== undefined) {
      // Only the newest state matters; replace an older unsent snapshot of the same thing.
      const before = subscriber.pending.length;
      subscriber.pending = subscriber.pending.filter((e) => snapshotKey(e) !== key);
      // Counted so the client can tell this gap in seq from a lost event.
      subscriber.replaced += before - subscriber.pending.length;
    }
    // No closure here: this runs for every event and every viewer.
    const { maxPending, maxBufferedBytes } = this.limits;
    // A burst (the firehose catching up) to a client that keeps up: send what is held now
    // instead of dropping; only a transport that is backed up means a slow client.
    if (
      subscriber.pending.length >= maxPending &&
      subscriber.sink.bufferedAmount() <= maxBufferedBytes
    )
      this.send(subscriber);
    if (
      DROPPABLE.has(event.type) &&
      (subscriber.pending.length >= maxPending ||
        subscriber.sink.bufferedAmount() > maxBufferedBytes)
    ) {
      subscriber.dropped += 1;
      return;
    }
    subscriber.pending.push(event);
    if (subscriber.pending.length > this.limits.maxHeld) this.disconnect(subscriber);
  }

  private schedule(): void {
    const wait = this.lastFlushAt + this.limits.flushIntervalMs - Date.now();
    // setImmediate still gathers every event of the current I/O callbacks into one frame.
    if (wait <= 0) this.immediate = setImmediate(() => this.flush());
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  private cancel(): void {
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  flush(): void {
    this.cancel();
    this.lastFlushAt = Date.now();
    for (const subscriber of this.subscribers) this.send(subscriber);
  }

  private send(subscriber: Subscriber): void {
    const { pending: events, dropped, replaced } = subscriber;
    if (events.length === 0 && dropped === 0 && replaced === 0) return;
    if (subscriber.sink.bufferedAmount() > this.limits.maxBufferedBytes) {
      // The transport holds enough already: keep the events here, where snapshots coalesce and
      // animation is dropped, instead of piling them up in the socket's buffer.
      const now = Date.now();
      subscriber.heldSince ??= now;
      if (now - subscriber.heldSince > this.limits.maxStallMs) this.disconnect(subscriber);
      else if (this.timer === undefined && this.immediate === undefined)
        this.timer = setTimeout(() => this.flush(), HELD_RETRY_MS);
      return;
    }
    subscriber.heldSince = undefined;
    subscriber.pending = [];
    subscriber.dropped = 0;
    subscriber.replaced = 0;
    subscriber.sink.send(events, dropped, replaced);
  }

  private disconnect(subscriber: Subscriber): void {
    if (!this.subscribers.delete(subscriber)) return;
    subscriber.pending = [];
    subscriber.sink.close(TOO_FAR_BEHIND);
  }

  close(): void {
    this.cancel();
    this.subscribers.clear();
    this.listeners.clear();
  }
}
