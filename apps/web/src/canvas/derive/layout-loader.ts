import type { layoutTopology } from '@warren/topology/layout';

/*
 * The automatic layout (with dagre) is fetched the first time a diagram needs it: one with
 * nodes that have no position, or Tidy. Most diagrams come with every position, so the first
 * load goes without it.
 */

export type Layout = typeof layoutTopology;

let loaded: Layout | undefined;
let pending: Promise<Layout> | undefined;
const listeners = new Set<() => void>();

/** The layout function, once fetched. */
export function loadedLayout(): Layout | undefined {
  return loaded;
}

/** Fetches the layout (once) and tells whoever listens when it is there. */
export function loadLayout(): Promise<Layout> {
  pending ??= import('@warren/topology/layout').then((module) => {
    loaded = module.layoutTopology;
    for (const listener of listeners) listener();
    return loaded;
  });
  return pending;
}

/** Calls `listener` when the layout arrives (derivations made before it need redoing). */
export function onLayoutLoaded(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
