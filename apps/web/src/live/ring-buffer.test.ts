import { describe, expect, it } from 'vitest';
import { RingBuffer } from './ring-buffer';

describe('RingBuffer', () => {
  it('holds items oldest first until it is full', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.toArray()).toEqual([]);
    expect(ring.push(1)).toBeUndefined();
    expect(ring.push(2)).toBeUndefined();
    expect(ring.toArray()).toEqual([1, 2]);
    expect(ring.size).toBe(2);
  });

  it('overwrites the oldest item when full and hands it back', () => {
    const ring = new RingBuffer<number>(3);
    for (const n of [1, 2, 3]) ring.push(n);
    expect(ring.push(4)).toBe(1);
    expect(ring.push(5)).toBe(2);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.size).toBe(3);
  });

  it('stays bounded over many pushes', () => {
    const ring = new RingBuffer<number>(500);
    for (let n = 0; n < 10_000; n += 1) ring.push(n);
    expect(ring.size).toBe(500);
    const items = ring.toArray();
    expect(items[0]).toBe(9_500);
    expect(items.at(-1)).toBe(9_999);
  });

  it('reads an item by age, newest first', () => {
    const ring = new RingBuffer<string>(2);
    ring.push('a');
    ring.push('b');
    ring.push('c');
    expect(ring.fromNewest(0)).toBe('c');
    expect(ring.fromNewest(1)).toBe('b');
    expect(ring.fromNewest(2)).toBeUndefined();
    expect(ring.fromNewest(-1)).toBeUndefined();
  });

  it('empties on clear', () => {
    const ring = new RingBuffer<number>(2);
    ring.push(1);
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.toArray()).toEqual([]);
    ring.push(2);
    expect(ring.toArray()).toEqual([2]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(/capacity/);
    expect(() => new RingBuffer(1.5)).toThrow(/capacity/);
  });
});
