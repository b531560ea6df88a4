import type { Consumer, FailureAction } from '@warren/topology';
import { formatDuration } from './NodeBadges';

/** A consumer's settings in a few words, for its node and the inspector's header. */

/** `500 ms`, `0.2–1.5 s`; none is instant. */
export function processingText(processing: Consumer['processingMs']): string {
  if (!processing || (processing.min === 0 && processing.max === 0)) return 'instant';
  if (processing.min === processing.max) return formatDuration(processing.min);
  const [low, high] = [formatDuration(processing.min), formatDuration(processing.max)];
  const [lowValue, lowUnit] = low.split(' ');
  const [highValue, highUnit] = high.split(' ');
  // One unit for both ends when they share it: `200–800 ms`, not `200 ms–800 ms`.
  return lowUnit === highUnit ? `${lowValue}–${highValue} ${highUnit}` : `${low}–${high}`;
}

/** 0.3 → `30%`, 0.125 → `12.5%`. */
export function percentText(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}

/** What a failed message becomes: `requeue`, `reject`, `retry ×3 → error.direct`. */
export function failureActionText(action: FailureAction | undefined): string {
  switch (action?.kind) {
    case undefined:
    case 'requeue':
      return 'requeue';
    case 'reject':
      return 'reject';
    case 'retry':
      return `retry ×${action.maxAttempts} → ${
        action.recoverer === 'republish' ? (action.errorExchange ?? 'error exchange') : 'reject'
      }`;
    case 'delayed-retry':
      return `delayed retry ×${action.maxRetries} → ${action.parkingExchange || 'parking'}`;
  }
}

/** The settings line under a consumer's name. */
export function consumerSummary(consumer: Consumer): string[] {
  const parts = [
    consumer.prefetch === 0 ? 'prefetch ∞' : `prefetch ${consumer.prefetch}`,
    consumer.autoAck ? 'auto-ack' : 'manual ack',
    processingText(consumer.processingMs),
  ];
  if ((consumer.failureRate ?? 0) > 0)
    parts.push(
      `${percentText(consumer.failureRate ?? 0)} fail → ${failureActionText(consumer.onFailure)}`,
    );
  return parts;
}
