import { useFateLog, type Fate, type FateLogKey } from '../../live/fates';
import { Section } from './common';
// The log's styles live with the consumer inspector, which showed it first.
import './consumer-inspector.css';

const fateWords: Record<Fate['kind'], string> = {
  acked: 'acked',
  rejected: 'rejected',
  requeued: 'requeued',
  retrying: 'retrying',
  duplicate: 'duplicate',
  'dead-lettered': 'dead-lettered',
  expired: 'expired',
  dropped: 'dropped',
};

function timeText(at: number): string {
  const d = new Date(at);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** The last few fates of messages at a consumer or a queue, newest first. */
export function FateLog({
  logKey,
  testId,
  empty,
}: {
  logKey: FateLogKey;
  testId: string;
  /** What the section says before anything happened. */
  empty: string;
}) {
  const log = useFateLog(logKey);
  return (
    <Section title="Recent messages" aside={log.length > 0 ? `last ${log.length}` : undefined}>
      {log.length === 0 ? (
        <p className="inspector__note">{empty}</p>
      ) : (
        <ol className="fate-log" data-testid={testId}>
          {[...log].reverse().map((fate) => (
            <li key={fate.seq} className={`fate-log__row fate-log__row--${fate.kind}`}>
              <span className="fate-log__kind">{fateWords[fate.kind]}</span>
              <code className="fate-log__id" title={fate.messageId ?? 'no message id'}>
                {fate.messageId ?? '—'}
              </code>
              <span className="fate-log__time">{timeText(fate.at)}</span>
              <span className="fate-log__detail">
                {fate.detail}
                {fate.inferred && <em> (inferred)</em>}
              </span>
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}
