/**
 * Keeps the firehose's records in order while one waits for its client to be known. A client
 * outside Warren is drawn with who it is (its connection name, product), which the broker's
 * `connection.created` event tells; that event and the client's first publish come on different
 * streams, so under load the publish may come first. Then it and everything after it wait, at
 * most HOLD_MS, so the client's node is announced with its name before any event names it.
 */

/**
 * The event comes within milliseconds on a quiet broker; the bound matters only when the event
 * feed lags (a loaded machine). Giving up too early draws the client without its identity, so a
 * program run again and again no longer folds into one node: better late than wrong.
 */
export const HOLD_MS = 2000;

export class TraceGate<T> {
  private readonly held: { item: T; until: number }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** Whether an item can go on now. */
    private readonly ready: (item: T) => boolean,
    private readonly process: (item: T) => void,
    private readonly holdMs = HOLD_MS,
  ) {}

  push(item: T, now = Date.now()): void {
    if (this.held.length === 0 && this.ready(item)) {
      this.process(item);
      return;
    }
    this.held.push({ item, until: now + this.holdMs });
    this.flush(now);
  }

  /** Lets through, in order, what can go on now (or has waited long enough). */
  flush(now = Date.now()): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    let head = this.held[0];
    while (head && (head.until <= now || this.ready(head.item))) {
      this.held.shift();
      this.process(head.item);
      head = this.held[0];
    }
    if (head) {
      this.timer = setTimeout(() => this.flush(), Math.max(0, head.until - now));
      this.timer.unref();
    }
  }

  close(): void {
    clearTimeout(this.timer);
    this.held.length = 0;
  }
}
