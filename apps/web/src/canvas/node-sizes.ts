import type { NodeKind } from '@warren/topology';

/**
 * Sizes of nodes before React Flow has measured them, close to what the CSS makes. Used to
 * place new nodes and lay out imported ones without overlaps.
 */
export const estimatedSize: Record<
  NodeKind | 'outside-client' | 'outside-object',
  { width: number; height: number }
> = {
  producer: { width: 236, height: 236 },
  exchange: { width: 200, height: 74 },
  queue: { width: 200, height: 118 },
  consumer: { width: 220, height: 240 },
  'outside-client': { width: 236, height: 112 },
  'outside-object': { width: 200, height: 92 },
};
