import { describe, expect, it } from 'vitest';
import { headlines, markdown, numericLeaves, parseBenchOutput } from './results';

const machine = {
  cpu: 'Test CPU',
  cores: 2,
  memoryGb: 24,
  node: 'v22.0.0',
  rabbitmq: '3.13.0',
  loadAverage1m: 1.5,
  at: '2026-12-07 06:00 UTC',
};

describe('bench results', () => {
  it('finds every number by its path', () => {
    expect(numericLeaves({ a: 1, b: { c: 2, d: 'x' }, e: [3] })).toEqual([
      ['a', 1],
      ['b.c', 2],
      ['e.0', 3],
    ]);
  });

  it('picks the headline figures of a known bench, wildcards included', () => {
    const result = {
      latencyMs: { sqlite: { save: { p50: 2, p95: 5 } }, postgres: { save: { p50: 3, p95: 7 } } },
      diagrams: 1000,
    };
    expect(headlines('diagrams', result)).toEqual([
      ['latencyMs.sqlite.save.p50', 2],
      ['latencyMs.postgres.save.p50', 3],
      ['latencyMs.sqlite.save.p95', 5],
      ['latencyMs.postgres.save.p95', 7],
    ]);
  });

  it('shows an unknown bench by its first numbers and a failed one as such', () => {
    const table = markdown(
      [
        { name: 'new', ok: true, seconds: 3, result: { rate: 1234.567 } },
        { name: 'broken', ok: false, seconds: 12 },
      ],
      machine,
    );
    expect(table).toContain('| new | `rate` | 1234.57 |');
    expect(table).toContain('| broken | did not finish (12 s) | — |');
    expect(table).toContain('2 × Test CPU');
  });

  it('reads the JSON a bench printed after any stray line', () => {
    expect(parseBenchOutput('warming up\n{"a": 1}\n')).toEqual({ a: 1 });
    expect(parseBenchOutput('no json')).toBeUndefined();
  });
});
