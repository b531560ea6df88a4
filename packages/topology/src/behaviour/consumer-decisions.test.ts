import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FailureAction } from '../model';
import {
  afterFailure,
  deathRecords,
  MAX_RETRY_DELAY_MS,
  processingDelayMs,
  processingFails,
  rejectedCount,
  retryDelayMs,
  retrySchedule,
  seededRandom,
} from './consumer-decisions';

describe('seededRandom', () => {
  it('repeats itself for one seed and stays in [0, 1)', () => {
    const a = seededRandom('session:consumer');
    const b = seededRandom('session:consumer');
    const drawn = Array.from({ length: 1000 }, () => a());
    expect(drawn).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(drawn.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRandom('other')()).not.toBe(drawn[0]);
  });
});

describe('processingDelayMs', () => {
  it('is 0 without a processing time and fixed when min = max', () => {
    expect(processingDelayMs(undefined, Math.random)).toBe(0);
    expect(processingDelayMs({ min: 40, max: 40 }, Math.random)).toBe(40);
  });

  it('draws whole milliseconds from the range, both ends included', () => {
    expect(processingDelayMs({ min: 10, max: 20 }, () => 0)).toBe(10);
    expect(processingDelayMs({ min: 10, max: 20 }, () => 0.999999)).toBe(20);
    // A reversed range is read the way round that makes sense.
    expect(processingDelayMs({ min: 20, max: 10 }, () => 0)).toBe(10);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (a, b, r) => {
          const delay = processingDelayMs({ min: a, max: b }, () => r);
          return Number.isInteger(delay) && delay >= Math.min(a, b) && delay <= Math.max(a, b);
        },
      ),
    );
  });
});

describe('processingFails', () => {
  it('never fails at 0 and always at 1', () => {
    const random = seededRandom(1);
    expect(Array.from({ length: 100 }, () => processingFails(0, random)).some(Boolean)).toBe(false);
    expect(processingFails(undefined, random)).toBe(false);
    expect(Array.from({ length: 100 }, () => processingFails(1, random)).every(Boolean)).toBe(true);
  });

  it('fails about the given share of messages', () => {
    const random = seededRandom('rate');
    const failed = Array.from({ length: 10_000 }, () => processingFails(0.3, random)).filter(
      Boolean,
    ).length;
    expect(failed).toBeGreaterThan(2800);
    expect(failed).toBeLessThan(3200);
  });
});

describe('retryDelayMs', () => {
  it('grows by the multiplier from the initial interval', () => {
    const retry = { initialIntervalMs: 200, multiplier: 2 };
    expect([1, 2, 3, 4].map((a) => retryDelayMs(retry, a))).toEqual([200, 400, 800, 1600]);
    expect(retrySchedule({ ...retry, maxAttempts: 3 })).toEqual([200, 400]);
    expect(retrySchedule({ ...retry, maxAttempts: 1 })).toEqual([]);
    expect(retryDelayMs({ initialIntervalMs: 100, multiplier: 1.5 }, 3)).toBe(225);
  });

  it('is capped', () => {
    expect(retryDelayMs({ initialIntervalMs: 60_000, multiplier: 10 }, 20)).toBe(
      MAX_RETRY_DELAY_MS,
    );
  });
});

describe('x-death', () => {
  const headers = {
    'x-death': [
      {
        count: 2,
        reason: 'expired',
        queue: 'work.retry',
        exchange: 'retry',
        'routing-keys': ['task'],
        time: { '!': 'timestamp', value: 1 },
      },
      { count: 3, reason: 'rejected', queue: 'work', exchange: 'work.x', 'routing-keys': ['task'] },
      { count: BigInt(1), reason: 'rejected', queue: 'other', 'routing-keys': [] },
      'not a table',
      { count: 1, queue: 'no reason' },
    ],
  };

  it('reads the entries the broker wrote', () => {
    expect(deathRecords(headers)).toEqual([
      {
        queue: 'work.retry',
        reason: 'expired',
        count: 2,
        exchange: 'retry',
        routingKeys: ['task'],
      },
      { queue: 'work', reason: 'rejected', count: 3, exchange: 'work.x', routingKeys: ['task'] },
      { queue: 'other', reason: 'rejected', count: 1, routingKeys: [] },
    ]);
    expect(deathRecords(undefined)).toEqual([]);
    expect(deathRecords({ 'x-death': 'nonsense' })).toEqual([]);
  });

  it('counts rejections from one queue only', () => {
    expect(rejectedCount(headers, 'work')).toBe(3);
    expect(rejectedCount(headers, 'work.retry')).toBe(0);
    expect(rejectedCount(undefined, 'work')).toBe(0);
  });
});

describe('afterFailure', () => {
  const context = { attempt: 1, rejectedBefore: 0, routingKey: 'order.created' };

  it('requeues without an action, and for requeue', () => {
    expect(afterFailure(undefined, context).kind).toBe('requeue');
    expect(afterFailure({ kind: 'requeue' }, context).kind).toBe('requeue');
    expect(afterFailure({ kind: 'reject' }, context).kind).toBe('reject');
  });

  it('retries locally with backoff, then hands the message to the recoverer', () => {
    const retry: FailureAction = {
      kind: 'retry',
      initialIntervalMs: 100,
      multiplier: 3,
      maxAttempts: 3,
      recoverer: 'republish',
      errorExchange: 'error.direct',
    };
    expect(afterFailure(retry, context)).toEqual({ kind: 'retry', attempt: 2, delayMs: 100 });
    expect(afterFailure(retry, { ...context, attempt: 2 })).toEqual({
      kind: 'retry',
      attempt: 3,
      delayMs: 300,
    });
    expect(afterFailure(retry, { ...context, attempt: 3 })).toMatchObject({
      kind: 'republish',
      to: 'error',
      exchange: 'error.direct',
      routingKey: 'order.created',
    });
    expect(
      afterFailure({ ...retry, errorRoutingKey: 'error' }, { ...context, attempt: 3 }),
    ).toMatchObject({ routingKey: 'error' });
    expect(afterFailure({ ...retry, recoverer: 'reject' }, { ...context, attempt: 3 }).kind).toBe(
      'reject',
    );
    const { errorExchange: _, ...withoutExchange } = retry;
    expect(afterFailure(withoutExchange, { ...context, attempt: 3 })).toMatchObject({
      kind: 'reject',
      reason: expect.stringContaining('no error exchange') as unknown,
    });
  });

  it('rejects to the retry queue until maxRetries, then parks (1 + 3 visits for 3)', () => {
    const action: FailureAction = {
      kind: 'delayed-retry',
      maxRetries: 3,
      parkingExchange: 'parking',
    };
    const steps = [0, 1, 2, 3].map((rejectedBefore) =>
      afterFailure(action, { ...context, rejectedBefore }),
    );
    expect(steps.map((s) => s.kind)).toEqual(['reject', 'reject', 'reject', 'republish']);
    expect(steps[3]).toMatchObject({
      to: 'parking',
      exchange: 'parking',
      routingKey: 'order.created',
    });
    expect(
      afterFailure({ ...action, parkingRoutingKey: 'parked' }, { ...context, rejectedBefore: 5 }),
    ).toMatchObject({ routingKey: 'parked' });
    expect(afterFailure({ ...action, maxRetries: 0 }, context).kind).toBe('republish');
  });
});
