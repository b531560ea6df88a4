import { useStoreApi, type XYPosition } from '@xyflow/react';
import type { ExchangeType, NodeKind } from '@warren/topology';
import { useCallback } from 'react';
import { useWarren } from '../store/store';
import { estimatedSize } from './node-sizes';
import { findFreeSpot } from './placement';

/** The drag-and-drop type palette items carry, so the canvas ignores other drops. */
export const PALETTE_MIME = 'application/x-warren-node';

export interface PaletteItem {
  kind: NodeKind;
  exchangeType?: ExchangeType;
}

export function parsePaletteItem(raw: string): PaletteItem | undefined {
  try {
    const value = JSON.parse(raw) as Partial<PaletteItem>;
    if (
      value.kind === 'producer' ||
      value.kind === 'exchange' ||
      value.kind === 'queue' ||
      value.kind === 'consumer'
    )
      return value as PaletteItem;
  } catch {
    // Not one of ours.
  }
  return undefined;
}

/**
 * Where a kind of node starts looking for room, relative to the middle of the view: diagrams
 * read left to right, producer → exchange → queue → consumer, so a fresh one is already half
 * laid out.
 */
const columnOffset: Record<NodeKind, number> = {
  producer: -320,
  exchange: 0,
  queue: 340,
  consumer: 640,
};

/**
 * Adds a node near `at` (default: its column around the middle of the visible canvas), moved
 * as little as needed so it does not cover another node.
 */
export function useAddNode() {
  const flow = useStoreApi();
  return useCallback(
    (kind: NodeKind, exchangeType?: ExchangeType, at?: XYPosition) => {
      const { width, height, transform } = flow.getState();
      const [tx, ty, zoom] = transform;
      const state = useWarren.getState();
      // A consumer added while a queue is selected reads from that queue, and sits beside it.
      const selectedQueue =
        kind === 'consumer' && state.selectedNodes.length === 1
          ? state.topology.queues.find((q) => q.id === state.selectedNodes[0])
          : undefined;
      const queueNode = selectedQueue
        ? useWarren.derived.flowNodes(state).find((n) => n.id === selectedQueue.id)
        : undefined;
      const wanted = queueNode
        ? {
            x:
              queueNode.position.x + (queueNode.measured?.width ?? estimatedSize.queue.width) + 180,
            y:
              queueNode.position.y + (queueNode.measured?.height ?? estimatedSize.queue.height) / 2,
          }
        : { x: (width / 2 - tx) / zoom + columnOffset[kind], y: (height / 2 - ty) / zoom };
      // Never past the right edge of the view: a new node lands in sight.
      const center = at ?? {
        x: Math.min(wanted.x, (width - tx) / zoom - estimatedSize[kind].width / 2 - 24),
        y: wanted.y,
      };
      const taken = useWarren.derived.flowNodes(state).map((n) => {
        const size =
          n.measured?.width && n.measured.height
            ? { width: n.measured.width, height: n.measured.height }
            : estimatedSize[n.type];
        return { ...n.position, ...size };
      });
      const spot = findFreeSpot(center, estimatedSize[kind], taken);
      const id = state.addNode(kind, spot, exchangeType);
      if (selectedQueue) {
        state.connect(selectedQueue.id, id);
        // The new consumer stays the one selected, so the inspector edits it.
        state.select({ nodes: [id] });
      }
      return id;
    },
    [flow],
  );
}
