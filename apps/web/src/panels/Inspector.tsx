import { lazy, Suspense, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { selectInspected } from '../store/selectors';
import { useWarren, type WarrenState } from '../store/store';
import './inspector/inspector.css';

// The editors are fetched when something is first selected: the first load shows the canvas
// sooner, and "Nothing selected" needs none of them.
const editors = () => import('./inspector/editors');
const BindingInspector = lazy(async () => ({ default: (await editors()).BindingInspector }));
const ConsumeInspector = lazy(async () => ({ default: (await editors()).ConsumeInspector }));
const ConsumerInspector = lazy(async () => ({ default: (await editors()).ConsumerInspector }));
const ExchangeInspector = lazy(async () => ({ default: (await editors()).ExchangeInspector }));
const ProducerInspector = lazy(async () => ({ default: (await editors()).ProducerInspector }));
const PublishInspector = lazy(async () => ({ default: (await editors()).PublishInspector }));
const QueueInspector = lazy(async () => ({ default: (await editors()).QueueInspector }));

/** The type of the exchange a selected binding starts at: it decides what the key means. */
const selectInspectedSourceType = (s: WarrenState) => {
  const element = selectInspected(s);
  if (element?.kind !== 'binding') return undefined;
  return s.topology.exchanges.find((x) => x.name === element.item.source)?.type;
};

/** For a page that only watches (a student following a class, a view-only link). */
function EmptyViewing() {
  return (
    <div className="inspector__empty" data-testid="inspector-empty">
      <p className="inspector__empty-title">Nothing selected</p>
      <p>Select a node or an edge to see its settings here; this canvas is view only.</p>
      <ul>
        <li>
          While it runs, dots travel along the edges as the broker routes and delivers messages.
        </li>
        <li>Counters on the edges and depths on the queues come from the broker itself.</li>
        <li>Scroll to zoom and drag the background to move around.</li>
      </ul>
    </div>
  );
}

function Empty() {
  return (
    <div className="inspector__empty" data-testid="inspector-empty">
      <p className="inspector__empty-title">Nothing selected</p>
      <p>Select a node or an edge to edit it here.</p>
      <ul>
        <li>Add a producer, an exchange and queues from the left.</li>
        <li>Drag from a right dot to a left dot to connect them.</li>
        <li>Click a binding’s label to set its routing key.</li>
        <li>
          <kbd>Delete</kbd> removes what is selected.
        </li>
        <li>
          <kbd>Shift</kbd>-drag draws a box to select several nodes; <kbd>Shift</kbd>-click adds
          one.
        </li>
        <li>
          <kbd>Ctrl+Z</kbd> undoes, <kbd>Ctrl+Shift+Z</kbd> redoes; <kbd>Ctrl+C</kbd>,{' '}
          <kbd>Ctrl+V</kbd> and <kbd>Ctrl+D</kbd> copy, paste and duplicate; the arrow keys nudge.
        </li>
      </ul>
    </div>
  );
}

const selectViewing = (s: WarrenState) => s.viewing;

export function Inspector() {
  const element = useWarren(useShallow(selectInspected));
  const sourceType = useWarren(selectInspectedSourceType);
  const viewing = useWarren(selectViewing);
  let body: ReactNode;
  if (!element) body = viewing ? <EmptyViewing /> : <Empty />;
  else {
    switch (element.kind) {
      case 'exchange':
        body = <ExchangeInspector key={element.item.id} exchange={element.item} />;
        break;
      case 'queue':
        body = <QueueInspector key={element.item.id} queue={element.item} />;
        break;
      case 'producer':
        body = <ProducerInspector key={element.item.id} producer={element.item} />;
        break;
      case 'binding':
        body = (
          <BindingInspector
            key={element.item.id}
            binding={element.item}
            exchangeType={sourceType}
          />
        );
        break;
      case 'publish':
        body = <PublishInspector key={element.item.id} producer={element.item} />;
        break;
      case 'consumer':
        body = <ConsumerInspector key={element.item.id} consumer={element.item} />;
        break;
      case 'consume':
        body = <ConsumeInspector key={element.item.id} consumer={element.item} />;
        break;
    }
    body = <Suspense fallback={<p className="inspector__loading">Loading…</p>}>{body}</Suspense>;
  }
  return (
    <aside
      className="inspector"
      data-testid="inspector"
      aria-label="Inspector"
      // Read-only, nothing in it takes the focus: the column itself does, to scroll it by keyboard.
      tabIndex={viewing ? 0 : undefined}
    >
      {viewing ? (
        // A diagram opened through its view link is read: every field shows, none changes.
        <fieldset className="inspector__read-only" disabled>
          {body}
        </fieldset>
      ) : (
        body
      )}
    </aside>
  );
}
