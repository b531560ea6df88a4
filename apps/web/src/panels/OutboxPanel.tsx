import { useCallback, useEffect, useRef, useState } from 'react';
import { useProducerRuntime } from '../canvas/nodes/ProducerRunStrip';
import { fetchOutbox, type OutboxRow } from '../live/producer-commands';
import { useOutboxView } from '../store/outbox-view';
import { useWarren, type WarrenState } from '../store/store';
import './Outbox.css';

/**
 * A reliable producer's outbox as a table: every message with its status (sending, confirmed,
 * failed) and how many times it was sent. Rows are read from the server while the table is
 * open: again whenever the producer's outbox counts change, and every second for attempts.
 */

const POLL_MS = 1000;
/** More rows than a person reads; the counts above the table stay exact. */
const MAX_ROWS = 200;

const STATUS_WORDS: Record<OutboxRow['status'], string> = {
  sending: 'sending',
  confirmed: 'confirmed',
  failed: 'failed',
};

const STATUS_CODES: Record<OutboxRow['status'], number> = { sending: 0, confirmed: 1, failed: 2 };

function time(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '–';
  return new Date(ms).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}

function useOutboxRows(producerId: string) {
  const runtime = useProducerRuntime(producerId);
  const counts = runtime?.outbox;
  const countsKey = counts ? `${counts.sending}/${counts.confirmed}/${counts.failed}` : '';
  const [rows, setRows] = useState<OutboxRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const busy = useRef(false);

  const load = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    try {
      const result = await fetchOutbox(producerId);
      if ('error' in result) setError(result.error);
      else {
        setError(null);
        setRows(result);
      }
    } finally {
      busy.current = false;
    }
  }, [producerId]);

  useEffect(() => {
    void load();
  }, [load, countsKey]);

  useEffect(() => {
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [load]);

  return { rows, error, counts };
}

function OutboxTable({ producerId }: { producerId: string }) {
  const producer = useWarren(
    useCallback(
      (s: WarrenState) => s.topology.producers.find((p) => p.id === producerId),
      [producerId],
    ),
  );
  const close = useOutboxView((s) => s.close);
  const { rows, error, counts } = useOutboxRows(producerId);
  if (!producer) return null;
  const shown = rows ? rows.slice(-MAX_ROWS).reverse() : [];
  const tally = counts ?? {
    sending: rows?.filter((r) => r.status === 'sending').length ?? 0,
    confirmed: rows?.filter((r) => r.status === 'confirmed').length ?? 0,
    failed: rows?.filter((r) => r.status === 'failed').length ?? 0,
  };
  return (
    <section
      className="outbox-panel"
      data-testid={`outbox-${producer.name}`}
      aria-label={`Outbox of ${producer.name}`}
    >
      <header className="outbox-panel__header">
        <div>
          <h2 className="outbox-panel__title">
            Outbox <span className="outbox-panel__producer">{producer.name}</span>
          </h2>
          <p className="outbox-panel__intro">
            Each message is logged as <em>sending</em> until the broker confirms it. Not confirmed
            within {producer.outbox?.timeoutMs ?? '…'} ms, it is sent again with the same id; after{' '}
            {producer.outbox?.maxAttempts ?? '…'} sends it is <em>failed</em>.
          </p>
        </div>
        <button
          type="button"
          className="icon-button"
          data-testid="outbox-close"
          aria-label="Close the outbox"
          onClick={close}
        >
          ×
        </button>
      </header>
      <div className="outbox-panel__counts">
        <span className="outbox-pill outbox-pill--sending" data-testid="outbox-count-sending">
          {tally.sending} sending
        </span>
        <span className="outbox-pill outbox-pill--confirmed" data-testid="outbox-count-confirmed">
          {tally.confirmed} confirmed
        </span>
        <span className="outbox-pill outbox-pill--failed" data-testid="outbox-count-failed">
          {tally.failed} failed
        </span>
        {!producer.outbox && (
          <span className="outbox-panel__warning">
            Not a reliable producer: turn on its outbox in the inspector.
          </span>
        )}
      </div>
      {error && (
        <p className="outbox-panel__error" role="alert">
          {error}
        </p>
      )}
      <div className="outbox-panel__scroll">
        <table className="outbox-table">
          <thead>
            <tr>
              <th>message id</th>
              <th title="0 sending · 1 confirmed · 2 failed">status</th>
              <th>attempts</th>
              <th>last error</th>
              <th>updated</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr
                key={row.messageId}
                className={`outbox-row outbox-row--${row.status}`}
                data-testid={`outbox-row-${row.messageId}`}
                data-status={row.status}
              >
                <td className="outbox-row__id" title={row.messageId}>
                  {row.messageId}
                </td>
                <td>
                  <span
                    className={`outbox-pill outbox-pill--${row.status}`}
                    data-testid={`outbox-status-${row.messageId}`}
                    title={`status ${STATUS_CODES[row.status]}`}
                  >
                    {STATUS_WORDS[row.status]}
                  </span>
                </td>
                <td className="outbox-row__attempts">
                  <span data-testid={`outbox-attempts-${row.messageId}`}>{row.attempts}</span>
                  <span className="outbox-row__max"> / {producer.outbox?.maxAttempts ?? '–'}</span>
                </td>
                <td className="outbox-row__error" title={row.lastError}>
                  {row.lastError ?? ''}
                </td>
                <td className="outbox-row__time">{time(row.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows !== null && rows.length === 0 && !error && (
          <p className="outbox-panel__empty">
            No messages yet. Send one: it stays here, marked sending, until the broker confirms it.
          </p>
        )}
        {rows !== null && rows.length > MAX_ROWS && (
          <p className="outbox-panel__empty">
            The newest {MAX_ROWS} of {rows.length} messages; the counts above cover all of them.
          </p>
        )}
      </div>
    </section>
  );
}

/** Floats over the bottom of the canvas while a producer's outbox is open. */
export function OutboxPanel() {
  const producerId = useOutboxView((s) => s.producerId);
  if (producerId === null) return null;
  return <OutboxTable key={producerId} producerId={producerId} />;
}
