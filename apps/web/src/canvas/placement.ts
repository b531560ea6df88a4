export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const GAP = 28;
const STEP = 40;

function overlaps(a: Rect, b: Rect): boolean {
  return (
    a.x < b.x + b.width + GAP &&
    b.x < a.x + a.width + GAP &&
    a.y < b.y + b.height + GAP &&
    b.y < a.y + a.height + GAP
  );
}

/**
 * Top-left corner for a new node of `size`, as close to `center` as possible without
 * touching any of `taken`. Candidates are tried ring by ring on a grid around the center,
 * nearest first, so a new node lands in view even on a crowded canvas.
 */
export function findFreeSpot(
  center: { x: number; y: number },
  size: { width: number; height: number },
  taken: readonly Rect[],
): { x: number; y: number } {
  const origin = {
    x: Math.round(center.x - size.width / 2),
    y: Math.round(center.y - size.height / 2),
  };
  const fits = (x: number, y: number) => !taken.some((r) => overlaps({ x, y, ...size }, r));
  if (fits(origin.x, origin.y)) return origin;
  for (let ring = 1; ring <= 60; ring++) {
    const candidates: { x: number; y: number; distance: number }[] = [];
    for (let i = -ring; i <= ring; i++) {
      for (let j = -ring; j <= ring; j++) {
        if (Math.max(Math.abs(i), Math.abs(j)) !== ring) continue;
        const x = origin.x + i * STEP;
        const y = origin.y + j * STEP;
        // Prefer spreading sideways a little less than downwards: diagrams read left to right.
        candidates.push({ x, y, distance: Math.hypot(i * 1.2, j) });
      }
    }
    candidates.sort((a, b) => a.distance - b.distance);
    const free = candidates.find((c) => fits(c.x, c.y));
    if (free) return { x: free.x, y: free.y };
  }
  return origin;
}
