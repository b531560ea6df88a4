import type { ExchangeType } from '@warren/topology';
import type { DragEvent, ReactNode } from 'react';
import { PALETTE_MIME, useAddNode, type PaletteItem } from '../canvas/useAddNode';
import { ConsumerIcon, ExchangeIcon, ProducerIcon, QueueIcon } from '../canvas/nodes/NodeIcons';
import { useWarren, type WarrenState } from '../store/store';
import { LessonsButton } from './lessons/LessonsButton';

interface Entry extends PaletteItem {
  testId: string;
  label: string;
  hint: string;
  icon: ReactNode;
}

const exchange = (type: ExchangeType, label: string, hint: string): Entry => ({
  kind: 'exchange',
  exchangeType: type,
  testId: `palette-add-exchange-${type}`,
  label,
  hint,
  icon: <ExchangeIcon />,
});

const sections: { title: string; entries: Entry[] }[] = [
  {
    title: 'Publish',
    entries: [
      {
        kind: 'producer',
        testId: 'palette-add-producer',
        label: 'Producer',
        hint: 'sends messages',
        icon: <ProducerIcon />,
      },
    ],
  },
  {
    title: 'Route',
    entries: [
      exchange('direct', 'Direct exchange', 'exact routing key'),
      exchange('fanout', 'Fanout exchange', 'a copy to every queue'),
      exchange('topic', 'Topic exchange', 'patterns: order.*, #'),
      exchange('headers', 'Headers exchange', 'matches headers'),
      exchange('x-consistent-hash', 'Consistent hash', 'spreads by weight'),
    ],
  },
  {
    title: 'Store',
    entries: [
      {
        kind: 'queue',
        testId: 'palette-add-queue',
        label: 'Queue',
        hint: 'holds messages',
        icon: <QueueIcon />,
      },
    ],
  },
  {
    title: 'Consume',
    entries: [
      {
        kind: 'consumer',
        testId: 'palette-add-consumer',
        label: 'Consumer',
        hint: 'reads a queue',
        icon: <ConsumerIcon />,
      },
    ],
  },
];

const selectViewing = (s: WarrenState) => s.viewing;

export function Palette() {
  const addNode = useAddNode();
  // A diagram opened through its view link cannot change; Fork makes one that can.
  const viewing = useWarren(selectViewing);
  const onDragStart = (entry: Entry) => (e: DragEvent) => {
    const item: PaletteItem = entry.exchangeType
      ? { kind: entry.kind, exchangeType: entry.exchangeType }
      : { kind: entry.kind };
    e.dataTransfer.setData(PALETTE_MIME, JSON.stringify(item));
    e.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <nav className="palette" aria-label="Add to the diagram">
      <section className="palette__section">
        <h2 className="palette__title">Learn</h2>
        <LessonsButton />
      </section>
      {sections.map((section) => (
        <section key={section.title} className="palette__section">
          <h2 className="palette__title">{section.title}</h2>
          {section.entries.map((entry) => (
            <button
              key={entry.testId}
              type="button"
              className={`palette-item palette-item--${entry.kind}`}
              data-testid={entry.testId}
              draggable={!viewing}
              disabled={viewing}
              onDragStart={onDragStart(entry)}
              onClick={() => addNode(entry.kind, entry.exchangeType)}
            >
              <span className="palette-item__icon">{entry.icon}</span>
              <span className="palette-item__text">
                <span className="palette-item__label">{entry.label}</span>
                <span className="palette-item__hint">{entry.hint}</span>
              </span>
              <span className="palette-item__plus" aria-hidden="true">
                +
              </span>
            </button>
          ))}
        </section>
      ))}
      <div className="palette__help">
        <p>
          <strong>Connect</strong> by dragging from a node’s right dot to another node’s left dot:
          producer → exchange (or straight to a queue, through the default exchange), exchange →
          queue or exchange, queue → consumer.
        </p>
        <p>
          <strong>Apply</strong> declares the diagram on RabbitMQ; then <strong>Send</strong> a
          message and watch where the broker routes it.
        </p>
      </div>
    </nav>
  );
}
