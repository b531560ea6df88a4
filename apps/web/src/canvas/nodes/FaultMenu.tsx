import { NodeToolbar, Position } from '@xyflow/react';
import { useEffect, useRef, useState, type MouseEvent } from 'react';
import { deleteOnBroker, purgeQueue } from '../../live/consumer-commands';
import { Glyph, Stroke } from './NodeIcons';
import { selectReadOnly, useMissingOnBroker } from '../../store/selectors';
import { useWarren } from '../../store/store';
import './fault-menu.css';

/**
 * Faults a learner can inject on a queue or an exchange, behind a small button that shows on
 * hover: they change the broker behind the diagram's back, so they stay out of the way.
 */
export function FaultMenu({
  kind,
  nodeId,
  name,
}: {
  kind: 'queue' | 'exchange';
  nodeId: string;
  name: string;
}) {
  const readOnly = useWarren(selectReadOnly);
  const [open, setOpen] = useState(false);
  const menu = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const missing = useMissingOnBroker(`${kind}:${name}`);

  useEffect(() => {
    if (!open) return;
    const close = (e: PointerEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent) {
        if (e.key === 'Escape') setOpen(false);
        return;
      }
      const target = e.target as Node | null;
      if (menu.current?.contains(target) || toggle.current?.contains(target)) return;
      setOpen(false);
    };
    document.addEventListener('pointerdown', close, true);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('pointerdown', close, true);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  if (readOnly) return null;
  const run = (action: () => Promise<void>) => (e: MouseEvent) => {
    e.stopPropagation();
    setOpen(false);
    void action();
  };
  return (
    <>
      <button
        ref={toggle}
        type="button"
        className={`fault-toggle nodrag ${open ? 'is-open' : ''}`}
        data-testid={`${kind}-faults-${name}`}
        title="Faults: change the broker behind the diagram’s back"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={(e) => {
          e.stopPropagation();
          setOpen(!open);
        }}
      >
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <circle cx="3.5" cy="8" r="1.4" fill="currentColor" />
          <circle cx="8" cy="8" r="1.4" fill="currentColor" />
          <circle cx="12.5" cy="8" r="1.4" fill="currentColor" />
        </svg>
      </button>
      <NodeToolbar nodeId={nodeId} isVisible={open} position={Position.Top} align="end" offset={6}>
        <div ref={menu} className="fault-menu" role="menu" aria-label={`Faults on ${name}`}>
          <span className="fault-menu__title">Fault injection</span>
          {kind === 'queue' && (
            <button
              type="button"
              role="menuitem"
              className="fault-menu__item"
              data-testid={`queue-purge-${name}`}
              title="Remove every ready message from the queue (queue.purge); unacked ones stay"
              onClick={run(() => purgeQueue(nodeId, name))}
            >
              <strong>Purge</strong>
              <span>drop every ready message</span>
            </button>
          )}
          <button
            type="button"
            role="menuitem"
            className="fault-menu__item fault-menu__item--danger"
            data-testid={`${kind}-delete-${name}`}
            disabled={missing}
            title={`Delete the ${kind} on the broker only; the diagram keeps it and Apply declares it again`}
            onClick={run(() => deleteOnBroker(kind, nodeId, name))}
          >
            <strong>Delete on broker</strong>
            <span>{missing ? 'already deleted; Apply declares it' : 'until the next Apply'}</span>
          </button>
        </div>
      </NodeToolbar>
    </>
  );
}

/** The mark of an object deleted on the broker and not declared again yet. */
export function MissingBadge({ kind, name }: { kind: 'queue' | 'exchange'; name: string }) {
  const missing = useMissingOnBroker(`${kind}:${name}`);
  if (!missing) return null;
  return (
    <div
      className="missing-note"
      data-testid={`${kind}-missing-${name}`}
      title={`The ${kind} was deleted on the broker. Apply declares it again.`}
    >
      <Glyph viewBox="0 0 16 16" size={12}>
        <Stroke d="M8 1.8 15 14H1z" width={1.6} />
        <Stroke d="M8 6.5v3.6" width={1.6} />
        <circle cx="8" cy="12" r="0.9" fill="currentColor" />
      </Glyph>
      missing on the broker
    </div>
  );
}
