import { NodeToolbar, Position } from '@xyflow/react';
import { memo, useCallback } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Stroke } from '../../canvas/nodes/NodeIcons';
import { useCompactZoom } from '../../canvas/zoom';
import { useWarren, type WarrenState } from '../../store/store';

const selectProducerIds = (s: WarrenState) => s.topology.producers.map((p) => p.id);

const ProducerExplainButton = memo(function ProducerExplainButton({ id }: { id: string }) {
  const name = useWarren(
    useCallback((s: WarrenState) => s.topology.producers.find((p) => p.id === id)?.name, [id]),
  );
  const active = useWarren(
    useCallback((s: WarrenState) => s.explainOpen && s.explainProducerId === id, [id]),
  );
  // Zoomed out, the button (drawn at screen size) would be bigger than the compact card.
  const compact = useCompactZoom();
  if (name === undefined) return null;
  return (
    <NodeToolbar nodeId={id} isVisible={!compact} position={Position.Top} align="end" offset={6}>
      <button
        type="button"
        className={`producer-explain nodrag ${active ? 'is-active' : ''}`}
        onClick={() => {
          const state = useWarren.getState();
          if (active) state.closeExplain();
          else state.openExplain(id);
        }}
        title="Where would this producer's message go, and why?"
        aria-pressed={active}
        data-testid={`producer-explain-${name}`}
      >
        <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
          <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.8" />
          <Stroke d="m10.4 10.4 3.3 3.3" />
        </svg>
        Explain
      </button>
    </NodeToolbar>
  );
});

/**
 * An "Explain" button above every producer, drawn from outside the node components as React
 * Flow toolbars, so it opens the route explainer on that producer's message.
 */
export function ProducerExplainButtons() {
  const ids = useWarren(useShallow(selectProducerIds));
  return (
    <>
      {ids.map((id) => (
        <ProducerExplainButton key={id} id={id} />
      ))}
    </>
  );
}
