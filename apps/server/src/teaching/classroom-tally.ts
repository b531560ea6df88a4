import type { Question, TallyRow } from '@warren/protocol';
import type { StoredQuestion } from '../store/classroom-store';

/** A prediction as it is compared: each queue once, sorted. */
export const predictionOf = (queues: readonly string[]): string[] => [...new Set(queues)].sort();

const sameSet = (a: readonly string[], b: readonly string[]): boolean => {
  const x = predictionOf(a);
  const y = predictionOf(b);
  return x.length === y.length && x.every((q, i) => q === y[i]);
};

/**
 * A question with its answers grouped by prediction, most chosen first, and, once revealed, which
 * predictions were exactly where the broker routed the message.
 */
export function questionWithTally(stored: StoredQuestion): Question {
  const groups = new Map<string, TallyRow>();
  for (const answer of stored.answers) {
    const queues = predictionOf(answer);
    const key = JSON.stringify(queues);
    const row = groups.get(key) ?? { queues, count: 0 };
    row.count += 1;
    groups.set(key, row);
  }
  const routed = stored.revealed?.routedQueues;
  const tally = [...groups.values()]
    .map((row) => (routed === undefined ? row : { ...row, correct: sameSet(row.queues, routed) }))
    .sort((a, b) => b.count - a.count || a.queues.join(',').localeCompare(b.queues.join(',')));
  return {
    id: stored.id,
    message: stored.message,
    askedAt: stored.askedAt,
    answers: stored.answers.length,
    tally,
    revealed:
      stored.revealed === null
        ? null
        : {
            ...stored.revealed,
            correct: tally.reduce((sum, row) => sum + (row.correct === true ? row.count : 0), 0),
          },
  };
}
