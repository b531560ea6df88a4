import { describe, expect, it } from 'vitest';
import { TraceGate } from '../../src/observation/trace-gate';

/** Records wait, in order, for their client to be known; never longer than the hold time. */

describe('TraceGate', () => {
  it('lets ready items through at once and holds the rest, in order, until ready', () => {
    const known = new Set(['own']);
    const out: string[] = [];
    const gate = new TraceGate<string>(
      (item) => known.has(item.split(':')[0] ?? ''),
      (item) => out.push(item),
      500,
    );
    gate.push('own:1', 0);
    gate.push('new:1', 0);
    gate.push('own:2', 10);
    expect(out).toEqual(['own:1']);
    known.add('new');
    gate.flush(20);
    expect(out).toEqual(['own:1', 'new:1', 'own:2']);
    gate.close();
  });

  it('lets a held item go once it waited the hold time', () => {
    const out: string[] = [];
    const gate = new TraceGate<string>(
      () => false,
      (item) => out.push(item),
      500,
    );
    gate.push('a', 0);
    gate.flush(499);
    expect(out).toEqual([]);
    gate.flush(500);
    expect(out).toEqual(['a']);
    gate.close();
  });
});
