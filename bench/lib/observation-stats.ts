/** Small statistics for bench/observation.ts: latency percentiles and memory samples. */

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const round = (value: number) => Math.round(value * 10) / 10;

/** Percentiles of latencies in milliseconds (nearest rank). */
export function latencySummary(values: number[]): LatencySummary {
  if (values.length === 0) return { count: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN };
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  return {
    count: sorted.length,
    p50: round(at(0.5) ?? NaN),
    p95: round(at(0.95) ?? NaN),
    p99: round(at(0.99) ?? NaN),
    max: round(sorted[sorted.length - 1] ?? NaN),
  };
}

export interface MemorySummary {
  startMb: number;
  endMb: number;
  maxMb: number;
  samples: number;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Resident set size of this process, sampled on a timer. */
/**
 * The heap in use right after a full collection, when node runs with --expose-gc (undefined
 * otherwise): what the server really keeps, which RSS hides under what the collector has not
 * returned yet.
 */
export function heapAfterGcMb(): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return undefined;
  gc();
  return mb(process.memoryUsage().heapUsed);
}

export class RssSampler {
  private readonly samples: number[] = [];
  private timer: NodeJS.Timeout | undefined;

  start(intervalMs = 1000): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  sample(): number {
    const rss = process.memoryUsage().rss;
    this.samples.push(rss);
    return rss;
  }

  /** Summary of the samples taken since index `from` (see `mark`). */
  summary(from = 0, to = this.samples.length): MemorySummary {
    const slice = this.samples.slice(from, to);
    return {
      startMb: mb(slice[0] ?? 0),
      endMb: mb(slice[slice.length - 1] ?? 0),
      maxMb: mb(Math.max(0, ...slice)),
      samples: slice.length,
    };
  }

  /** Index of the next sample, to summarize a stretch of the run later. */
  mark(): number {
    this.sample();
    return this.samples.length - 1;
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }
}
