import { describe, expect, it } from 'vitest';
import { AnimationClock } from './anim-clock';
import { DotSampler } from './dot-sampler';

describe('AnimationClock', () => {
  it('runs at wall-clock speed by default', () => {
    const clock = new AnimationClock(1000);
    expect(clock.now(1500) - clock.now(1000)).toBe(500);
  });

  it('slows down from the moment the speed changes, keeping the time so far', () => {
    const clock = new AnimationClock(0);
    clock.set(1000, 0.25, false);
    expect(clock.now(1000)).toBe(1000);
    expect(clock.now(2000)).toBe(1250);
    expect(clock.realMs(500)).toBe(2000);
  });

  it('stands still while paused and goes on from there on resume', () => {
    const clock = new AnimationClock(0);
    clock.set(100, 1, true);
    expect(clock.now(5000)).toBe(100);
    expect(clock.isPaused).toBe(true);
    clock.set(5000, 1, false);
    expect(clock.now(5100)).toBe(200);
  });
});

describe('DotSampler', () => {
  it('lets a burst through, then the rate per line', () => {
    const sampler = new DotSampler(4, 2);
    expect([0, 0, 0].map(() => sampler.take('p1', 0))).toEqual([true, true, false]);
    expect(sampler.take('p1', 100)).toBe(false);
    expect(sampler.take('p1', 250)).toBe(true);
    expect(sampler.skipped).toBe(2);
  });

  it('keeps lines apart', () => {
    const sampler = new DotSampler(1, 1);
    expect(sampler.take('a', 0)).toBe(true);
    expect(sampler.take('b', 0)).toBe(true);
    expect(sampler.take('a', 10)).toBe(false);
  });
});
