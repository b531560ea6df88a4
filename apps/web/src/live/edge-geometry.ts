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
}

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
  const entry = { element, length: element.getTotalLength() };
  measured.set(d, entry);
  return entry;
}

/** The point a fraction `t` (0..1) of the way along edge `edgeId`, if the edge is drawn. */
export function pointOnEdge(edgeId: string, t: number): Point | undefined {
  const d = edgePaths.get(edgeId);
  if (d === undefined) return undefined;
  const { element, length } = measurePath(d);
  const p = element.getPointAtLength(Math.max(0, Math.min(1, t)) * length);
  return { x: p.x, y: p.y };
}
