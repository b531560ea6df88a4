export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Up to this share of each wait is taken off at random (0 waits exactly, 1 may not wait). */
  jitter?: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 5000, jitter: 0.5 };

/**
 * Waits that double from `initialMs` up to `maxMs`, each shortened at random: clients cut off
 * at the same moment (a broker restart, a killed vhost) do not all come back at the same moment.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions = DEFAULT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  /** The wait before the next attempt. */
  next(): number {
    const { initialMs, maxMs, jitter = 0.5 } = this.options;
    const full = Math.min(maxMs, initialMs * 2 ** this.attempt);
    this.attempt += 1;
    return Math.round(full * (1 - jitter * this.random()));
  }

  /** After a success the next failure waits the shortest time again. */
  reset(): void {
    this.attempt = 0;
  }
}
