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

export interface EventSink {
  /** Bytes the transport still holds for this client (ws `bufferedAmount`). */
  bufferedAmount(): number;
  send(events: WarrenEvent[], dropped: number): void;
}

export interface StreamLimits {
  /**
   * Events held for one client between flushes; a full batch is sent at once, and animation
   * events are dropped only while the transport is also backed up.
   */
  maxPending: number;
  /** Transport backlog above which animation events are dropped for that client. */
  maxBufferedBytes: number;
  flushIntervalMs: number;
}

const DEFAULT_LIMITS: StreamLimits = {
  maxPending: 2000,
  maxBufferedBytes: 1 << 20,
  flushIntervalMs: 40,
};

class Subscriber {
  pending: WarrenEvent[] = [];
  dropped = 0;
  constructor(readonly sink: EventSink) {}
}

/**
 * Numbers a session's events and fans them out to its clients in batches. Memory per client is
 * bounded: past the limits, animation events are counted as dropped instead of queued, and
 * queue statistics are coalesced to the newest.
 */
export class EventStream {
  private seq = 0;
  private readonly subscribers = new Set<Subscriber>();
  private readonly listeners = new Set<(event: WarrenEvent) => void>();
  private timer: NodeJS.Timeout | undefined;
  private readonly limits: StreamLimits;

  constructor(limits: Partial<StreamLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  get lastSeq(): number {
    return this.seq;
  }

  emit(payload: EventPayload): WarrenEvent {
    this.seq += 1;
    const event: WarrenEvent = { ...payload, seq: this.seq, at: Date.now() };
    for (const listener of this.listeners) listener(event);
    for (const subscriber of this.subscribers) this.enqueue(subscriber, event);
    if (this.subscribers.size > 0 && this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), this.limits.flushIntervalMs);
    }
    return event;
  }

  /** In-process listeners (e.g. a publish waiting for its routing outcome); called synchronously. */
  listen(listener: (event: WarrenEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  subscribe(sink: EventSink): () => void {
    const subscriber = new Subscriber(sink);
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  private enqueue(subscriber: Subscriber, event: WarrenEvent): void {
    if (event.type === 'queue-stats') {
      // Only the newest depths matter; replace an older unsent snapshot.
      const before = subscriber.pending.length;
      subscriber.pending = subscriber.pending.filter((e) => e.type !== 'queue-stats');
      // Counted as dropped so the client can tell this gap in seq from a lost event.
      subscriber.dropped += before - subscriber.pending.length;
    }
    const backedUp = () => subscriber.sink.bufferedAmount() > this.limits.maxBufferedBytes;
    // A burst (the firehose catching up) to a client that keeps up: send what is held now
    // instead of dropping; only a transport that is backed up means a slow client.
    if (subscriber.pending.length >= this.limits.maxPending && !backedUp()) this.send(subscriber);
    const congested = subscriber.pending.length >= this.limits.maxPending || backedUp();
    if (congested && DROPPABLE.has(event.type)) {
      subscriber.dropped += 1;
      return;
    }
    subscriber.pending.push(event);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const subscriber of this.subscribers) this.send(subscriber);
  }

  private send(subscriber: Subscriber): void {
    if (subscriber.pending.length === 0 && subscriber.dropped === 0) return;
    const events = subscriber.pending;
    const dropped = subscriber.dropped;
    subscriber.pending = [];
    subscriber.dropped = 0;
    subscriber.sink.send(events, dropped);
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.subscribers.clear();
    this.listeners.clear();
  }
}
