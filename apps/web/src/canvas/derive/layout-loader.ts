import type { layoutTopology } from '@warren/topology/layout';
import { lazyModule } from './lazy-module';

/*
 * The automatic layout (with dagre) is fetched the first time a diagram needs it: one with
 * nodes that have no position, or Tidy. Most diagrams come with every position, so the first
 * load goes without it.
 */

export type Layout = typeof layoutTopology;

const layout = lazyModule<Layout>(() =>
  import('@warren/topology/layout').then((module) => module.layoutTopology),
);

/** The layout function, once fetched. */
export const loadedLayout = layout.loaded;
/** Fetches the layout (once) and tells whoever listens when it is there. */
export const loadLayout = layout.load;
/** Calls `listener` when the layout arrives (derivations made before it need redoing). */
export const onLayoutLoaded = layout.onLoaded;
