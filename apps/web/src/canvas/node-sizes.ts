import type { NodeKind } from '../store/document-ops';

/**
 * Sizes of nodes before React Flow has measured them, close to what the CSS makes. Used to
 * place new nodes and lay out imported ones without overlaps.
 */
export const estimatedSize: Record<NodeKind, { width: number; height: number }> = {
  producer: { width: 236, height: 190 },
  exchange: { width: 200, height: 74 },
  queue: { width: 200, height: 118 },
};
