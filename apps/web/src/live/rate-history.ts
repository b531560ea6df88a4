/**
 * Short histories of live figures (a queue's depth, an exchange's messages in and out), one
 * sample a second, for the sparklines on the canvas. Pure: the caller feeds samples.
 */

export const HISTORY_SECONDS = 60;

export class SeriesHistory {
  private readonly series = new Map<string, number[]>();

  constructor(private readonly length = HISTORY_SECONDS) {}

  /** Appends one sample to each named series; series not sampled this time are dropped. */
  push(samples: ReadonlyMap<string, number>): void {
    for (const key of this.series.keys()) if (!samples.has(key)) this.series.delete(key);
    for (const [key, value] of samples) {
      const previous = this.series.get(key) ?? [];
      const next = previous.length >= this.length ? previous.slice(1) : previous.slice();
      next.push(value);
      this.series.set(key, next);
    }
  }

  /** The samples of one series, oldest first (the same array until the next push). */
  get(key: string): readonly number[] {
    return this.series.get(key) ?? EMPTY;
  }

  clear(): void {
    this.series.clear();
  }
}

const EMPTY: readonly number[] = [];

/**
 * Per-second rates from running totals: the difference to the previous total. A total that
 * went down (counters restarted) counts as a fresh start.
 */
export class RateMeter {
  private readonly last = new Map<string, number>();

  rates(totals: ReadonlyMap<string, number>, seconds: number): Map<string, number> {
    const rates = new Map<string, number>();
    for (const [key, total] of totals) {
      const before = this.last.get(key);
      const delta = before === undefined || total < before ? 0 : total - before;
      rates.set(key, seconds > 0 ? delta / seconds : 0);
      this.last.set(key, total);
    }
    for (const key of this.last.keys()) if (!totals.has(key)) this.last.delete(key);
    return rates;
  }
}

/** The points of an SVG polyline for `values` in a `width` × `height` box (0 at the bottom). */
export function sparklinePoints(values: readonly number[], width: number, height: number): string {
  if (values.length === 0) return '';
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (HISTORY_SECONDS - 1) : 0;
  const offset = width - step * (values.length - 1);
  return values
    .map((v, i) => {
      const x = offset + i * step;
      const y = height - 1 - (v / max) * (height - 2);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}
