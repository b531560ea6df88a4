import { BaseEdge, EdgeLabelRenderer, type EdgeProps } from '@xyflow/react';
import { memo, useCallback, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { useRouteHighlight } from './useRouteHighlight';
import type { BindingFlowEdge } from '../derive/flow-elements';
import { useElementErrors } from '../../store/selectors';
import { useWarren } from '../../store/store';
import { EdgeCountText } from './EdgeCount';
import { useAnimatedBezier } from './useAnimatedBezier';
import './edge-labels.css';

/** A short summary of a headers binding's arguments, e.g. `all: format=pdf`. */
function headersSummary(args: Record<string, unknown> | undefined): string {
  if (!args) return 'all: (no headers)';
  const match = typeof args['x-match'] === 'string' ? args['x-match'] : 'all';
  const pairs = Object.entries(args)
    .filter(([k]) => k !== 'x-match')
    .map(([k, v]) => `${k}=${String(v)}`);
  return `${match}: ${pairs.length > 0 ? pairs.join(', ') : '(no headers)'}`;
}

function BindingEdgeView(props: EdgeProps<BindingFlowEdge>) {
  const { id, data, selected, markerEnd } = props;
  const [path, labelX, labelY] = useAnimatedBezier(props);
  const route = useRouteHighlight(id);
  const errors = useElementErrors(id);
  const [editing, setEditing] = useState(false);
  // Set when the edit ended by Enter or Escape, so the blur that may follow changes nothing.
  const settled = useRef(false);
  const binding = data?.binding;
  const exchangeType = data?.exchangeType;

  const startEditing = useCallback(
    (e: MouseEvent) => {
      e.stopPropagation();
      useWarren.getState().select({ edges: [id] });
      settled.current = false;
      setEditing(true);
    },
    [id],
  );
  const commit = useCallback(
    (value: string) => {
      setEditing(false);
      if (binding && value !== binding.routingKey)
        useWarren.getState().updateBinding(id, { routingKey: value });
    },
    [binding, id],
  );
  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLInputElement>) => {
      // The label is portalled out of the edge, but React still bubbles its keys to the edge,
      // which would read Escape as "unselect" and Enter or Space as "select".
      e.stopPropagation();
      if (e.key === 'Enter') {
        commit(e.currentTarget.value);
        settled.current = true;
      } else if (e.key === 'Escape') {
        settled.current = true;
        setEditing(false);
      }
    },
    [commit],
  );

  if (!binding) return null;
  const pair = `${binding.source}-${binding.destination}`;
  const ignoresKey = exchangeType === 'fanout' || exchangeType === 'headers';
  const className = [
    'binding-edge',
    selected ? 'is-selected' : '',
    errors.length > 0 ? 'has-error' : '',
    binding.destinationType === 'exchange' ? 'binding-edge--e2e' : '',
    route,
  ].join(' ');

  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        className={className}
        interactionWidth={22}
      />
      <EdgeLabelRenderer>
        <div
          className={`edge-label nodrag nopan ${route} ${selected ? 'is-selected' : ''} ${errors.length > 0 ? 'has-error' : ''} ${ignoresKey ? 'edge-label--ignored' : ''}`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          title={
            errors.length > 0
              ? errors.map((e) => e.message).join('\n')
              : ignoresKey
                ? `A ${exchangeType} exchange ignores the routing key. Click to edit.`
                : 'Routing key. Click to edit.'
          }
        >
          {editing ? (
            <input
              className="edge-label__input nodrag"
              data-testid={`binding-key-input-${pair}`}
              defaultValue={binding.routingKey}
              autoFocus
              spellCheck={false}
              size={Math.max(6, binding.routingKey.length + 2)}
              onKeyDown={onKeyDown}
              onBlur={(e) => {
                if (!settled.current) commit(e.currentTarget.value);
              }}
              onFocus={(e) => e.currentTarget.select()}
            />
          ) : (
            <span
              className="edge-label__key"
              data-testid={`binding-label-${pair}`}
              data-placeholder={ignoresKey ? 'any' : 'no key'}
              onClick={startEditing}
              onDoubleClick={startEditing}
            >
              {binding.routingKey}
            </span>
          )}
          {exchangeType === 'headers' && (
            <span className="edge-label__args">{headersSummary(binding.arguments)}</span>
          )}
          <EdgeCountText edgeId={id} testId={`edge-count-${pair}`} />
          {errors.length > 0 && <span className="edge-label__error">{errors[0]?.message}</span>}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

export const BindingEdge = memo(BindingEdgeView);
