import type { RoutedEvent, WarrenEvent } from '@warren/protocol';
import { outsidePublishEdgeId, routePaths } from '@warren/topology';
import { useWarren, type WarrenState } from '../store/store';
import { AnimationClock } from './anim-clock';
import { DotSampler } from './dot-sampler';
import { locateNode, pointOnEdge, type Point } from './edge-geometry';

/**
 * Moving dots for messages the broker routed, drawn on one <canvas> over the diagram by one
 * requestAnimationFrame loop, so a flood of messages costs neither React renders nor DOM
 * elements. The broker's `routed` event is the only trigger: a message is drawn going exactly
 * where the broker says it went, whoever published it. Above a few messages a second per line
 * only a sample is drawn; counts on the canvas never depend on the animation.
 *
 * Times below are animation time (see AnimationClock): slowed down or paused from the toolbar.
 */

/** Time a dot spends on one edge, at 1× speed. */
export const HOP_MS = 500;
/** More dots than this and new messages are not drawn (queue counts stay exact anyway). */
export const MAX_DOTS = 300;
const MAX_EFFECTS = 60;
const DROP_MS = 1500;
const ARRIVAL_MS = 450;
/** Dots a second per line (producer, client or edge), beyond a short burst. */
const DOTS_PER_SECOND = 6;
const DOT_BURST = 4;

/** How a dot looks besides the default: what happened to the message it stands for. */
export type DotVariant = 'requeued' | 'rejected' | 'dead-letter';
type DotStyle = 'routed' | 'outside' | DotVariant;
const DOT_STYLES: readonly DotStyle[] = [
  'routed',
  'outside',
  'requeued',
  'rejected',
  'dead-letter',
];

interface Dot {
  edges: string[];
  startedAt: number;
  then: (() => void) | undefined;
  /** Travels its edges from target to source (a message going back to its queue). */
  reverse: boolean;
  style: DotStyle;
  /** Where it was last drawn (flow coordinates). */
  x: number;
  y: number;
}

/** The colours the layer draws with, read from the page's CSS variables (they follow the theme). */
export interface Palette {
  dot: Record<DotStyle, string>;
  queue: string;
  danger: string;
  ok: string;
  warn: string;
  purple: string;
  text: string;
  faint: string;
  /** Behind label text, so it reads over edges. */
  halo: string;
}

interface Effect {
  at: Point;
  startedAt: number;
  duration: number;
  draw: (ctx: CanvasRenderingContext2D, t: number, palette: Palette) => void;
  /** A small DOM stand-in (with a test id) for effects a test or a reader may look for. */
  marker: HTMLElement | undefined;
}

const clock = new AnimationClock(performance.now());
const sampler = new DotSampler(DOTS_PER_SECOND, DOT_BURST);

/** Animation time now. */
function now(): number {
  return clock.now(performance.now());
}

/** Wall-clock milliseconds until `ms` of animation time passed, for timers that wait on dots. */
export function realDelay(ms: number): number {
  return clock.realMs(ms);
}

/** When the dot of a message (by id) reaches its queues (animation time). */
const arrivals = new Map<string, number>();
const MAX_ARRIVALS = 2000;

/** How long (wall clock) until the routed dot of this message reaches its queue, 0 when there. */
export function untilArrival(messageId: string | null): number {
  if (messageId === null) return 0;
  const at = arrivals.get(messageId);
  return at === undefined ? 0 : realDelay(Math.max(0, at - now()));
}

interface Surface {
  canvas: HTMLCanvasElement;
  ctx: CanvasRenderingContext2D;
  /** The flow's viewport transform: [x, y, zoom]. */
  transform: () => readonly [number, number, number];
  /** CSS pixels of the canvas element. */
  width: number;
  height: number;
  palette: Palette | null;
}

let surface: Surface | null = null;
/** Where DOM stand-ins go (inside the flow's viewport, so they sit where the canvas draws). */
let markers: HTMLElement | null = null;
const dots = new Set<Dot>();
const effects = new Set<Effect>();
let frame: number | null = null;
let launched = 0;
let dotMarker: HTMLElement | null = null;
let shownStats = '';
let statsAt = 0;
const STATS_EVERY_MS = 200;

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

function readPalette(element: HTMLElement): Palette {
  const s = getComputedStyle(element);
  return {
    dot: {
      routed: cssVar(s, '--dot-routed', '#ff6a1f'),
      outside: cssVar(s, '--dot-outside', '#7c5cf6'),
      requeued: cssVar(s, '--dot-requeued', '#d97706'),
      rejected: cssVar(s, '--danger', '#e5484d'),
      'dead-letter': cssVar(s, '--dot-dead-letter', '#7c3aed'),
    },
    queue: cssVar(s, '--queue', '#2f6fed'),
    danger: cssVar(s, '--danger', '#e5484d'),
    ok: cssVar(s, '--ok', '#12a150'),
    warn: cssVar(s, '--dot-requeued', '#d97706'),
    purple: cssVar(s, '--dot-dead-letter', '#7c3aed'),
    text: cssVar(s, '--text-muted', '#667085'),
    faint: cssVar(s, '--text-faint', '#98a2b3'),
    halo: cssVar(s, '--surface', '#ffffff'),
  };
}

/** The element for DOM stand-ins, inside the flow's viewport; null when it unmounts. */
export function setMarkerLayer(element: HTMLElement | null): void {
  markers = element;
  if (!element) dotMarker = null;
}

/**
 * The canvas (over the flow's viewport); `transform` reads the flow's pan and zoom when a frame
 * is drawn. Returns the function that detaches it.
 */
export function attachMessageLayer(
  canvas: HTMLCanvasElement,
  transform: () => readonly [number, number, number],
): () => void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return () => undefined;
  const attached: Surface = {
    canvas,
    ctx,
    transform,
    width: 0,
    height: 0,
    palette: null,
  };
  surface = attached;
  const resize = () => {
    const rect = canvas.getBoundingClientRect();
    const ratio = window.devicePixelRatio || 1;
    attached.width = rect.width;
    attached.height = rect.height;
    canvas.width = Math.max(1, Math.round(rect.width * ratio));
    canvas.height = Math.max(1, Math.round(rect.height * ratio));
    redraw();
  };
  const observer = new ResizeObserver(resize);
  observer.observe(canvas);
  resize();
  const { animationSpeed, animationPaused } = useWarren.getState();
  clock.set(performance.now(), animationSpeed, animationPaused);
  const unsubscribe = useWarren.subscribe(onStoreChange);
  return () => {
    observer.disconnect();
    unsubscribe();
    if (surface !== attached) return;
    surface = null;
    for (const effect of effects) effect.marker?.remove();
    dots.clear();
    effects.clear();
    dotMarker?.remove();
    dotMarker = null;
  };
}

function onStoreChange(state: WarrenState, before: WarrenState): void {
  if (
    state.animationSpeed !== before.animationSpeed ||
    state.animationPaused !== before.animationPaused
  )
    clock.set(performance.now(), state.animationSpeed, state.animationPaused);
  if (state.theme !== before.theme || state.presentation !== before.presentation) {
    // The new theme's variables apply once the page re-rendered.
    if (surface) surface.palette = null;
  }
  redraw();
}

/** Draws a frame soon, also while paused: the view moved or the theme changed. */
export function redraw(): void {
  if (dots.size > 0 || effects.size > 0) schedule();
}

export function animateEvents(events: readonly WarrenEvent[]): void {
  for (const event of events) if (event.type === 'routed') animateRouted(event);
}

const ease = (t: number) => 0.5 - Math.cos(Math.PI * t) / 2;

/** Whether a message on line `key` gets a dot (the rest are sampled out above a rate). */
export function sample(key: string): boolean {
  return sampler.take(key, performance.now());
}

/** Sends a dot along `edges` in turn; false when it cannot be drawn (then `then` never runs). */
export function launch(
  edges: string[],
  outside: boolean,
  then?: () => void,
  options: { reverse?: boolean; variant?: DotVariant } = {},
): boolean {
  if (!surface || edges.length === 0) return false;
  if (dots.size >= MAX_DOTS) return false;
  const reverse = options.reverse ?? false;
  const start = pointOnEdge(edges[0] ?? '', reverse ? 1 : 0);
  if (!start) return false;
  const style: DotStyle = options.variant ?? (outside ? 'outside' : 'routed');
  dots.add({ edges, startedAt: now(), then, reverse, style, x: start.x, y: start.y });
  launched += 1;
  schedule();
  return true;
}

/** Whether the animation layer is on the canvas (nothing is drawn before it mounts). */
export function animationReady(): boolean {
  return surface !== null;
}

/**
 * Something happening at `at` for `duration` (animation time), drawn by `draw` with `t` going
 * from 0 to 1. With `testId` a small invisible DOM stand-in marks the spot while it lasts.
 */
export function addEffect(
  at: Point,
  duration: number,
  draw: Effect['draw'],
  stand?: { testId: string; label: string },
): void {
  if (!surface || effects.size >= MAX_EFFECTS) return;
  let marker: HTMLElement | undefined;
  if (stand && markers) {
    marker = document.createElement('span');
    marker.className = 'message-marker';
    marker.dataset.testid = stand.testId;
    marker.textContent = stand.label;
    marker.style.transform = `translate(${at.x}px, ${at.y}px)`;
    markers.appendChild(marker);
  }
  effects.add({ at, startedAt: now(), duration, draw, marker });
  schedule();
}

/** A ring that widens from radius `r` by `growth` and fades: something happened here. */
export function ringPulse(
  at: Point,
  color: (palette: Palette) => string,
  duration: number,
  r: number,
  growth: number,
  dashed = false,
): void {
  addEffect(at, duration, (ctx, t, palette) => {
    ctx.globalAlpha = 1 - t;
    ctx.strokeStyle = color(palette);
    ctx.lineWidth = 2;
    if (dashed) ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.arc(at.x, at.y, r + growth * t, 0, Math.PI * 2);
    ctx.stroke();
    if (dashed) ctx.setLineDash([]);
  });
}

export function arrivalPulse(at: Point): void {
  ringPulse(at, (p) => p.queue, ARRIVAL_MS, 4, 14);
}

/** Text with a halo in the background colour, so it reads over edges. */
export function haloText(
  ctx: CanvasRenderingContext2D,
  text: string,
  x: number,
  y: number,
  color: string,
  palette: Palette,
  align: CanvasTextAlign = 'start',
): void {
  ctx.font = '700 12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  ctx.textAlign = align;
  ctx.textBaseline = 'alphabetic';
  ctx.lineJoin = 'round';
  ctx.lineWidth = 4;
  ctx.strokeStyle = palette.halo;
  ctx.strokeText(text, x, y);
  ctx.fillStyle = color;
  ctx.fillText(text, x, y);
}

/** The message reached the exchange and went nowhere: a red burst that fades. */
function dropBurst(at: Point): void {
  addEffect(
    at,
    DROP_MS,
    (ctx, t, palette) => {
      const ring = Math.min(1, t * 2.5);
      ctx.globalAlpha = t < 0.6 ? 1 : 1 - (t - 0.6) / 0.4;
      ctx.save();
      ctx.globalAlpha *= Math.max(0, 1 - ring);
      ctx.strokeStyle = palette.danger;
      ctx.lineWidth = 2.5;
      ctx.beginPath();
      ctx.arc(at.x, at.y, 6 + 22 * ring, 0, Math.PI * 2);
      ctx.stroke();
      ctx.restore();
      ctx.fillStyle = palette.danger;
      ctx.beginPath();
      ctx.arc(at.x, at.y, Math.max(0, 5 * (1 - t)), 0, Math.PI * 2);
      ctx.fill();
      // Left of the exchange and above the incoming edge, so neither hides it.
      haloText(ctx, 'unroutable', at.x - 12, at.y - 12 - 10 * t, palette.danger, palette, 'end');
    },
    { testId: 'message-dropped', label: 'unroutable' },
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
  if (!surface) return;
  const unroutable = event.routedQueues.length === 0;
  // Sampled per line before any routing is worked out: above the rate a message costs nothing.
  const line = event.producerId ?? event.outsideClientId ?? `exchange:${event.exchange}`;
  if (!sample(unroutable ? `drop:${line}` : line)) return;
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
    if (unroutable) {
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
        const end = pointOnEdge(last, 1);
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
  if (event.messageId !== null && !unroutable) {
    const longest = Math.max(0, ...paths.hops.map((hop) => hop.length)) + (entered ? 1 : 0);
    if (arrivals.size >= MAX_ARRIVALS) arrivals.clear();
    arrivals.set(event.messageId, now() + longest * HOP_MS);
  }
}

function schedule(): void {
  frame ??= requestAnimationFrame(tick);
}

/** Moves the dots to time `at`; runs the `then` of those that arrived. */
function advance(at: number): void {
  const arrived: Dot[] = [];
  for (const dot of dots) {
    const elapsed = at - dot.startedAt;
    const index = Math.floor(elapsed / HOP_MS);
    const edge = dot.edges[index];
    if (edge === undefined) {
      arrived.push(dot);
      continue;
    }
    const t = ease((elapsed - index * HOP_MS) / HOP_MS);
    const point = pointOnEdge(edge, dot.reverse ? 1 - t : t);
    if (!point) {
      // The edge is gone (deleted or not drawn): drop the dot quietly.
      dots.delete(dot);
      continue;
    }
    dot.x = point.x;
    dot.y = point.y;
  }
  for (const dot of arrived) {
    dots.delete(dot);
    dot.then?.();
  }
  for (const effect of effects) {
    if (at - effect.startedAt >= effect.duration) {
      effect.marker?.remove();
      effects.delete(effect);
    }
  }
}

function draw(target: Surface, at: number): void {
  const { ctx, canvas } = target;
  target.palette ??= readPalette(canvas);
  const palette = target.palette;
  const ratio = canvas.width / Math.max(1, target.width);
  const [x, y, zoom] = target.transform();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(ratio * zoom, 0, 0, ratio * zoom, ratio * x, ratio * y);

  for (const effect of effects) {
    const t = Math.min(1, Math.max(0, (at - effect.startedAt) / effect.duration));
    ctx.globalAlpha = 1;
    effect.draw(ctx, t, palette);
  }
  ctx.globalAlpha = 1;

  // Only dots in view are drawn; one path per colour, halos first, then cores.
  const left = -x / zoom - 12;
  const top = -y / zoom - 12;
  const right = left + target.width / zoom + 24;
  const bottom = top + target.height / zoom + 24;
  for (const style of DOT_STYLES) {
    let any = false;
    ctx.beginPath();
    for (const dot of dots) {
      if (dot.style !== style) continue;
      if (dot.x < left || dot.x > right || dot.y < top || dot.y > bottom) continue;
      ctx.moveTo(dot.x + 10, dot.y);
      ctx.arc(dot.x, dot.y, 10, 0, Math.PI * 2);
      any = true;
    }
    if (!any) continue;
    const color = palette.dot[style];
    ctx.globalAlpha = 0.22;
    ctx.fillStyle = color;
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.beginPath();
    for (const dot of dots) {
      if (dot.style !== style) continue;
      if (dot.x < left || dot.x > right || dot.y < top || dot.y > bottom) continue;
      ctx.moveTo(dot.x + 4.5, dot.y);
      ctx.arc(dot.x, dot.y, 4.5, 0, Math.PI * 2);
    }
    ctx.fill();
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = palette.halo;
    ctx.stroke();
  }
}

/** What tests and readers can see of the layer: dots in flight, launched, sampled out. */
function publishStats(target: Surface, realNow: number): void {
  // One stand-in element while any dot is in flight, for whoever waits for "a message dot".
  if (dots.size > 0 && !dotMarker && markers) {
    dotMarker = document.createElement('span');
    dotMarker.className = 'message-marker message-marker--dot';
    dotMarker.dataset.testid = 'message-dot';
    const first = dots.values().next().value;
    if (first) dotMarker.style.transform = `translate(${first.x}px, ${first.y}px)`;
    markers.appendChild(dotMarker);
  } else if (dots.size === 0 && dotMarker) {
    dotMarker.remove();
    dotMarker = null;
  }
  // The figures a few times a second (and at once when the last dot is gone), not every frame.
  if (dots.size > 0 && realNow - statsAt < STATS_EVERY_MS) return;
  const stats = `${dots.size} ${launched} ${sampler.skipped}`;
  if (stats === shownStats) return;
  statsAt = realNow;
  shownStats = stats;
  target.canvas.dataset.inFlight = String(dots.size);
  target.canvas.dataset.launched = String(launched);
  target.canvas.dataset.sampledOut = String(sampler.skipped);
}

function tick(): void {
  frame = null;
  const target = surface;
  if (!target) return;
  const at = now();
  advance(at);
  draw(target, at);
  publishStats(target, performance.now());
  if ((dots.size > 0 || effects.size > 0) && !clock.isPaused) schedule();
}
