import type { Consumer } from '@warren/topology';
import type { ConsumerState, ConsumerStatus, EventPayload } from '@warren/protocol';
import { StateThrottle } from '../state-throttle';
import type { ConsumerCounts } from './consumer-context';

/** At most this many consumer-state events per second per consumer. */
const STATE_EVENTS_PER_SECOND = 10;

/**
 * A consumer's status and exact counters, and the consumer-state events that tell viewers:
 * at most ten a second, the newest state always sent last, an unchanged state never twice.
 */
export class ConsumerReport {
  status: ConsumerStatus = 'stopped';
  error: string | undefined;
  readonly counts: ConsumerCounts = {
    received: 0,
    acked: 0,
    nacked: 0,
    rejected: 0,
    requeued: 0,
    duplicates: 0,
    replied: 0,
    inFlight: 0,
  };
  private lastSent = '';
  private readonly events = new StateThrottle(() => this.send(), 1000 / STATE_EVENTS_PER_SECOND);

  constructor(
    private readonly config: () => Consumer,
    private readonly emit: (event: EventPayload) => void,
  ) {}

  state(): ConsumerState {
    const { id, name, queue } = this.config();
    return {
      consumerId: id,
      name,
      queue,
      status: this.status,
      ...this.counts,
      ...(this.error === undefined ? {} : { error: this.error }),
    };
  }

  /** A new status; `error` says why, for status error only. */
  set(status: ConsumerStatus, error?: string): void {
    this.status = status;
    this.error = status === 'error' ? error : undefined;
    this.changed();
  }

  changed(): void {
    this.events.changed();
  }

  /** Sends a pending change now (the consumer stops). */
  flush(): void {
    this.events.flush();
  }

  private send(): void {
    const { name: _name, queue: _queue, ...state } = this.state();
    const snapshot = JSON.stringify(state);
    if (snapshot === this.lastSent) return;
    this.lastSent = snapshot;
    this.emit({ type: 'consumer-state', ...state });
  }
}
