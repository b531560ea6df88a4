import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttle } from './throttle';

describe('throttle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the first value at once and the newest of a burst once after', () => {
    const sent: number[] = [];
    const t = throttle((v: number) => sent.push(v), 150);
    t.push(1);
    t.push(2);
    t.push(3);
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(149);
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([1, 3]);
  });

  it('sends at most once per interval under a steady stream', () => {
    const sent: number[] = [];
    const t = throttle((v: number) => sent.push(v), 150);
    for (let i = 0; i < 60; i++) {
      t.push(i);
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(200);
    expect(sent.length).toBeLessThanOrEqual(6);
    expect(sent.at(-1)).toBe(59);
  });

  it('flushes and cancels', () => {
    const sent: number[] = [];
    const t = throttle((v: number) => sent.push(v), 150);
    t.push(1);
    t.push(2);
    t.flush();
    expect(sent).toEqual([1, 2]);
    vi.advanceTimersByTime(100);
    t.push(3);
    t.cancel();
    vi.advanceTimersByTime(500);
    expect(sent).toEqual([1, 2]);
  });
});
