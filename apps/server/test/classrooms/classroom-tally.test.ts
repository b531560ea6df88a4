import { describe, expect, it } from 'vitest';
import { questionWithTally } from '../../src/teaching/classroom-tally';

const stored = {
  id: 'q1',
  message: { exchange: 'demo.topic', routingKey: 'order.x' },
  askedAt: '2026-01-01T00:00:00.000Z',
  revealed: null,
};

describe('the tally of a question', () => {
  it('groups predictions as sets, most chosen first, "nowhere" included', () => {
    const question = questionWithTally({
      ...stored,
      answers: [['b', 'a'], ['a', 'b', 'a'], [], ['a'], ['a', 'b']],
    });
    expect(question.answers).toBe(5);
    expect(question.tally).toEqual([
      { queues: ['a', 'b'], count: 3 },
      { queues: [], count: 1 },
      { queues: ['a'], count: 1 },
    ]);
    expect(question.revealed).toBeNull();
  });

  it("marks the rows that match the broker's routing once revealed, and counts them", () => {
    const revealed = { routedQueues: ['a'], messageId: 'm1', at: '2026-01-01T00:00:01.000Z' };
    const question = questionWithTally({ ...stored, revealed, answers: [['a'], ['a'], ['b']] });
    expect(question.tally).toEqual([
      { queues: ['a'], count: 2, correct: true },
      { queues: ['b'], count: 1, correct: false },
    ]);
    expect(question.revealed).toEqual({ ...revealed, correct: 2 });
    const nowhere = questionWithTally({
      ...stored,
      revealed: { ...revealed, routedQueues: [] },
      answers: [[], ['a']],
    });
    expect(nowhere.revealed?.correct).toBe(1);
    expect(nowhere.tally.find((r) => r.queues.length === 0)?.correct).toBe(true);
  });
});
