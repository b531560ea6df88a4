import type { MessageProperties, XDeathEntry } from '@warren/protocol';
import type { Explanation } from '@warren/topology';
import { memo, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { api, errorMessage, ServerUnreachable } from '../live/api';
import { useMessageTimeline } from '../live/message-log';
import { propertyRows, propertyText } from '../live/message-properties';
import { payloadView, visibleText } from '../live/message-text';
import {
  filterChoices,
  filterEntries,
  latestOutcome,
  MESSAGE_OUTCOMES,
  type MessageOutcome,
  type TimelineEntry,
  type TimelineFilter,
} from '../live/message-timeline';
import { compareRoutes, explainRequestFor, type RouteComparison } from '../live/message-why';
import { useMessageInspectorView } from '../store/message-inspector-view';
import { useWarren, type WarrenState } from '../store/store';
import './messages/message-inspector.css';

/**
 * The message inspector: the recent messages the broker reported, newest first, filterable,
 * and one of them in detail. Everything a message carries came from whoever published it, so
 * it is only ever shown as text nodes: never as markup, control characters escaped, bodies
 * that are not text as a hex dump.
 */

/** Rows drawn at once; the filters narrow the rest down. */
const MAX_ROWS = 200;

function clock(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

const exchangeName = (exchange: string | undefined) =>
  exchange === undefined ? '?' : exchange === '' ? '(default)' : exchange;

const selectTopology = (s: WarrenState) => s.topology;
const selectOutsideClients = (s: WarrenState) => s.outsideClients;
const selectSessionId = (s: WarrenState) => s.sessionId;

/** Names of producers, consumers and outside clients, by id, as the canvas shows them. */
function useClientNames(): (id: string) => string {
  const topology = useWarren(selectTopology);
  const outside = useWarren(selectOutsideClients);
  return useMemo(() => {
    const names = new Map<string, string>();
    for (const p of topology.producers) names.set(p.id, p.name);
    for (const c of topology.consumers ?? []) names.set(c.id, c.name);
    for (const client of Object.values(outside)) names.set(client.id, client.label);
    return (id: string) => names.get(id) ?? id;
  }, [topology, outside]);
}

function OutcomeTag({ outcome }: { outcome: MessageOutcome | undefined }) {
  if (outcome === undefined) return null;
  return <span className={`message-outcome message-outcome--${outcome}`}>{outcome}</span>;
}

const Row = memo(function Row({
  entry,
  selected,
  onSelect,
  onKeyDown,
}: {
  entry: TimelineEntry;
  selected: boolean;
  onSelect: (id: number) => void;
  onKeyDown: (e: KeyboardEvent<HTMLButtonElement>) => void;
}) {
  const outcome = latestOutcome(entry);
  const queues =
    entry.routedQueues.length > 0
      ? entry.routedQueues
      : [...new Set(entry.deliveries.map((d) => d.queue))];
  return (
    <li className="message-list__item">
      <button
        type="button"
        className={`message-row ${selected ? 'is-selected' : ''}`}
        data-testid="message-row"
        data-message-id={entry.id}
        data-outcome={outcome}
        aria-current={selected ? 'true' : undefined}
        onClick={() => onSelect(entry.id)}
        onKeyDown={onKeyDown}
      >
        <span className="message-row__time">{clock(entry.at)}</span>
        <span
          className="message-row__exchange"
          data-testid="message-row-exchange"
          title={visibleText(exchangeName(entry.exchange), 300)}
        >
          {visibleText(exchangeName(entry.exchange), 80)}
        </span>
        <span
          className="message-row__key"
          data-testid="message-row-key"
          title={visibleText(entry.routingKey ?? '?', 300)}
        >
          {visibleText(entry.routingKey ?? '?', 120)}
        </span>
        <OutcomeTag outcome={outcome} />
        <span className="message-row__queues" data-testid="message-row-queues">
          {queues.length > 0 ? visibleText(queues.join(', '), 160) : '—'}
        </span>
      </button>
    </li>
  );
});

function Filters({
  filter,
  onChange,
  entries,
  nameOf,
}: {
  filter: TimelineFilter;
  onChange: (filter: TimelineFilter) => void;
  entries: readonly TimelineEntry[];
  nameOf: (id: string) => string;
}) {
  const choices = useMemo(() => filterChoices(entries), [entries]);
  // A chosen value stays offered even when the messages that had it scrolled away.
  const withChosen = (list: string[], chosen: string | undefined) =>
    chosen && !list.includes(chosen) ? [...list, chosen] : list;
  return (
    <div className="message-filters" role="group" aria-label="Filter messages">
      <label className="message-filter">
        <span>Routing key</span>
        <input
          type="search"
          value={filter.routingKey ?? ''}
          placeholder="part of the key"
          data-testid="message-filter-key"
          onChange={(e) => onChange({ ...filter, routingKey: e.target.value })}
        />
      </label>
      <label className="message-filter">
        <span>Queue</span>
        <select
          value={filter.queue ?? ''}
          data-testid="message-filter-queue"
          onChange={(e) => onChange({ ...filter, queue: e.target.value || undefined })}
        >
          <option value="">any</option>
          {withChosen(choices.queues, filter.queue).map((q) => (
            <option key={q} value={q}>
              {visibleText(q, 80)}
            </option>
          ))}
        </select>
      </label>
      <label className="message-filter">
        <span>Client</span>
        <select
          value={filter.client ?? ''}
          data-testid="message-filter-client"
          onChange={(e) => onChange({ ...filter, client: e.target.value || undefined })}
        >
          <option value="">any</option>
          {withChosen(choices.clients, filter.client).map((c) => (
            <option key={c} value={c}>
              {visibleText(nameOf(c), 80)}
            </option>
          ))}
        </select>
      </label>
      <label className="message-filter">
        <span>Outcome</span>
        <select
          value={filter.outcome ?? ''}
          data-testid="message-filter-outcome"
          onChange={(e) =>
            onChange({
              ...filter,
              outcome: MESSAGE_OUTCOMES.find((o) => o === e.target.value),
            })
          }
        >
          <option value="">any</option>
          {MESSAGE_OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o}
              {choices.outcomes.includes(o) ? '' : ' (none yet)'}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function Properties({ properties }: { properties: MessageProperties | undefined }) {
  const rows = propertyRows(properties);
  if (rows.length === 0) return <p className="message-detail__none">No properties.</p>;
  return (
    <dl className="message-props" data-testid="message-properties">
      {rows.map(([key, label]) => (
        <div key={key} className="message-props__row">
          <dt>{label}</dt>
          <dd>{propertyText(key, properties?.[key])}</dd>
        </div>
      ))}
    </dl>
  );
}

function Headers({ properties }: { properties: MessageProperties | undefined }) {
  const headers = Object.entries(properties?.headers ?? {}).filter(([k]) => k !== 'x-death');
  if (headers.length === 0) return <p className="message-detail__none">No headers.</p>;
  return (
    <table className="message-table" data-testid="message-headers">
      <thead>
        <tr>
          <th scope="col">Header</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {headers.map(([key, value]) => (
          <tr key={key}>
            <td>
              <code>{visibleText(key, 120)}</code>
            </td>
            <td>
              <code>{visibleText(value, 300)}</code>
            </td>
          </tr>
        ))}
        {properties?.headersOmitted !== undefined && (
          <tr>
            <td colSpan={2}>{properties.headersOmitted} more headers not shown</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

function Payload({ entry }: { entry: TimelineEntry }) {
  if (!entry.payload)
    return <p className="message-detail__none">The body was not seen (only its delivery).</p>;
  const view = payloadView(entry.payload);
  if (view.kind === 'empty') return <p className="message-detail__none">Empty body.</p>;
  const note = view.cut
    ? ` (first ${view.shownBytes} of ${view.size} bytes)`
    : ` (${view.size} bytes)`;
  return (
    <figure className="message-payload">
      <figcaption>
        {view.kind === 'text' ? 'Text' : 'Binary, as hex'}
        {note}
      </figcaption>
      <pre data-testid="message-payload" tabIndex={0} aria-label="Message body">
        {view.kind === 'text' ? view.text : view.hex}
      </pre>
    </figure>
  );
}

function XDeath({ deaths }: { deaths: readonly XDeathEntry[] | undefined }) {
  if (!deaths || deaths.length === 0)
    return <p className="message-detail__none">Never dead-lettered (no x-death header).</p>;
  return (
    <table className="message-table" data-testid="message-x-death">
      <caption className="visually-hidden">x-death history, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Queue</th>
          <th scope="col">Reason</th>
          <th scope="col">Count</th>
          <th scope="col">From exchange</th>
          <th scope="col">Routing keys</th>
          <th scope="col">First time</th>
        </tr>
      </thead>
      <tbody>
        {deaths.map((d, i) => (
          <tr key={i}>
            <td>{visibleText(d.queue, 120)}</td>
            <td>{visibleText(d.reason, 40)}</td>
            <td>{d.count}</td>
            <td>{visibleText(d.exchange === '' ? '(default)' : d.exchange, 120)}</td>
            <td>{visibleText(d.routingKeys.join(', '), 200)}</td>
            <td>{d.time === undefined ? '—' : clock(d.time * 1000)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Why =
  | { state: 'loading' }
  | { state: 'none'; text: string }
  | { state: 'error'; text: string }
  | { state: 'done'; comparison: RouteComparison };

/** Explanations asked for recently, by request; a few dozen are plenty to click back and forth. */
const explained = new Map<string, Explanation | { problem: string }>();
const EXPLAINED_KEPT = 50;

function remember(key: string, value: Explanation | { problem: string }): void {
  problems.delete(key);
  explained.delete(key);
  explained.set(key, value);
  if (explained.size > EXPLAINED_KEPT) {
    const oldest = explained.keys().next().value;
    if (oldest !== undefined) explained.delete(oldest);
  }
}

/** Asks the server's explainer about the message, once per message shown. */
function useWhy(entry: TimelineEntry): Why {
  const sessionId = useWarren(selectSessionId);
  const request = sessionId === null ? undefined : explainRequestFor(entry, sessionId);
  const requestKey = request === undefined ? '' : JSON.stringify(request);
  // Bumped when an answer arrives, so the render reads it from `explained`.
  const [, setAnswered] = useState(0);
  const known = requestKey === '' ? undefined : explained.get(requestKey);
  useEffect(() => {
    if (requestKey === '' || explained.has(requestKey)) return;
    let stale = false;
    void (async () => {
      let answer: Explanation | { problem: string };
      try {
        const reply = await api('POST', '/api/explain', { body: JSON.parse(requestKey) });
        answer = reply.ok ? (reply.body as Explanation) : { problem: errorMessage(reply) };
      } catch (error) {
        answer = {
          problem:
            error instanceof ServerUnreachable
              ? 'The Warren server could not be asked.'
              : String(error),
        };
      }
      if ('problem' in answer) {
        if (!stale) setAnswered((n) => n + 1);
        // A failure is not kept: the next look asks again.
        problems.set(requestKey, answer.problem);
        if (problems.size > EXPLAINED_KEPT) problems.clear();
        return;
      }
      remember(requestKey, answer);
      if (!stale) setAnswered((n) => n + 1);
    })();
    return () => {
      stale = true;
    };
  }, [requestKey]);
  const comparison = useMemo(
    () => (known && !('problem' in known) ? compareRoutes(entry, known) : undefined),
    [entry, known],
  );
  if (request === undefined)
    return {
      state: 'none',
      text: 'Its publish was not seen (it was sent before this page watched), so its route cannot be explained.',
    };
  if (comparison) return { state: 'done', comparison };
  const problem = problems.get(requestKey);
  if (problem !== undefined) return { state: 'error', text: problem };
  return { state: 'loading' };
}

/** The last failure per request, shown until an answer replaces it. */
const problems = new Map<string, string>();

function Route({ entry, nameOf }: { entry: TimelineEntry; nameOf: (id: string) => string }) {
  const why = useWhy(entry);
  return (
    <div className="message-route">
      <section className="message-route__side" aria-label="Observed route">
        <h4>Observed (the broker)</h4>
        <p data-testid="message-observed">
          {entry.exchange === undefined
            ? 'Publish not seen.'
            : entry.routedQueues.length > 0
              ? `Routed to ${entry.routedQueues.join(', ')}`
              : entry.returned
                ? `Returned: ${entry.returned.replyCode} ${entry.returned.replyText}`
                : 'Routed to no queue (unroutable).'}
        </p>
        {(entry.deliveries.length > 0 ||
          entry.settlements.length > 0 ||
          entry.deadLetterings.length > 0) && (
          <ol className="message-events" aria-label="What happened next">
            {[
              ...entry.deliveries.map((d) => ({
                at: d.at,
                text: `delivered from ${d.queue}${d.redelivered ? ' (redelivered)' : ''}${
                  d.consumerId !== undefined
                    ? ` to ${nameOf(d.consumerId)}`
                    : d.outsideClientId !== undefined
                      ? ` to ${nameOf(d.outsideClientId)}`
                      : ''
                }`,
              })),
              ...entry.settlements.map((s) => ({
                at: s.at,
                text: `${s.kind} by ${nameOf(s.consumerId)} (${s.method})${s.reason ? `: ${s.reason}` : ''}`,
              })),
              ...entry.deadLetterings.map((d) => ({
                at: d.at,
                text: `dead-lettered from ${d.queue} (${d.reason}) to ${d.exchange === '' ? '(default)' : d.exchange} with key ${d.routingKey}${d.inferred ? ', inferred' : ''}`,
              })),
            ]
              .sort((a, b) => a.at - b.at)
              .map((item, i) => (
                <li key={i}>
                  <span className="message-events__time">{clock(item.at)}</span>{' '}
                  {visibleText(item.text, 300)}
                </li>
              ))}
          </ol>
        )}
      </section>
      <section className="message-route__side" aria-label="Explained route">
        <h4>Explained (why it went here)</h4>
        <div data-testid="message-why" aria-live="polite" data-agree={whyAgree(why)}>
          {why.state === 'loading' && <p>Asking the explainer…</p>}
          {(why.state === 'none' || why.state === 'error') && (
            <p className={why.state === 'error' ? 'message-why__error' : ''}>{why.text}</p>
          )}
          {why.state === 'done' && (
            <>
              <p
                className={`message-why__verdict ${why.comparison.agree ? 'is-agreed' : 'is-different'}`}
              >
                {why.comparison.verdict}
              </p>
              {why.comparison.reasons.length > 0 && (
                <ul className="message-why__reasons">
                  {why.comparison.reasons.map((r, i) => (
                    <li key={i} className={r.matched ? 'is-matched' : 'is-missed'}>
                      <span
                        className="message-why__mark"
                        aria-label={r.matched ? 'matched' : 'no match'}
                      >
                        {r.matched ? '✓' : '✗'}
                      </span>{' '}
                      <strong>{visibleText(r.destination, 120)}</strong>:{' '}
                      {visibleText(r.reason, 400)}
                    </li>
                  ))}
                </ul>
              )}
              <p className="message-why__summary">{visibleText(why.comparison.summary, 1200)}</p>
            </>
          )}
        </div>
      </section>
    </div>
  );
}

function whyAgree(why: Why): string | undefined {
  if (why.state !== 'done') return undefined;
  return why.comparison.agree ? 'true' : 'false';
}

function Detail({ entry, nameOf }: { entry: TimelineEntry; nameOf: (id: string) => string }) {
  const sender =
    entry.producerId !== undefined
      ? nameOf(entry.producerId)
      : entry.outsideClientId !== undefined
        ? nameOf(entry.outsideClientId)
        : undefined;
  return (
    <section className="message-detail" data-testid="message-detail" aria-label="Message detail">
      <header className="message-detail__header">
        <h3>
          <code>{visibleText(entry.routingKey ?? '?', 200)}</code> on{' '}
          <code>{visibleText(exchangeName(entry.exchange), 120)}</code>
        </h3>
        <p className="message-detail__meta">
          {clock(entry.at)}
          {sender !== undefined && <> · from {visibleText(sender, 80)}</>}
          {entry.messageId !== null && <> · id {visibleText(entry.messageId, 120)}</>}
          {' · '}
          {entry.outcomes.join(', ')}
        </p>
      </header>
      <Route entry={entry} nameOf={nameOf} />
      <h4>Properties</h4>
      <Properties properties={entry.properties} />
      <h4>Headers</h4>
      <Headers properties={entry.properties} />
      <h4>Payload</h4>
      <Payload entry={entry} />
      <h4>Dead-letter history (x-death)</h4>
      <XDeath deaths={entry.xDeath} />
    </section>
  );
}

/** Up and down move between rows, Home and End to the first and last. */
function moveFocus(e: KeyboardEvent<HTMLButtonElement>): void {
  const keys = ['ArrowDown', 'ArrowUp', 'Home', 'End'];
  if (!keys.includes(e.key)) return;
  const list = e.currentTarget.closest('ol');
  if (!list) return;
  const rows = [...list.querySelectorAll<HTMLButtonElement>('[data-testid="message-row"]')];
  const index = rows.indexOf(e.currentTarget);
  const next =
    e.key === 'Home'
      ? rows[0]
      : e.key === 'End'
        ? rows.at(-1)
        : rows[index + (e.key === 'ArrowDown' ? 1 : -1)];
  if (!next) return;
  e.preventDefault();
  next.focus();
}

function OpenInspector() {
  const entries = useMessageTimeline();
  const nameOf = useClientNames();
  const [filter, setFilter] = useState<TimelineFilter>({});
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const shown = useMemo(() => filterEntries(entries, filter), [entries, filter]);
  const selected = selectedId === null ? undefined : entries.find((e) => e.id === selectedId);
  const panel = useRef<HTMLElement>(null);

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const inPanel = e.target instanceof Node && panel.current?.contains(e.target);
      if (e.key === 'Escape' && inPanel) useMessageInspectorView.getState().setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <aside
      ref={panel}
      className="message-inspector"
      data-testid="message-inspector"
      aria-label="Message inspector"
    >
      <header className="message-inspector__header">
        <h2>Messages</h2>
        <span className="message-inspector__count" data-testid="message-count">
          {shown.length === entries.length
            ? `${entries.length} recent`
            : `${shown.length} of ${entries.length} recent`}
        </span>
        <button
          type="button"
          className="explain-icon-button"
          aria-label="Close the message inspector"
          title="Close (Esc)"
          data-testid="message-inspector-close"
          onClick={() => useMessageInspectorView.getState().setOpen(false)}
        >
          ×
        </button>
      </header>
      <Filters filter={filter} onChange={setFilter} entries={entries} nameOf={nameOf} />
      <div className="message-inspector__body">
        <div className="message-list-wrap">
          {shown.length === 0 ? (
            <p className="message-detail__none" data-testid="message-empty">
              {entries.length === 0
                ? 'No messages yet. Send one from a producer and it shows here.'
                : 'No message matches these filters.'}
            </p>
          ) : (
            <ol className="message-list" aria-label="Recent messages, newest first">
              {shown.slice(0, MAX_ROWS).map((entry) => (
                <Row
                  key={entry.id}
                  entry={entry}
                  selected={entry.id === selectedId}
                  onSelect={setSelectedId}
                  onKeyDown={moveFocus}
                />
              ))}
            </ol>
          )}
          {shown.length > MAX_ROWS && (
            <p className="message-detail__none">
              {shown.length - MAX_ROWS} older messages not drawn; narrow them down with the filters.
            </p>
          )}
        </div>
        <div className="message-detail-wrap">
          {selected ? (
            <Detail entry={selected} nameOf={nameOf} />
          ) : (
            <p className="message-detail__none">
              Pick a message to see its route, properties and body.
            </p>
          )}
        </div>
      </div>
    </aside>
  );
}

/** The message inspector, while it is open (its chunk loads the first time it opens). */
export function MessageInspector() {
  const open = useMessageInspectorView((s) => s.open);
  return open ? <OpenInspector /> : null;
}
