import type { ReactNode } from 'react';

/**
 * What a node shows when the canvas is zoomed out (see `useCompactZoom`): its name and one
 * figure, in type large enough to read from afar. It covers the full card, which keeps its
 * size (hidden, not removed), so edges and the layout stay where they are.
 */
export function CompactCard({
  kind,
  name,
  figure,
  testId,
}: {
  kind: string;
  name: string;
  figure?: ReactNode;
  testId: string;
}) {
  return (
    <div className="node-compact" data-testid={testId} aria-label={`${kind} ${name}`}>
      <span className="node-compact__name" title={name}>
        {name || <em className="node__unnamed">unnamed</em>}
      </span>
      {figure !== undefined && <span className="node-compact__figure">{figure}</span>}
    </div>
  );
}
