import type {
  ConsumerActionEvent,
  DeadLetteredEvent,
  DeliveredEvent,
  DiscardedEvent,
  WarrenEvent,
} from '@warren/protocol';
import {
  consumerEdgeId,
  createExplainer,
  outsideConsumeEdgeId,
  relationEdgeId,
  routePaths,
  type Topology,
} from '@warren/topology';
import { outsideClientNodeId } from '../canvas/derive/outside-elements';
import { useWarren } from '../store/store';
import {
  addEffect,
  animationReady,
  arrivalPulse,
  haloText,
  HOP_MS,
  launch,
  realDelay,
  ringPulse,
  sample,
  untilArrival,
} from './animator';
import { locateNode, pointOnEdge, type Point } from './edge-geometry';
import type { Palette } from './animator';

/**
 * What happens to a message after it reached a queue: taken by a consumer, sent back,
 * dead-lettered, expired. Drawn with the animator's dots and effects; counters elsewhere stay
 * exact, these only show the motion (and may skip some when many happen at once).
 */

/** Dots drawn per consumer for one frame of events at most; a burst shows as a few. */
const MAX_DELIVERY_DOTS = 4;
const DELIVERY_STAGGER_MS = 90;
const FADE_MS = 1400;
const PULSE_MS = 600;

function queueByName(name: string) {
  return useWarren.getState().topology.queues.find((q) => q.name === name);
}

/** Where an edge into a consumer's node meets it, else the node's left side. */
function entry(edgeId: string, nodeId: string): Point | undefined {
  const end = pointOnEdge(edgeId, 1);
  if (end) return end;
  const box = locateNode(nodeId);
  return box ? { x: box.x, y: box.y + box.height / 2 } : undefined;
}

function consumerEntry(consumerId: string): Point | undefined {
  return entry(consumerEdgeId(consumerId), consumerId);
}

/** The queue's right side, where messages leave it for consumers. */
function queueExit(queueName: string): Point | undefined {
  const queue = queueByName(queueName);
  if (!queue) return undefined;
  const box = locateNode(queue.id);
  return box ? { x: box.x + box.width, y: box.y + box.height / 2 } : undefined;
}

/** A ring that widens and fades: a message was taken care of here. */
function pulse(at: Point, tone: 'acked' | 'retrying' | 'duplicate'): void {
  const color =
    tone === 'acked'
      ? (p: Palette) => p.ok
      : tone === 'retrying'
        ? (p: Palette) => p.warn
        : (p: Palette) => p.purple;
  ringPulse(at, color, PULSE_MS, 5, 11, tone === 'retrying');
}

/** A short word that rises and fades next to where a message ended: "expired", "dropped". */
function fadeOut(at: Point, label: string, tone: 'expired' | 'dropped'): void {
  addEffect(
    at,
    FADE_MS,
    (ctx, t, palette) => {
      ctx.globalAlpha = t < 0.55 ? 1 : 1 - (t - 0.55) / 0.45;
      ctx.fillStyle = tone === 'dropped' ? palette.danger : palette.faint;
      ctx.beginPath();
      ctx.arc(at.x, at.y, Math.max(0, 5 * (1 - t)), 0, Math.PI * 2);
      ctx.fill();
      const color = tone === 'dropped' ? palette.danger : palette.text;
      haloText(ctx, label, at.x + 10, at.y - 8 - 10 * t, color, palette);
    },
    { testId: `message-fate-${tone}`, label },
  );
}

/**
 * One dot from the queue to the consumer the broker delivered to (a few per consumer and frame
 * at most), leaving once the message's own dot reached the queue.
 */
function animateDeliveries(events: DeliveredEvent[]): void {
  const perEdge = new Map<string, number>();
  for (const event of events) {
    let edge: string;
    let node: string;
    if (event.consumerId !== undefined) {
      edge = consumerEdgeId(event.consumerId);
      node = event.consumerId;
    } else if (event.outsideClientId !== undefined) {
      edge = outsideConsumeEdgeId(event.outsideClientId, event.queue);
      node = outsideClientNodeId(event.outsideClientId);
    } else continue;
    const drawn = perEdge.get(edge) ?? 0;
    if (drawn >= MAX_DELIVERY_DOTS || !sample(edge)) continue;
    perEdge.set(edge, drawn + 1);
    const go = () =>
      launch([edge], event.outsideClientId !== undefined, () => {
        const at = entry(edge, node);
        if (at) arrivalPulse(at);
      });
    const wait = untilArrival(event.messageId) + realDelay(drawn * DELIVERY_STAGGER_MS);
    if (wait <= 0) go();
    else setTimeout(go, wait);
  }
}

function hasDeadLetterEdge(queueName: string): boolean {
  const queue = queueByName(queueName);
  return (
    queue !== undefined && pointOnEdge(relationEdgeId('dead-letter', queue.id), 0) !== undefined
  );
}

function animateConsumerAction(event: ConsumerActionEvent): void {
  // The message may still be on its way to the consumer on the canvas: act when it is there.
  const wait = untilArrival(event.messageId);
  if (wait > 0) {
    setTimeout(() => actNow(event), wait + realDelay(HOP_MS));
    return;
  }
  actNow(event);
}

function actNow(event: ConsumerActionEvent): void {
  const at = consumerEntry(event.consumerId);
  switch (event.type) {
    case 'acked':
      if (at) pulse(at, 'acked');
      return;
    case 'requeued':
      launch([consumerEdgeId(event.consumerId)], false, undefined, {
        reverse: true,
        variant: 'requeued',
      });
      return;
    case 'rejected': {
      const back = launch(
        [consumerEdgeId(event.consumerId)],
        false,
        () => {
          // With a dead-letter exchange the dead-lettered event carries it on from here.
          if (hasDeadLetterEdge(event.queue)) return;
          const exit = queueExit(event.queue);
          if (exit) fadeOut(exit, 'dropped', 'dropped');
        },
        { reverse: true, variant: 'rejected' },
      );
      if (!back && at && !hasDeadLetterEdge(event.queue)) fadeOut(at, 'dropped', 'dropped');
      return;
    }
  }
}

/** Explains where a republished dead letter goes; one explainer per version of the diagram. */
const explainerFor = (() => {
  let last: Topology | undefined;
  let explain: ReturnType<typeof createExplainer> | undefined;
  return (topology: Topology) => {
    if (topology !== last || !explain) {
      last = topology;
      explain = createExplainer(topology);
    }
    return explain;
  };
})();

function animateDeadLettered(event: DeadLetteredEvent): void {
  const topology = useWarren.getState().topology;
  const queue = topology.queues.find((q) => q.name === event.queue);
  if (!queue) return;
  const edge = relationEdgeId('dead-letter', queue.id);
  const onward = () => {
    // The broker does not trace a dead letter's routing; the diagram's own routing stands in.
    let queues: string[] = [];
    try {
      queues = explainerFor(topology)({
        exchange: event.exchange,
        routingKey: event.routingKey,
      }).queues;
    } catch {
      return;
    }
    const paths = routePaths(topology, event.exchange, queues, undefined, event.routingKey);
    for (const hop of paths.hops) {
      const last = hop.at(-1);
      launch(
        hop,
        false,
        () => {
          const end = last === undefined ? undefined : pointOnEdge(last, 1);
          if (end) arrivalPulse(end);
        },
        { variant: 'dead-letter' },
      );
    }
  };
  const go = () => {
    if (!launch([edge], false, onward, { variant: 'dead-letter' })) {
      const exit = queueExit(event.queue);
      if (exit) fadeOut(exit, 'dead-lettered', 'dropped');
    }
  };
  // A rejected message first travels back from its consumer; its dead letter follows.
  if (event.reason === 'rejected') setTimeout(go, realDelay(HOP_MS));
  else go();
}

function animateDiscarded(event: DiscardedEvent): void {
  const exit = queueExit(event.queue);
  if (!exit) return;
  const what = event.type === 'expired' ? 'expired' : 'dropped';
  fadeOut(exit, event.count > 1 ? `${event.count} ${what}` : what, event.type);
}

/** Draws the fates the events of one frame tell of (routing is the animator's own). */
export function animateFates(events: readonly WarrenEvent[]): void {
  if (!animationReady()) return;
  animateDeliveries(events.filter((e): e is DeliveredEvent => e.type === 'delivered'));
  for (const event of events) {
    switch (event.type) {
      case 'acked':
      case 'rejected':
      case 'requeued':
        animateConsumerAction(event);
        break;
      case 'retrying':
      case 'duplicate': {
        const at = consumerEntry(event.consumerId);
        if (at) pulse(at, event.type);
        break;
      }
      case 'dead-lettered':
        animateDeadLettered(event);
        break;
      case 'expired':
      case 'dropped':
        animateDiscarded(event);
        break;
      default:
        break;
    }
  }
}
