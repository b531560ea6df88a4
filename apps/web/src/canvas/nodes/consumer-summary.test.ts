import { describe, expect, it } from 'vitest';
import {
  consumerSummary,
  failureActionText,
  percentText,
  processingText,
} from './consumer-summary';

describe('consumer summary', () => {
  it('writes processing times with one unit where both ends share it', () => {
    expect(processingText(undefined)).toBe('instant');
    expect(processingText({ min: 0, max: 0 })).toBe('instant');
    expect(processingText({ min: 500, max: 500 })).toBe('500 ms');
    expect(processingText({ min: 200, max: 800 })).toBe('200–800 ms');
    expect(processingText({ min: 500, max: 1500 })).toBe('500 ms–1.5 s');
    expect(processingText({ min: 1000, max: 2500 })).toBe('1–2.5 s');
  });

  it('writes failure rates and actions in a few words', () => {
    expect(percentText(0.3)).toBe('30%');
    expect(percentText(0.125)).toBe('12.5%');
    expect(failureActionText(undefined)).toBe('requeue');
    expect(failureActionText({ kind: 'reject' })).toBe('reject');
    expect(
      failureActionText({
        kind: 'retry',
        initialIntervalMs: 200,
        multiplier: 2,
        maxAttempts: 3,
        recoverer: 'republish',
        errorExchange: 'error.direct',
      }),
    ).toBe('retry ×3 → error.direct');
    expect(
      failureActionText({ kind: 'delayed-retry', maxRetries: 3, parkingExchange: 'parking' }),
    ).toBe('delayed retry ×3 → parking');
  });

  it('sums a consumer up', () => {
    expect(
      consumerSummary({
        id: 'c',
        name: 'worker',
        queue: 'work',
        prefetch: 0,
        autoAck: true,
        failureRate: 1,
        onFailure: { kind: 'reject' },
      }),
    ).toEqual(['prefetch ∞', 'auto-ack', 'instant', '100% fail → reject']);
  });
});
