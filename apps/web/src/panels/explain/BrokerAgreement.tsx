import { useCallback, useEffect, useRef } from 'react';
import type { PublishResult } from '../../store/state';
import { useWarren, type WarrenState } from '../../store/store';
import { recordBrokerOutcome } from './send';

const selectComparison = (s: WarrenState) => s.explainComparison;
const selectMessageKey = (s: WarrenState) => JSON.stringify(useWarren.derived.explainMessage(s));
const selectProducerId = (s: WarrenState) => s.explainProducerId;

/**
 * Whenever the linked producer's message comes back from the broker (whichever button sent
 * it), hold the broker's routed queues against the prediction. Results from before the panel
 * was opened on this producer are not compared.
 */
export function useCompareProducerSends(): void {
  const producerId = useWarren(selectProducerId);
  const result = useWarren(
    useCallback(
      (s: WarrenState): PublishResult | undefined =>
        producerId === null ? undefined : s.publishResults[producerId],
      [producerId],
    ),
  );
  const before = useRef<PublishResult | undefined>(undefined);
  useEffect(() => {
    before.current = useWarren.getState().publishResults[producerId ?? ''];
  }, [producerId]);
  useEffect(() => {
    if (!result || result === before.current || result.routedQueues === undefined) return;
    before.current = result;
    recordBrokerOutcome({
      routedQueues: result.routedQueues,
      returned: result.returned === true,
      messageId: result.messageId,
      at: result.at,
    });
  }, [result]);
}

const list = (queues: string[]) => (queues.length > 0 ? queues.join(', ') : 'no queue');

/** "Broker agreed", or both sets side by side when the broker did something else. */
export function BrokerAgreement() {
  const comparison = useWarren(selectComparison);
  const messageKey = useWarren(selectMessageKey);
  if (!comparison) return null;
  const earlier = comparison.messageKey !== '' && comparison.messageKey !== messageKey;
  const predicted = [
    list(comparison.predictedQueues),
    ...comparison.hashChoices.map((c) => `one of ${c.queues.join(' / ')}`),
  ].join(' + ');
  const broker = list(comparison.brokerQueues);
  return (
    <div
      // Remounting on each answer replays the arrival animation once.
      key={comparison.at}
      className={`explain-agreement explain-agreement--${comparison.agreed ? 'yes' : 'no'} ${earlier ? 'explain-agreement--earlier' : ''}`}
      data-testid="explain-agreement"
      data-agreed={comparison.agreed ? 'true' : 'false'}
      role="status"
    >
      <div className="explain-agreement__title">
        {comparison.agreed ? '✓ Broker agreed' : '✗ Broker disagreed'}
      </div>
      {earlier && (
        <p className="explain-agreement__earlier">
          For the message sent before your last change; send again to compare this one.
        </p>
      )}
      {comparison.problem && <p className="explain-agreement__problem">{comparison.problem}</p>}
      <dl className="explain-agreement__sets">
        <dt>Predicted</dt>
        <dd data-testid="explain-agreement-predicted">
          {predicted}
          {comparison.predictedReturned ? ' (returned)' : ''}
        </dd>
        <dt>Broker routed</dt>
        <dd data-testid="explain-agreement-broker">
          {broker}
          {comparison.brokerReturned ? ' (returned)' : ''}
        </dd>
      </dl>
    </div>
  );
}
