import { useReactFlow, useStoreApi, ViewportPortal } from '@xyflow/react';
import { memo, useEffect, useRef } from 'react';
import { attachMessageLayer, redraw, setMarkerLayer } from '../live/animator';
import { setNodeLocator } from '../live/edge-geometry';

/**
 * The layer moving dots are drawn on: one <canvas> over the whole flow, drawn by the animator
 * outside React with the flow's pan and zoom read when a frame is drawn. Beside it, inside the
 * viewport, a few invisible stand-ins (a dot in flight, an unroutable message) that tests and
 * assistive readers can find. React renders this once.
 */
function MessageLayerView() {
  const { getInternalNode } = useReactFlow();
  const flowStore = useStoreApi();
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    setNodeLocator((id) => {
      const node = getInternalNode(id);
      if (!node) return undefined;
      const { x, y } = node.internals.positionAbsolute;
      return { x, y, width: node.measured.width ?? 0, height: node.measured.height ?? 0 };
    });
    return () => setNodeLocator(null);
  }, [getInternalNode]);

  useEffect(() => {
    if (!canvas.current) return;
    const detach = attachMessageLayer(canvas.current, () => flowStore.getState().transform);
    // Panning or zooming while the animation is paused still moves what it shows.
    let last = flowStore.getState().transform;
    const unsubscribe = flowStore.subscribe((state) => {
      if (state.transform === last) return;
      last = state.transform;
      redraw();
    });
    return () => {
      unsubscribe();
      detach();
    };
  }, [flowStore]);

  return (
    <>
      <canvas
        ref={canvas}
        className="message-layer"
        data-testid="message-layer"
        data-in-flight="0"
        data-launched="0"
        data-sampled-out="0"
        aria-hidden="true"
      />
      <ViewportPortal>
        <div ref={setMarkerLayer} className="message-markers" aria-hidden="true" />
      </ViewportPortal>
    </>
  );
}

export const MessageLayer = memo(MessageLayerView);
