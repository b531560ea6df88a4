/**
 * Where things are on the canvas, for the animation layer, which lives outside React.
 * Custom edges register their SVG path here as they render; a locator registered by the
 * canvas answers where a node is. All coordinates are flow coordinates.
 */

export interface Point {
  x: number;
  y: number;
}

export interface NodeBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

const edgePaths = new Map<string, string>();

export function registerEdgePath(edgeId: string, d: string): void {
  edgePaths.set(edgeId, d);
}

/** Forgets a path, unless the edge has re-registered a newer one meanwhile. */
export function unregisterEdgePath(edgeId: string, d: string): void {
  if (edgePaths.get(edgeId) === d) edgePaths.delete(edgeId);
}

export function edgePath(edgeId: string): string | undefined {
  return edgePaths.get(edgeId);
}

let nodeLocator: ((nodeId: string) => NodeBox | undefined) | null = null;

export function setNodeLocator(locator: ((nodeId: string) => NodeBox | undefined) | null): void {
  nodeLocator = locator;
}

export function locateNode(nodeId: string): NodeBox | undefined {
  return nodeLocator?.(nodeId);
}

interface MeasuredPath {
  /** The offscreen element it was measured with, when it had to be. */
  element: SVGPathElement | null;
  /** Points evenly spaced along the path (x, y pairs), so a dot's place costs no DOM call. */
  samples: Float64Array;
}

/**
 * Points sampled per path. getPointAtLength is slow (a few hundred dots at 60 frames a second
 * took most of the main thread); between samples a dot moves on a straight line, which at
 * this spacing nobody can tell from the curve.
 */
const SAMPLES = 48;

const SVG_NS = 'http://www.w3.org/2000/svg';
const measured = new Map<string, MeasuredPath>();
let measuringSvg: SVGSVGElement | null = null;

const NUMBER = String.raw`(-?[\d.]+(?:e-?\d+)?)`;
const CUBIC = new RegExp(
  String.raw`^\s*M\s*${NUMBER}[\s,]+${NUMBER}\s*C\s*${NUMBER}[\s,]+${NUMBER}[\s,]+${NUMBER}[\s,]+${NUMBER}[\s,]+${NUMBER}[\s,]+${NUMBER}\s*$`,
  'i',
);

/**
 * Points evenly spaced along a single cubic Bezier path (`M x,y C c1 c2 end`, what every edge
 * draws), worked out without the DOM: asking a path element for its length makes the browser
 * lay out the page first, which under load took whole frames. Undefined for other paths.
 */
export function sampleCubic(d: string, samples = SAMPLES): Float64Array | undefined {
  const match = CUBIC.exec(d);
  if (!match) return undefined;
  const [x0, y0, x1, y1, x2, y2, x3, y3] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const dense = samples * 4;
  const xs = new Float64Array(dense + 1);
  const ys = new Float64Array(dense + 1);
  const lengths = new Float64Array(dense + 1);
  for (let i = 0; i <= dense; i++) {
    const t = i / dense;
    const u = 1 - t;
    const a = u * u * u;
    const b = 3 * u * u * t;
    const c = 3 * u * t * t;
    const e = t * t * t;
    xs[i] = a * x0 + b * x1 + c * x2 + e * x3;
    ys[i] = a * y0 + b * y1 + c * y2 + e * y3;
    if (i > 0)
      lengths[i] =
        (lengths[i - 1] ?? 0) +
        Math.hypot((xs[i] ?? 0) - (xs[i - 1] ?? 0), (ys[i] ?? 0) - (ys[i - 1] ?? 0));
  }
  const total = lengths[dense] ?? 0;
  const out = new Float64Array((samples + 1) * 2);
  let j = 0;
  for (let i = 0; i <= samples; i++) {
    const target = (i / samples) * total;
    while (j < dense - 1 && (lengths[j + 1] ?? 0) < target) j++;
    const l0 = lengths[j] ?? 0;
    const l1 = lengths[j + 1] ?? l0;
    const f = l1 > l0 ? Math.min(1, Math.max(0, (target - l0) / (l1 - l0))) : 0;
    out[i * 2] = (xs[j] ?? 0) + ((xs[j + 1] ?? 0) - (xs[j] ?? 0)) * f;
    out[i * 2 + 1] = (ys[j] ?? 0) + ((ys[j + 1] ?? 0) - (ys[j] ?? 0)) * f;
  }
  return out;
}

/**
 * Points along the path `d`: worked out directly for a cubic Bezier, else through an
 * offscreen path element. Kept in a small cache keyed by the path string, since edges only
 * change shape when a node moves.
 */
export function measurePath(d: string): MeasuredPath {
  const hit = measured.get(d);
  if (hit) return hit;
  const cubic = sampleCubic(d);
  if (cubic) {
    if (measured.size > 400) clearMeasured();
    const entry = { element: null, samples: cubic };
    measured.set(d, entry);
    return entry;
  }
  if (!measuringSvg) {
    measuringSvg = document.createElementNS(SVG_NS, 'svg');
    measuringSvg.setAttribute('aria-hidden', 'true');
    measuringSvg.style.cssText =
      'position:absolute;width:0;height:0;overflow:hidden;visibility:hidden;pointer-events:none';
    document.body.appendChild(measuringSvg);
  }
  if (measured.size > 400) clearMeasured();
  const element = document.createElementNS(SVG_NS, 'path');
  element.setAttribute('d', d);
  measuringSvg.appendChild(element);
  const length = element.getTotalLength();
  const samples = new Float64Array((SAMPLES + 1) * 2);
  for (let i = 0; i <= SAMPLES; i++) {
    const p = element.getPointAtLength((i / SAMPLES) * length);
    samples[i * 2] = p.x;
    samples[i * 2 + 1] = p.y;
  }
  const entry = { element, samples };
  measured.set(d, entry);
  return entry;
}

function clearMeasured(): void {
  for (const old of measured.values()) old.element?.remove();
  measured.clear();
}

/** The point a fraction `t` (0..1) of the way along edge `edgeId`, if the edge is drawn. */
export function pointOnEdge(edgeId: string, t: number): Point | undefined {
  const d = edgePaths.get(edgeId);
  if (d === undefined) return undefined;
  const { samples } = measurePath(d);
  const at = Math.max(0, Math.min(1, t)) * SAMPLES;
  const i = Math.min(SAMPLES - 1, Math.floor(at));
  const f = at - i;
  const x0 = samples[i * 2] ?? 0;
  const y0 = samples[i * 2 + 1] ?? 0;
  const x1 = samples[i * 2 + 2] ?? x0;
  const y1 = samples[i * 2 + 3] ?? y0;
  return { x: x0 + (x1 - x0) * f, y: y0 + (y1 - y0) * f };
}
