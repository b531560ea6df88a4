import type { Consumer, FailureAction } from '../model';

/** A number in [0, 1), like Math.random. */
export type RandomSource = () => number;

/**
 * A reproducible random source (mulberry32) seeded from text, so a consumer with a 30 % failure
 * rate fails the same messages each time a lesson is replayed.
 */
export function seededRandom(seed: string | number): RandomSource {
  let state = typeof seed === 'number' ? seed >>> 0 : fnv1a(seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** How long one message takes to process: fixed (min = max) or drawn from [min, max]. */
export function processingDelayMs(range: Consumer['processingMs'], random: RandomSource): number {
  if (range === undefined) return 0;
  const low = Math.max(0, Math.min(range.min, range.max));
  const high = Math.max(0, range.min, range.max);
  if (high === low) return low;
  return low + Math.min(Math.floor(random() * (high - low + 1)), high - low);
}

/** Whether processing this message fails, for a consumer failing `failureRate` of them. */
export function processingFails(failureRate: number | undefined, random: RandomSource): boolean {
  if (failureRate === undefined || failureRate <= 0) return false;
  if (failureRate >= 1) return true;
  return random() < failureRate;
}

/** Backoff delays never exceed this, whatever the multiplier makes of them. */
export const MAX_RETRY_DELAY_MS = 600_000;

/**
 * The wait after failed attempt `attempt` (1 = the first delivery) before the next one:
 * initialIntervalMs × multiplier^(attempt − 1), so 200, 400, 800 … for 200 ms and × 2.
 */
export function retryDelayMs(
  retry: { initialIntervalMs: number; multiplier: number },
  attempt: number,
): number {
  const delay = retry.initialIntervalMs * retry.multiplier ** Math.max(0, attempt - 1);
  return Math.min(Math.round(delay), MAX_RETRY_DELAY_MS);
}

/** Every wait of a local retry policy, in order: maxAttempts − 1 of them. */
export function retrySchedule(retry: {
  initialIntervalMs: number;
  multiplier: number;
  maxAttempts: number;
}): number[] {
  return Array.from({ length: Math.max(0, retry.maxAttempts - 1) }, (_, i) =>
    retryDelayMs(retry, i + 1),
  );
}

/** One entry of the broker's `x-death` header, as far as a consumer needs it. */
export interface DeathRecord {
  queue: string;
  reason: string;
  count: number;
  exchange?: string;
  routingKeys: string[];
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return undefined;
}

function countOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  // Some clients keep typed AMQP values as { type, value }.
  if (typeof value === 'object' && value !== null && 'value' in value) return countOf(value.value);
  return 0;
}

/** The entries of an `x-death` header; anything unreadable is left out. */
export function deathRecords(headers: Record<string, unknown> | undefined): DeathRecord[] {
  const deaths = headers?.['x-death'];
  if (!Array.isArray(deaths)) return [];
  const records: DeathRecord[] = [];
  for (const entry of deaths as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const table = entry as Record<string, unknown>;
    const queue = textOf(table.queue);
    const reason = textOf(table.reason);
    if (queue === undefined || reason === undefined) continue;
    const exchange = textOf(table.exchange);
    const keys = Array.isArray(table['routing-keys']) ? (table['routing-keys'] as unknown[]) : [];
    records.push({
      queue,
      reason,
      count: countOf(table.count),
      ...(exchange === undefined ? {} : { exchange }),
      routingKeys: keys.map(textOf).filter((k): k is string => k !== undefined),
    });
  }
  return records;
}

/**
 * How many times a message was already rejected from `queue` (the broker counts each time it
 * dead-letters a message from a queue for a reason). A delayed retry counts its retries with it.
 */
export function rejectedCount(headers: Record<string, unknown> | undefined, queue: string): number {
  return deathRecords(headers)
    .filter((d) => d.queue === queue && d.reason === 'rejected')
    .reduce((sum, d) => sum + d.count, 0);
}

/** What a consumer does with a message whose processing just failed. */
export type FailureStep =
  /** basic.nack with requeue: back to the queue, delivered again (redelivered). */
  | { kind: 'requeue'; reason: string }
  /** basic.reject without requeue: dead-lettered when the queue has a DLX, dropped otherwise. */
  | { kind: 'reject'; reason: string }
  /** Try again in the consumer after `delayMs`; `attempt` is the number of the next try. */
  | { kind: 'retry'; attempt: number; delayMs: number }
  /** Publish a copy to `exchange` with `routingKey`, then basic.ack the original. */
  | {
      kind: 'republish';
      to: 'error' | 'parking';
      exchange: string;
      routingKey: string;
      reason: string;
    };

export interface FailureContext {
  /** The attempt that failed: 1 for the first try of this delivery. */
  attempt: number;
  /** Times the broker already dead-lettered this message from the consumer's queue as rejected. */
  rejectedBefore: number;
  /** The routing key the message was delivered with. */
  routingKey: string;
}

/**
 * The next step after a failed attempt, per the consumer's failure action. Without an action a
 * failed message is requeued, as most client libraries do when a handler throws.
 */
export function afterFailure(
  action: FailureAction | undefined,
  context: FailureContext,
): FailureStep {
  switch (action?.kind) {
    case undefined:
    case 'requeue':
      return { kind: 'requeue', reason: 'processing failed; requeued' };
    case 'reject':
      return { kind: 'reject', reason: 'processing failed; rejected without requeue' };
    case 'retry': {
      if (context.attempt < action.maxAttempts) {
        return {
          kind: 'retry',
          attempt: context.attempt + 1,
          delayMs: retryDelayMs(action, context.attempt),
        };
      }
      const tries = `${action.maxAttempts} attempt${action.maxAttempts === 1 ? '' : 's'}`;
      if (action.recoverer === 'republish' && action.errorExchange !== undefined) {
        return {
          kind: 'republish',
          to: 'error',
          exchange: action.errorExchange,
          routingKey: action.errorRoutingKey ?? context.routingKey,
          reason: `failed ${tries}; republished to error exchange '${action.errorExchange}'`,
        };
      }
      if (action.recoverer === 'republish') {
        return {
          kind: 'reject',
          reason: `failed ${tries}; no error exchange is set to republish to, so rejected`,
        };
      }
      return { kind: 'reject', reason: `failed ${tries}; rejected by the recoverer` };
    }
    case 'delayed-retry': {
      if (context.rejectedBefore < action.maxRetries) {
        const retry = context.rejectedBefore + 1;
        return {
          kind: 'reject',
          reason: `processing failed; rejected to the retry queue (retry ${retry} of ${action.maxRetries})`,
        };
      }
      return {
        kind: 'republish',
        to: 'parking',
        exchange: action.parkingExchange,
        routingKey: action.parkingRoutingKey ?? context.routingKey,
        reason: `failed after ${action.maxRetries} retr${action.maxRetries === 1 ? 'y' : 'ies'}; parked on '${action.parkingExchange}'`,
      };
    }
  }
}
