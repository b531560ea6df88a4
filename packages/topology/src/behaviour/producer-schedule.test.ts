import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messagesDue, planTicks, tickAt, tickIntervalMs, ticksDue } from './producer-schedule';

describe('producer pace', () => {
  it('spaces ticks by burst / rate', () => {
    expect(tickIntervalMs({ ratePerSecond: 200 })).toBe(5);
    expect(tickIntervalMs({ ratePerSecond: 100, burst: 10 })).toBe(100);
    expect(tickIntervalMs({ ratePerSecond: 0.5 })).toBe(2000);
  });

  it('sends the first tick at once and then one per interval', () => {
    const pace = { ratePerSecond: 10 };
    expect(ticksDue(0, pace)).toBe(1);
    expect(ticksDue(99, pace)).toBe(1);
    expect(ticksDue(100, pace)).toBe(2);
    expect(ticksDue(999, pace)).toBe(10);
    expect(tickAt(3, pace)).toBe(300);
    expect(ticksDue(-5, pace)).toBe(0);
    expect(ticksDue(100, { ratePerSecond: 0 })).toBe(0);
  });

  it('counts a tick due at exactly its time despite rounding', () => {
    const pace = { ratePerSecond: 30 };
    for (let tick = 0; tick < 1000; tick++)
      expect(ticksDue(tickAt(tick, pace), pace)).toBe(tick + 1);
  });

  it('sends rate × seconds messages over a second, in whole bursts', () => {
    expect(messagesDue(999.9, { ratePerSecond: 200 })).toBe(200);
    expect(messagesDue(999.9, { ratePerSecond: 1000, burst: 50 })).toBe(1000);
    expect(messagesDue(999.9, { ratePerSecond: 5, burst: 2 })).toBe(6);
  });

  it('does not drift however late the timer fires', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 300 }),
        (rate, delays) => {
          const pace = { ratePerSecond: rate };
          let now = 0;
          let done = 0;
          for (const delay of delays) {
            const plan = planTicks(now, done, pace, Number.POSITIVE_INFINITY);
            done += plan.send;
            now += delay;
          }
          done += planTicks(now, done, pace, Number.POSITIVE_INFINITY).send;
          expect(done).toBe(ticksDue(now, pace));
        },
      ),
    );
  });
});

describe('planTicks', () => {
  const pace = { ratePerSecond: 100 };

  it('sends every due tick while the lag is small', () => {
    expect(planTicks(0, 0, pace)).toEqual({ send: 1, skipped: 0 });
    expect(planTicks(55, 1, pace)).toEqual({ send: 5, skipped: 0 });
    expect(planTicks(55, 6, pace)).toEqual({ send: 0, skipped: 0 });
  });

  it('goes on from now after falling more than the allowed lag behind', () => {
    expect(planTicks(5000, 1, pace, 1000)).toEqual({ send: 1, skipped: 499 });
  });
});
