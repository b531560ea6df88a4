import { describe, expect, it } from 'vitest';
import { ExistingQueues } from '../../src/observation/existing-queues';

/** Which routed names exist: the topology's, the broker's events', else the broker's answer. */
function queues(known: string[], onBroker: string[]) {
  const asked: string[] = [];
  const existing = new ExistingQueues({
    known: () => new Set(known),
    exists: async (name) => {
      asked.push(name);
      return onBroker.includes(name);
    },
  });
  return { existing, asked };
}

describe('existing queues', () => {
  it('takes the topology’s queues as they are, and asks the broker about others', async () => {
    const { existing, asked } = queues(['orders'], ['audit']);
    expect(existing.filter(['orders'])).toEqual(['orders']);
    expect(await existing.filter(['orders', 'audit', 'no-such-queue'])).toEqual([
      'orders',
      'audit',
    ]);
    expect(asked).toEqual(['audit', 'no-such-queue']);
  });

  it('counts a queue the broker reported created, and for a moment after its deletion', async () => {
    const { existing, asked } = queues([], []);
    existing.event('created', 'amq.gen-reply', 1000);
    expect(existing.filter(['amq.gen-reply'], 1500)).toEqual(['amq.gen-reply']);
    existing.event('deleted', 'amq.gen-reply', 2000);
    expect(existing.filter(['amq.gen-reply'], 4000)).toEqual(['amq.gen-reply']);
    expect(asked).toEqual([]);
    // Long after, a publish to it is asked about again, and the broker says it is gone.
    expect(await existing.filter(['amq.gen-reply'], 60_000)).toEqual([]);
    expect(asked).toEqual(['amq.gen-reply']);
  });
});
