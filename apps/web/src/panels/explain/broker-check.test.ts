import type { Explanation } from '@warren/topology';
import { describe, expect, it } from 'vitest';
import { compareWithBroker } from './broker-check';

function explanation(patch: Partial<Explanation>): Explanation {
  return {
    message: { exchange: 'x', routingKey: 'k' },
    hops: [],
    queues: [],
    hashChoices: [],
    unroutable: false,
    returned: false,
    fates: [],
    summary: '',
    ...patch,
  };
}

const broker = (routedQueues: string[], returned = false) => ({
  routedQueues,
  returned,
  messageId: 'm1',
  at: 1,
});

describe('compareWithBroker', () => {
  it('agrees when the broker routed to exactly the predicted queues, in any order', () => {
    const result = compareWithBroker(
      { ok: true, explanation: explanation({ queues: ['a', 'b'] }) },
      broker(['b', 'a']),
    );
    expect(result.agreed).toBe(true);
    expect(result.brokerQueues).toEqual(['a', 'b']);
  });

  it('disagrees on a missing or an extra queue', () => {
    const predicted = { ok: true as const, explanation: explanation({ queues: ['a', 'b'] }) };
    expect(compareWithBroker(predicted, broker(['a'])).agreed).toBe(false);
    expect(compareWithBroker(predicted, broker(['a', 'b', 'c'])).agreed).toBe(false);
  });

  it("compares with the explainer's forecast of the broker's routed queues when it has one", () => {
    // The default exchange with a routing key no queue has: the broker lists it, nothing gets it.
    const predicted = {
      ok: true as const,
      explanation: explanation({
        queues: [],
        routedQueues: ['nowhere'],
        unroutable: true,
        returned: true,
      }),
    };
    const result = compareWithBroker(predicted, broker(['nowhere'], true));
    expect(result.agreed).toBe(true);
    expect(result.predictedQueues).toEqual(['nowhere']);
    expect(compareWithBroker(predicted, broker([], true)).agreed).toBe(false);
  });

  it('accepts exactly one queue of each consistent-hash choice', () => {
    const predicted = {
      ok: true as const,
      explanation: explanation({
        queues: ['audit'],
        hashChoices: [{ exchange: 'h', queues: ['s1', 's2'] }],
      }),
    };
    expect(compareWithBroker(predicted, broker(['audit', 's2'])).agreed).toBe(true);
    expect(compareWithBroker(predicted, broker(['audit'])).agreed).toBe(false);
    expect(compareWithBroker(predicted, broker(['audit', 's1', 's2'])).agreed).toBe(false);
  });

  it('takes the possible outcomes as they are, when the explainer lists them', () => {
    const predicted = {
      ok: true as const,
      explanation: explanation({
        queues: [],
        hashChoices: [{ exchange: 'h', queues: ['s1', 'x1', 'x2'] }],
        outcomes: [['s1'], ['x1', 'x2']],
      }),
    };
    expect(compareWithBroker(predicted, broker(['x2', 'x1'])).agreed).toBe(true);
    expect(compareWithBroker(predicted, broker(['s1'])).agreed).toBe(true);
    expect(compareWithBroker(predicted, broker(['x1'])).agreed).toBe(false);
  });

  it('holds a return against the prediction', () => {
    const returned = {
      ok: true as const,
      explanation: explanation({ unroutable: true, returned: true }),
    };
    expect(compareWithBroker(returned, broker([], true)).agreed).toBe(true);
    expect(compareWithBroker(returned, broker([], false)).agreed).toBe(false);
  });

  it('cannot agree without a prediction, and says why', () => {
    const result = compareWithBroker({ ok: false, problem: 'no explainer' }, broker(['a']));
    expect(result).toMatchObject({ agreed: false, problem: 'no explainer', brokerQueues: ['a'] });
  });
});
