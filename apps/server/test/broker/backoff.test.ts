import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Backoff } from '../../src/broker/backoff';
import { sleep, unlessAborted } from '../../src/broker/waits';

describe('Backoff', () => {
  it('doubles from the first wait up to the longest, and starts over after a reset', () => {
    const exact = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
    expect(Array.from({ length: 6 }, () => exact.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
    exact.reset();
    expect(exact.next()).toBe(100);
  });

  it('takes up to the jitter share off each wait, at random', () => {
    const lowest = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0.5 }, () => 1);
    expect([lowest.next(), lowest.next()]).toEqual([50, 100]);
    const highest = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0.5 }, () => 0);
    expect([highest.next(), highest.next()]).toEqual([100, 200]);
    const random = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0.5 });
    const waits = Array.from({ length: 200 }, () => {
      random.reset();
      return random.next();
    });
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...waits)).toBeLessThanOrEqual(100);
    // Clients cut off together do not all come back at the same moment.
    expect(new Set(waits).size).toBeGreaterThan(10);
  });

  it('never overflows after very many attempts', () => {
    const backoff = new Backoff({ initialMs: 200, maxMs: 5000, jitter: 0 });
    for (let i = 0; i < 5000; i++) backoff.next();
    expect(backoff.next()).toBe(5000);
  });
});

describe('sleep', () => {
  it('removes its abort listener when the timer fires, however many retries share the signal', async () => {
    const closing = new AbortController();
    for (let retry = 0; retry < 1000; retry++) {
      const wait = sleep(0, closing.signal);
      expect(getEventListeners(closing.signal, 'abort')).toHaveLength(1);
      await wait;
      expect(getEventListeners(closing.signal, 'abort')).toHaveLength(0);
    }
  });

  it('ends at once when any of its signals aborts, and leaves no listener on either', async () => {
    const closing = new AbortController();
    const retryNow = new AbortController();
    const started = performance.now();
    const wait = sleep(60_000, closing.signal, retryNow.signal);
    retryNow.abort();
    await wait;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(getEventListeners(closing.signal, 'abort')).toHaveLength(0);
    // An aborted signal ends the next wait before it starts.
    closing.abort();
    await sleep(60_000, closing.signal);
  });
});

describe('unlessAborted', () => {
  it('settles with the promise or undefined on abort, and removes its listener', async () => {
    const stop = new AbortController();
    expect(await unlessAborted(Promise.resolve(7), stop.signal)).toBe(7);
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
    const never = new Promise<number>(() => {});
    const waiting = unlessAborted(never, stop.signal);
    stop.abort();
    expect(await waiting).toBeUndefined();
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });
});
