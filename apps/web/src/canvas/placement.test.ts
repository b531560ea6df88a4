import { describe, expect, it } from 'vitest';
import { findFreeSpot, type Rect } from './placement';

const size = { width: 200, height: 80 };
const clash = (a: Rect, b: Rect) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('findFreeSpot', () => {
  it('centers the node when the canvas is empty', () => {
    expect(findFreeSpot({ x: 500, y: 300 }, size, [])).toEqual({ x: 400, y: 260 });
  });

  it('never overlaps what is there and stays near the center', () => {
    const taken: Rect[] = [];
    for (let i = 0; i < 12; i++) {
      const spot = findFreeSpot({ x: 0, y: 0 }, size, taken);
      const rect = { ...spot, ...size };
      for (const other of taken) expect(clash(rect, other)).toBe(false);
      expect(Math.hypot(spot.x, spot.y)).toBeLessThan(1000);
      taken.push(rect);
    }
  });
});
