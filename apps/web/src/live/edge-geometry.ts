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
  element: SVGPathElement;
  length: number;
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

/**
 * An offscreen path element for `d`, to sample points along it. Kept in a small cache keyed
 * by the path string, since edges only change shape when a node moves.
 */
export function measurePath(d: string): MeasuredPath {
  const hit = measured.get(d);
  if (hit) return hit;
  if (!measuringSvg) {
    measuringSvg = document.createElementNS(SVG_NS, 'svg');
    measuringSvg.setAttribute('aria-hidden', 'true');
    measuringSvg.style.cssText =
      'position:absolute;width:0;height:0;overflow:hidden;visibility:hidden;pointer-events:none';
    document.body.appendChild(measuringSvg);
  }
  if (measured.size > 400) {
    for (const old of measured.values()) old.element.remove();
    measured.clear();
  }
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
  const entry = { element, length, samples };
  measured.set(d, entry);
  return entry;
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
