import type { Question } from '@warren/protocol';
import { describe, expect, it } from 'vitest';
import {
  describeQueues,
  followersText,
  isRightPrediction,
  predictionKey,
  rightSummary,
  tallyLines,
} from './question-logic';

const question = (patch: Partial<Question> = {}): Question => ({
  id: 'q1',
  message: { exchange: 'logs', routingKey: 'eu.error' },
  askedAt: '2026-01-01T00:00:00.000Z',
  answers: 3,
  tally: [
    { queues: ['audit', 'errors'], count: 2 },
    { queues: [], count: 1 },
  ],
  revealed: null,
  ...patch,
});

describe('predictions', () => {
  it('compares as sets', () => {
    expect(isRightPrediction(['b', 'a'], ['a', 'b'])).toBe(true);
    expect(isRightPrediction(['a', 'a'], ['a'])).toBe(true);
    expect(isRightPrediction(['a'], ['a', 'b'])).toBe(false);
    expect(isRightPrediction([], [])).toBe(true);
    expect(predictionKey(['b', 'a'])).toBe(predictionKey(['a', 'b']));
  });

  it('reads as the queues, or nowhere', () => {
    expect(describeQueues(['errors', 'audit'])).toBe('audit, errors');
    expect(describeQueues([])).toBe('nowhere');
  });
});

describe('the tally', () => {
  it('gives each prediction its share of the answers', () => {
    const lines = tallyLines(question());
    expect(lines.map((l) => [l.label, l.count, l.percent])).toEqual([
      ['audit, errors', 2, 67],
      ['nowhere', 1, 33],
    ]);
  });

  it('has no shares to divide when nobody answered', () => {
    expect(tallyLines(question({ answers: 0, tally: [] }))).toEqual([]);
  });

  it('says how many were right once revealed', () => {
    expect(rightSummary(question())).toBeNull();
    const revealed = question({
      revealed: { routedQueues: ['audit', 'errors'], messageId: 'm', at: 'x', correct: 2 },
    });
    expect(rightSummary(revealed)).toBe('2 of 3 right');
    expect(rightSummary({ ...revealed, answers: 0 })).toBe('Nobody answered');
  });

  it('counts followers in words', () => {
    expect(followersText(0)).toBe('nobody following yet');
    expect(followersText(3)).toBe('3 following');
  });
});
