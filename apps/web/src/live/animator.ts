import type { RoutedEvent, WarrenEvent } from '@warren/protocol';
import { outsidePublishEdgeId, routePaths } from '@warren/topology';
import { useWarren } from '../store/store';
import { locateNode, pointOnEdge, type Point } from './edge-geometry';

/**
 * Moving dots for messages the broker routed. Everything here is plain DOM driven by
 * requestAnimationFrame, so a flood of messages never re-renders React. The broker's
 * `routed` event is the only trigger: a message is drawn going exactly where the broker
 * says it went, whoever published it.
 */

/** Time a dot spends on one edge. */
export const HOP_MS = 500;
/** More dots than this and new messages are not drawn (queue counts stay exact anyway). */
export const MAX_DOTS = 300;
const MAX_EFFECTS = 60;
const DROP_MS = 1500;
const ARRIVAL_MS = 450;

const SVG_NS = 'http://www.w3.org/2000/svg';

interface Dot {
  element: SVGGElement;
  edges: string[];
  startedAt: number;
  then: (() => void) | undefined;
  /** Travels its edges from target to source (a message going back to its queue). */
  reverse: boolean;
}

/** How a dot looks besides the default: what happened to the message it stands for. */
export type DotVariant = 'requeued' | 'rejected' | 'dead-letter';

interface Effect {
  element: SVGGElement;
  startedAt: number;
  duration: number;
  update: (element: SVGGElement, t: number) => void;
}

/** When the dot of a message (by id) reaches its queues, so its delivery can leave after. */
const arrivals = new Map<string, number>();
const MAX_ARRIVALS = 2000;

/** How long until the routed dot of this message reaches its queue (0 when unknown or there). */
export function untilArrival(messageId: string | null): number {
  if (messageId === null) return 0;
  const at = arrivals.get(messageId);
  return at === undefined ? 0 : Math.max(0, at - performance.now());
}

let layer: SVGGElement | null = null;
const dots = new Set<Dot>();
const effects = new Set<Effect>();
let frame: number | null = null;

/** The SVG group (inside the canvas viewport) that dots are drawn in; null when it unmounts. */
export function registerMessageLayer(element: SVGGElement | null): void {
  layer = element;
  if (!element) {
    for (const dot of dots) dot.element.remove();
    for (const effect of effects) effect.element.remove();
    dots.clear();
    effects.clear();
  }
}

export function animateEvents(events: readonly WarrenEvent[]): void {
  for (const event of events) if (event.type === 'routed') animateRouted(event);
}

const ease = (t: number) => 0.5 - Math.cos(Math.PI * t) / 2;

function makeDot(outside: boolean, variant: DotVariant | undefined): SVGGElement {
  const g = document.createElementNS(SVG_NS, 'g');
  g.setAttribute('data-testid', 'message-dot');
  const classes = ['message-dot'];
  if (outside) classes.push('message-dot--outside');
  if (variant) classes.push(`message-dot--${variant}`);
  g.setAttribute('class', classes.join(' '));
  svgChild(g, 'circle', { r: '10', class: 'message-dot__halo' });
  svgChild(g, 'circle', { r: '4.5', class: 'message-dot__core' });
  return g;
}

/** Sends a dot along `edges` in turn; false when it cannot be drawn (then `then` never runs). */
export function launch(
  edges: string[],
  outside: boolean,
  then?: () => void,
  options: { reverse?: boolean; variant?: DotVariant } = {},
): boolean {
  if (!layer || edges.length === 0) return false;
  if (dots.size >= MAX_DOTS) return false;
  const reverse = options.reverse ?? false;
  const start = pointOnEdge(edges[0] ?? '', reverse ? 1 : 0);
  if (!start) return false;
  const element = makeDot(outside, options.variant);
  element.setAttribute('transform', `translate(${start.x} ${start.y})`);
  layer.appendChild(element);
  dots.add({ element, edges, startedAt: performance.now(), then, reverse });
  schedule();
  return true;
}

/** Whether the animation layer is on the canvas (nothing is drawn before it mounts). */
export function animationReady(): boolean {
  return layer !== null;
}

export function addEffect(
  at: Point,
  className: string,
  duration: number,
  build: (g: SVGGElement) => void,
  update: Effect['update'],
): void {
  if (!layer || effects.size >= MAX_EFFECTS) return;
  const element = document.createElementNS(SVG_NS, 'g');
  element.setAttribute('class', className);
  element.setAttribute('transform', `translate(${at.x} ${at.y})`);
  build(element);
  layer.appendChild(element);
  effects.add({ element, startedAt: performance.now(), duration, update });
  schedule();
}

/** Appends an SVG element with these attributes (and text, for a label) to `parent`. */
export function svgChild(
  parent: SVGElement,
  tag: 'circle' | 'text',
  attributes: Record<string, string>,
  text?: string,
): SVGElement {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  parent.appendChild(element);
  return element;
}

/** A ring that widens from radius `r` by `growth` and fades: something happened here. */
export function ringPulse(
  at: Point,
  className: string,
  duration: number,
  r: number,
  growth: number,
): void {
  addEffect(
    at,
    className,
    duration,
    (g) => svgChild(g, 'circle', { r: String(r) }),
    (g, t) => {
      g.firstElementChild?.setAttribute('r', String(r + growth * t));
      g.style.opacity = String(1 - t);
    },
  );
}

export function arrivalPulse(at: Point): void {
  ringPulse(at, 'message-arrival', ARRIVAL_MS, 4, 14);
}

/** The message reached the exchange and went nowhere: a red burst that fades. */
function dropBurst(at: Point): void {
  addEffect(
    at,
    'message-dropped',
    DROP_MS,
    (g) => {
      g.setAttribute('data-testid', 'message-dropped');
      svgChild(g, 'circle', { r: '6', class: 'message-dropped__ring' });
      svgChild(g, 'circle', { r: '5', class: 'message-dropped__core' });
      // Left of the exchange and above the incoming edge, so neither hides it.
      const label = { class: 'message-dropped__label', 'text-anchor': 'end', x: '-12', y: '-12' };
      svgChild(g, 'text', label, 'unroutable');
    },
    (g, t) => {
      const [ring, core, label] = Array.from(g.children);
      ring?.setAttribute('r', String(6 + 22 * Math.min(1, t * 2.5)));
      ring?.setAttribute('opacity', String(Math.max(0, 1 - t * 2.5)));
      core?.setAttribute('r', String(5 * (1 - t)));
      label?.setAttribute('y', String(-12 - 10 * t));
      // Hold the label readable for most of its life, then fade.
      g.style.opacity = String(t < 0.6 ? 1 : 1 - (t - 0.6) / 0.4);
    },
  );
}

/** Where a message enters an exchange: the end of an edge into it, else its left side. */
function exchangeEntry(exchangeId: string, producerEdgeId: string | undefined): Point | undefined {
  if (producerEdgeId) {
    const end = pointOnEdge(producerEdgeId, 1);
    if (end) return end;
  }
  const box = locateNode(exchangeId);
  return box ? { x: box.x, y: box.y + box.height / 2 } : undefined;
}

function animateRouted(event: RoutedEvent): void {
  if (!layer) return;
  const topology = useWarren.getState().topology;
  const exchange = topology.exchanges.find((x) => x.name === event.exchange);
  const paths = routePaths(
    topology,
    event.exchange,
    event.routedQueues,
    event.producerId,
    event.routingKey,
  );

  const fanOut = () => {
    if (event.routedQueues.length === 0) {
      const at = exchange ? exchangeEntry(exchange.id, paths.producerEdgeId) : undefined;
      if (at) dropBurst(at);
      return;
    }
    for (const hop of paths.hops) {
      const last = hop.at(-1);
      if (last === undefined) {
        // The producer's own line already ended at the queue (the default exchange).
        const end = paths.producerEdgeId ? pointOnEdge(paths.producerEdgeId, 1) : undefined;
        if (end) arrivalPulse(end);
        continue;
      }
      launch(hop, event.outside, () => {
        const end = last === undefined ? undefined : pointOnEdge(last, 1);
        if (end) arrivalPulse(end);
      });
    }
  };

  // A client outside Warren has its own line into the exchange, when the canvas draws it.
  const entryEdge =
    paths.producerEdgeId ??
    (event.outsideClientId === undefined
      ? undefined
      : outsidePublishEdgeId(event.outsideClientId, event.exchange));
  const entered = entryEdge !== undefined && launch([entryEdge], event.outside, fanOut);
  if (!entered) fanOut();
  if (event.messageId !== null && event.routedQueues.length > 0) {
    const longest = Math.max(0, ...paths.hops.map((hop) => hop.length)) + (entered ? 1 : 0);
    if (arrivals.size >= MAX_ARRIVALS) arrivals.clear();
    arrivals.set(event.messageId, performance.now() + longest * HOP_MS);
  }
}

function schedule(): void {
  frame ??= requestAnimationFrame(tick);
}

function tick(now: number): void {
  frame = null;
  const arrived: Dot[] = [];
  for (const dot of dots) {
    const elapsed = now - dot.startedAt;
    const index = Math.floor(elapsed / HOP_MS);
    const edge = dot.edges[index];
    if (edge === undefined) {
      arrived.push(dot);
      continue;
    }
    const t = ease((elapsed - index * HOP_MS) / HOP_MS);
    const point = pointOnEdge(edge, dot.reverse ? 1 - t : t);
    if (!point) {
      // The edge is gone (deleted or scrolled out of the DOM): drop the dot quietly.
      dot.element.remove();
      dots.delete(dot);
      continue;
    }
    dot.element.setAttribute('transform', `translate(${point.x.toFixed(1)} ${point.y.toFixed(1)})`);
  }
  for (const dot of arrived) {
    dot.element.remove();
    dots.delete(dot);
    dot.then?.();
  }
  for (const effect of effects) {
    const t = (now - effect.startedAt) / effect.duration;
    if (t >= 1) {
      effect.element.remove();
      effects.delete(effect);
    } else {
      effect.update(effect.element, Math.max(0, t));
    }
  }
  if (dots.size > 0 || effects.size > 0) schedule();
}
