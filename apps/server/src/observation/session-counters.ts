import { EdgeCounters, type CounterSnapshot, type Topology } from '@warren/topology';
import type { WarrenEvent } from '@warren/protocol';
import type { EventStream } from '../events/event-stream';

/** How often changed counters are sent while someone watches. */
const COUNTERS_MS = 250;

/**
 * The session's edge and exchange counters, fed by its own routed, delivered and
 * dead-lettered events (every one of them, before any client's buffer could drop it), and sent
 * as `counters` snapshots while they change.
 */
export class SessionCounters {
  private readonly counters: EdgeCounters;
  private sent = -1;
  private readonly timer: NodeJS.Timeout;
  private readonly unlisten: () => void;

  constructor(
    private readonly events: EventStream,
    topology: Topology,
  ) {
    this.counters = new EdgeCounters(topology);
    this.unlisten = events.listen((event) => this.onEvent(event));
    this.timer = setInterval(() => this.tick(), COUNTERS_MS);
    this.timer.unref();
  }

  private onEvent(event: WarrenEvent): void {
    switch (event.type) {
      case 'topology':
        this.counters.setTopology(event.topology);
        return;
      case 'routed':
        // The event has every field a publish is counted by (no copy per message).
        this.counters.published(event);
        return;
      case 'delivered':
        this.counters.delivered(event);
        return;
      case 'dead-lettered':
        // Inferred dead letters are counts without a route; only observed ones travel edges.
        if (!event.inferred)
          this.counters.deadLettered(event.queue, event.exchange, event.routingKey);
        return;
      default:
        return;
    }
  }

  private tick(): void {
    if (this.counters.changes === this.sent || this.events.watcherCount === 0) return;
    this.sent = this.counters.changes;
    this.events.emit({ type: 'counters', ...this.counters.snapshot() });
  }

  /** Grows with every change of a count. */
  get changes(): number {
    return this.counters.changes;
  }

  /** Goes on from counts kept before the server restarted. */
  restore(kept: CounterSnapshot): void {
    this.counters.restore(kept);
  }

  snapshot(): CounterSnapshot {
    return this.counters.snapshot();
  }

  /** Starts every counter from zero again, and tells the watchers at once. */
  reset(): CounterSnapshot {
    this.counters.reset();
    this.tick();
    return this.counters.snapshot();
  }

  close(): void {
    clearInterval(this.timer);
    this.unlisten();
  }
}
