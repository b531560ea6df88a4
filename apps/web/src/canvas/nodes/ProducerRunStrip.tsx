import type { Producer } from '@warren/topology';
import { memo, useCallback, type MouseEvent } from 'react';
import { controlProducer } from '../../live/producer-commands';
import { useOutboxView } from '../../store/outbox-view';
import { selectReadOnly } from '../../store/selectors';
import type { ProducerRuntime } from '../../store/producer-runtime';
import { useWarren, type WarrenState } from '../../store/store';
import './producer-run.css';

/**
 * The part of a producer node that the server's producer drives: Start/Stop for continuous
 * sending with its measured rate, the exact counters, and the outbox of a reliable producer.
 * It re-renders when a producer-state event arrives, never per message.
 */

export function useProducerRuntime(producerId: string): ProducerRuntime | undefined {
  return useWarren(useCallback((s: WarrenState) => s.producerStates[producerId], [producerId]));
}

export const PRODUCER_COUNTERS = [
  { key: 'sent', label: 'sent', title: 'Messages published (basic.publish), resends included' },
  {
    key: 'confirmed',
    label: 'confirmed',
    title: 'Publisher confirms: the broker acked the message (basic.ack)',
  },
  {
    key: 'nacked',
    label: 'nacked',
    title: 'The broker refused the message (basic.nack), e.g. a full queue with reject-publish',
  },
  {
    key: 'returned',
    label: 'returned',
    title: 'Mandatory messages no queue took came back (basic.return 312 NO_ROUTE)',
  },
] as const;

/** `48.7`, `950`, `0.5`: as many digits as a rate needs to be read at a glance. */
export function formatRate(rate: number): string {
  if (rate >= 100) return String(Math.round(rate));
  if (rate >= 10) return rate.toFixed(0);
  return String(Number(rate.toFixed(1)));
}

function ProducerRunStripView({ producer }: { producer: Producer }) {
  const runtime = useProducerRuntime(producer.id);
  const readOnly = useWarren(selectReadOnly);
  const outboxOpen = useOutboxView((s) => s.producerId === producer.id);
  const toggleOutbox = useOutboxView((s) => s.toggle);
  const name = producer.name;
  const continuous = (producer.ratePerSecond ?? 0) > 0;
  const running = runtime?.running === true;

  const control = useCallback(
    (e: MouseEvent) => {
      e.stopPropagation();
      void controlProducer(producer.id, running ? 'stop' : 'start');
    },
    [producer.id, running],
  );
  const openOutbox = useCallback(
    (e: MouseEvent) => {
      e.stopPropagation();
      toggleOutbox(producer.id);
    },
    [producer.id, toggleOutbox],
  );

  return (
    <div className={`producer-run ${running ? 'is-running' : ''}`}>
      {continuous && (
        <div className="producer-run__rate">
          {!readOnly && (
            <button
              type="button"
              className={`producer-run__control nodrag ${running ? 'is-stop' : 'is-start'}`}
              data-testid={running ? `producer-stop-${name}` : `producer-start-${name}`}
              title={
                running
                  ? 'Stop sending'
                  : `Send ${producer.ratePerSecond} msg/s${(producer.burst ?? 1) > 1 ? ` in bursts of ${producer.burst}` : ''} until stopped`
              }
              onClick={control}
            >
              {running ? (
                <svg viewBox="0 0 12 12" width="9" height="9" aria-hidden="true">
                  <rect x="2" y="2" width="8" height="8" rx="1.5" fill="currentColor" />
                </svg>
              ) : (
                <svg viewBox="0 0 12 12" width="9" height="9" aria-hidden="true">
                  <path d="M3 1.8v8.4L10 6z" fill="currentColor" />
                </svg>
              )}
              {running ? 'Stop' : 'Start'}
            </button>
          )}
          <span className="producer-run__speed" data-testid={`producer-rate-${name}`}>
            {running ? (
              <>
                <strong>{formatRate(runtime.rate)}</strong> msg/s
              </>
            ) : (
              'stopped'
            )}
          </span>
          <span className="producer-run__target" title="The rate it is set to">
            target {producer.ratePerSecond}/s
            {(producer.burst ?? 1) > 1 ? ` ×${producer.burst}` : ''}
          </span>
        </div>
      )}
      <div className="producer-counters">
        {PRODUCER_COUNTERS.map((c) => {
          const value = runtime?.[c.key] ?? 0;
          return (
            <div
              key={c.key}
              className={`producer-counter producer-counter--${c.key} ${value === 0 ? 'is-zero' : ''}`}
              title={c.title}
            >
              <span className="producer-counter__value" data-testid={`producer-${c.key}-${name}`}>
                {value}
              </span>
              <span className="producer-counter__label">{c.label}</span>
            </div>
          );
        })}
      </div>
      {producer.outbox && (
        <button
          type="button"
          className={`producer-outbox-button nodrag ${outboxOpen ? 'is-open' : ''}`}
          data-testid={`producer-outbox-${name}`}
          title="The reliable producer's outbox: each message until the broker confirms it"
          onClick={openOutbox}
        >
          <span className="producer-outbox-button__label">Outbox</span>
          <span className="outbox-pill outbox-pill--sending">
            {runtime?.outbox?.sending ?? 0} sending
          </span>
          <span className="outbox-pill outbox-pill--confirmed">
            {runtime?.outbox?.confirmed ?? 0} ok
          </span>
          <span className="outbox-pill outbox-pill--failed">
            {runtime?.outbox?.failed ?? 0} failed
          </span>
        </button>
      )}
    </div>
  );
}

export const ProducerRunStrip = memo(ProducerRunStripView);
