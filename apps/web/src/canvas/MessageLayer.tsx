import { useReactFlow, ViewportPortal } from '@xyflow/react';
import { memo, useEffect } from 'react';
import { registerMessageLayer } from '../live/animator';
import { setNodeLocator } from '../live/edge-geometry';

/**
 * The layer the moving dots are drawn in: an SVG inside the viewport, so it pans and zooms
 * with the diagram. React renders it once; the animator owns its contents.
 */
function MessageLayerView() {
  const { getInternalNode } = useReactFlow();
  useEffect(() => {
    setNodeLocator((id) => {
      const node = getInternalNode(id);
      if (!node) return undefined;
      const { x, y } = node.internals.positionAbsolute;
      return { x, y, width: node.measured.width ?? 0, height: node.measured.height ?? 0 };
    });
    return () => setNodeLocator(null);
  }, [getInternalNode]);

  return (
    <ViewportPortal>
      <svg className="message-layer" aria-hidden="true">
        <g ref={registerMessageLayer} />
      </svg>
    </ViewportPortal>
  );
}

export const MessageLayer = memo(MessageLayerView);
