import { describe, expect, it } from 'vitest';
import { parsePace, pauseFor, readingTime } from './pace.js';

describe('pacing', () => {
  it('runs as a test at pace 0: no pauses, no reading time', () => {
    expect(pauseFor(1_000, 0)).toBe(0);
    expect(readingTime('A caption people would read', 0)).toBe(0);
  });

  it('scales pauses with the pace', () => {
    expect(pauseFor(800, 1)).toBe(800);
    expect(pauseFor(800, 1.5)).toBe(1_200);
    expect(pauseFor(-5, 1)).toBe(0);
  });

  it('leaves time to read a caption by its words, within bounds', () => {
    expect(readingTime('Short', 1)).toBe(1_800);
    const thirty = Array.from({ length: 30 }, () => 'word').join(' ');
    expect(readingTime(thirty, 1)).toBe(9_000);
    const twelve = Array.from({ length: 12 }, () => 'word').join(' ');
    expect(readingTime(twelve, 1)).toBe(4_600);
    expect(readingTime(twelve, 2)).toBe(9_200);
  });

  it('reads a pace from text and refuses nonsense', () => {
    expect(parsePace(undefined)).toBe(0);
    expect(parsePace('', 1)).toBe(1);
    expect(parsePace('1.5')).toBe(1.5);
    expect(() => parsePace('fast')).toThrow(/pace must be a number from 0 to 10, got "fast"/);
    expect(() => parsePace('-1')).toThrow(/pace/);
  });
});
