import type { Consumer } from '@warren/topology';
import { closeConnection, controlConsumer } from '../../live/consumer-commands';
import { selectReadOnly, useConsumerState } from '../../store/selectors';
import { useWarren } from '../../store/store';

/** The consumer's exact counters and status, with Pause, Resume, Start and a fault to cause. */
export function StateSummary({ consumer }: { consumer: Consumer }) {
  const state = useConsumerState(consumer.id);
  const readOnly = useWarren(selectReadOnly);
  if (!state)
    return (
      <p className="inspector__note" data-testid="inspector-consumer-state">
        Not running yet: <strong>Apply</strong> starts it
        {consumer.autoStart === false ? ' (paused, as auto-start is off)' : ''}.
      </p>
    );
  return (
    <div className="consumer-state" data-testid="inspector-consumer-state">
      <div className="stat-row stat-row--consumer">
        <div className="stat">
          <span className="stat__value">{state.received}</span>
          <span className="stat__label">received</span>
        </div>
        <div className="stat">
          <span className="stat__value">{state.acked}</span>
          <span className="stat__label">acked</span>
        </div>
        <div className="stat">
          <span className="stat__value">{state.inFlight}</span>
          <span className="stat__label">in flight</span>
        </div>
      </div>
      <p className="consumer-state__line">
        <span className={`consumer-status consumer-status--${state.status}`}>{state.status}</span>
        <span>
          {state.rejected} rejected · {state.requeued} requeued · {state.duplicates} duplicates
          {state.replied > 0 && ` · ${state.replied} replies`}
        </span>
      </p>
      {state.error && <p className="inspector__errors">{state.error}</p>}
      {!readOnly && (
        <div className="consumer-state__actions">
          {state.status === 'running' && (
            <button type="button" onClick={() => void controlConsumer(consumer.id, 'pause')}>
              Pause
            </button>
          )}
          {state.status === 'paused' && (
            <button type="button" onClick={() => void controlConsumer(consumer.id, 'resume')}>
              Resume
            </button>
          )}
          {(state.status === 'killed' ||
            state.status === 'stopped' ||
            state.status === 'error') && (
            <button type="button" onClick={() => void controlConsumer(consumer.id, 'start')}>
              Start
            </button>
          )}
          {(state.status === 'running' || state.status === 'paused') && (
            <button
              type="button"
              className="consumer-state__fault"
              data-testid="inspector-consumer-close-connection"
              title="Close this consumer’s AMQP connection, as a network failure would: its unacked messages go back to the queue"
              onClick={() => void closeConnection({ consumerId: consumer.id })}
            >
              Close connection
            </button>
          )}
        </div>
      )}
    </div>
  );
}
