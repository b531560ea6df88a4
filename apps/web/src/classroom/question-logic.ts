import type { Question, TallyRow } from '@warren/protocol';

/**
 * Predict-then-reveal, as the page shows it: a prediction is a set of queues (none at all
 * meaning "nowhere"), and it is right when it is exactly the set the broker routed to.
 */

/** A prediction in the server's terms: sorted, each queue once. */
export function normalizePrediction(queues: readonly string[]): string[] {
  return [...new Set(queues)].sort();
}

export function predictionKey(queues: readonly string[]): string {
  return JSON.stringify(normalizePrediction(queues));
}

export function isRightPrediction(
  prediction: readonly string[],
  routedQueues: readonly string[],
): boolean {
  return predictionKey(prediction) === predictionKey(routedQueues);
}

/** How a prediction reads: "orders, audit" or "nowhere". */
export function describeQueues(queues: readonly string[]): string {
  return queues.length === 0 ? 'nowhere' : normalizePrediction(queues).join(', ');
}

export interface TallyLine {
  label: string;
  count: number;
  /** Of all answers, 0 to 100, rounded. */
  percent: number;
  /** Known once revealed. */
  correct: boolean | undefined;
  key: string;
}

/** The tally as lines to draw, most chosen first (as the server sorts them). */
export function tallyLines(question: Pick<Question, 'tally' | 'answers'>): TallyLine[] {
  const total = Math.max(question.answers, 1);
  return question.tally.map((row: TallyRow) => ({
    label: describeQueues(row.queues),
    count: row.count,
    percent: Math.round((row.count / total) * 100),
    correct: row.correct,
    key: predictionKey(row.queues),
  }));
}

/** "2 of 3 right", "Nobody answered", once the question is revealed. */
export function rightSummary(question: Question): string | null {
  if (!question.revealed) return null;
  if (question.answers === 0) return 'Nobody answered';
  return `${question.revealed.correct} of ${question.answers} right`;
}

/** "1 answer", "3 answers". */
export function answersText(count: number): string {
  return `${count} ${count === 1 ? 'answer' : 'answers'}`;
}

/** "1 following", "3 following", "nobody following yet". */
export function followersText(count: number): string {
  return count === 0 ? 'nobody following yet' : `${count} following`;
}
