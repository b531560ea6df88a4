/**
 * Which messages get a moving dot. Above a few messages a second on one line, dots would only
 * be a blur that costs frames, so each line (a producer, an outside client, an edge) draws at
 * most `perSecond` dots a second, with a small burst allowance. Counts never depend on this.
 * Pure: the caller passes the time.
 */
export class DotSampler {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  /** Messages that got no dot, since the page opened. */
  skipped = 0;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly maxKeys = 2000,
  ) {}

  /** Whether a message on line `key` at time `now` (ms) gets a dot. */
  take(key: string, now: number): boolean {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.buckets.clear();
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(key, bucket);
    } else {
      const refill = ((now - bucket.at) / 1000) * this.perSecond;
      bucket.tokens = Math.min(this.burst, bucket.tokens + refill);
      bucket.at = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    this.skipped += 1;
    return false;
  }
}
