import type { Consumer, Exchange, Producer, Queue } from './model';

/*
 * How big nodes are drawn, apart from the layout itself (which needs dagre): the web app
 * reads these on its first load and fetches the layout only when a diagram needs one.
 */

export type LayoutNodeKind = 'producer' | 'exchange' | 'queue' | 'consumer';

export interface LayoutSize {
  readonly width: number;
  readonly height: number;
}

/**
 * Room each kind of node takes on the canvas with nothing extra on it, as the web app draws
 * it (apps/web canvas/node-sizes.ts). Badges make exchanges and queues taller: see
 * `estimateNodeSize`.
 */
export const LAYOUT_NODE_SIZES: Readonly<Record<LayoutNodeKind, LayoutSize>> = {
  producer: { width: 236, height: 236 },
  exchange: { width: 200, height: 74 },
  queue: { width: 200, height: 118 },
  consumer: { width: 220, height: 240 },
};

/** One line of badges under a node's name holds two short ones, or one long one. */
const BADGES_PER_LINE = 1.5;
const BADGE_LINE_HEIGHT = 24;

const QUEUE_BADGE_ARGUMENTS = [
  'x-message-ttl',
  'x-expires',
  'x-max-length',
  'x-max-length-bytes',
  'x-dead-letter-exchange',
  'x-max-priority',
  'x-single-active-consumer',
];
const EXCHANGE_BADGE_ARGUMENTS = ['alternate-exchange', 'hash-header', 'hash-property'];

const badgeHeight = (count: number) =>
  count === 0 ? 0 : 6 + Math.ceil(count / BADGES_PER_LINE) * BADGE_LINE_HEIGHT;

/**
 * How big a node is drawn, badges included (a queue with a TTL, a length limit and a
 * dead-letter exchange is taller than a plain one). Policies can add badges too; a node's
 * measured size, when the canvas has one, is better than this estimate.
 */
export function estimateNodeSize(
  kind: LayoutNodeKind,
  item: Producer | Exchange | Queue | Consumer,
): LayoutSize {
  const base = LAYOUT_NODE_SIZES[kind];
  let badges = 0;
  if (kind === 'queue') {
    const queue = item as Queue;
    const args = queue.arguments ?? {};
    badges += QUEUE_BADGE_ARGUMENTS.filter((key) => args[key] !== undefined).length;
    if (args['x-queue-type'] === 'quorum') badges += 1;
    if (queue.serverNamed === true) badges += 1;
    if (queue.exclusive) badges += 1;
  } else if (kind === 'exchange') {
    const exchange = item as Exchange;
    const args = exchange.arguments ?? {};
    badges += EXCHANGE_BADGE_ARGUMENTS.filter((key) => args[key] !== undefined).length;
    if (exchange.internal) badges += 1;
  }
  return { width: base.width, height: base.height + badgeHeight(badges) };
}

/**
 * Room kept above a producer for its floating "Explain" button (a toolbar drawn outside the
 * node), so the button never covers the node above.
 */
export const LAYOUT_PRODUCER_TOOLBAR = 36;
