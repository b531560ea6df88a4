import { describe, expect, it } from 'vitest';
import { sampleCubic } from './edge-geometry';

describe('sampleCubic', () => {
  it('samples a straight cubic at even distances', () => {
    const samples = sampleCubic('M0,0 C10,0 20,0 30,0', 3);
    expect(samples).toBeDefined();
    const xs = Array.from(samples ?? [], (v, i) => (i % 2 === 0 ? v : null)).filter(
      (v) => v !== null,
    );
    expect(xs.map((x) => Math.round(x))).toEqual([0, 10, 20, 30]);
  });

  it('ends exactly at both ends of a curve, and spaces points evenly along it', () => {
    const samples = sampleCubic('M100,50 C200,50 150,300 250,300', 8) ?? new Float64Array();
    expect([samples[0], samples[1]]).toEqual([100, 50]);
    expect(samples[16]).toBeCloseTo(250);
    expect(samples[17]).toBeCloseTo(300);
    const steps = [];
    for (let i = 1; i <= 8; i++)
      steps.push(
        Math.hypot(
          (samples[i * 2] ?? 0) - (samples[i * 2 - 2] ?? 0),
          (samples[i * 2 + 1] ?? 0) - (samples[i * 2 - 1] ?? 0),
        ),
      );
    const mean = steps.reduce((a, b) => a + b, 0) / steps.length;
    for (const step of steps) expect(Math.abs(step - mean) / mean).toBeLessThan(0.05);
  });

  it('leaves other paths to the DOM', () => {
    expect(sampleCubic('M0,0 L10,10')).toBeUndefined();
  });
});
