import { Backoff } from '../../broker/backoff';

/**
 * When a consumer opens its channel again after losing it on a connection that stayed up: after
 * a fixed delay, or after a backoff that grows with each failed try until one succeeds.
 */
export class ReopenTimer {
  private timer: NodeJS.Timeout | undefined;
  private readonly backoff = new Backoff();

  constructor(private readonly reopen: () => void) {}

  after(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.reopen(), delayMs);
    this.timer.unref();
  }

  afterBackoff(): void {
    this.after(this.backoff.next());
  }

  /** A channel is open again: the next failure waits the shortest delay. */
  succeeded(): void {
    this.backoff.reset();
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The reopen is under way (from the timer or a reconnect): a pending timer is left to run. */
  forget(): void {
    this.timer = undefined;
  }
}
