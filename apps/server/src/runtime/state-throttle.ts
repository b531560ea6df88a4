/**
 * Calls `send` at most once per `intervalMs`. A change inside the interval is sent when the
 * interval ends, so the newest state always goes out, however fast the changes come.
 */
export class StateThrottle {
  private last = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: () => void,
    private readonly intervalMs = 100,
  ) {}

  changed(): void {
    if (this.timer !== undefined) return;
    const wait = this.last + this.intervalMs - Date.now();
    if (wait <= 0) {
      this.fire();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.fire();
    }, wait);
  }

  /** Sends a pending change now. */
  flush(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.fire();
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    this.last = Date.now();
    this.send();
  }
}
