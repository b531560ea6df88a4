import type { Position } from '../model';

/** A node as drawn: its top-left corner and size. */
export interface NodeBox {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export type AlignMode =
  | 'left'
  | 'center'
  | 'right'
  | 'top'
  | 'middle'
  | 'bottom'
  | 'distribute-horizontally'
  | 'distribute-vertically';

/**
 * Where each node goes to line up with the others: by left edges, centres or right edges
 * (`left`, `center`, `right`), top edges, middles or bottom edges (`top`, `middle`,
 * `bottom`), or spread with equal gaps between the first and the last (`distribute-…`).
 * Only nodes that move are returned.
 */
export function alignBoxes(boxes: readonly NodeBox[], mode: AlignMode): Record<string, Position> {
  const moves: Record<string, Position> = {};
  if (boxes.length < 2) return moves;
  const put = (box: NodeBox, x: number, y: number) => {
    const at = { x: Math.round(x), y: Math.round(y) };
    if (at.x !== box.x || at.y !== box.y) moves[box.id] = at;
  };
  const left = Math.min(...boxes.map((b) => b.x));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const top = Math.min(...boxes.map((b) => b.y));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  switch (mode) {
    case 'left':
      for (const b of boxes) put(b, left, b.y);
      break;
    case 'right':
      for (const b of boxes) put(b, right - b.width, b.y);
      break;
    case 'center':
      for (const b of boxes) put(b, (left + right) / 2 - b.width / 2, b.y);
      break;
    case 'top':
      for (const b of boxes) put(b, b.x, top);
      break;
    case 'bottom':
      for (const b of boxes) put(b, b.x, bottom - b.height);
      break;
    case 'middle':
      for (const b of boxes) put(b, b.x, (top + bottom) / 2 - b.height / 2);
      break;
    case 'distribute-horizontally': {
      const sorted = [...boxes].sort((a, b) => a.x - b.x);
      const gap = (right - left - sum(sorted.map((b) => b.width))) / (sorted.length - 1);
      let x = left;
      for (const b of sorted) {
        put(b, x, b.y);
        x += b.width + gap;
      }
      break;
    }
    case 'distribute-vertically': {
      const sorted = [...boxes].sort((a, b) => a.y - b.y);
      const gap = (bottom - top - sum(sorted.map((b) => b.height))) / (sorted.length - 1);
      let y = top;
      for (const b of sorted) {
        put(b, b.x, y);
        y += b.height + gap;
      }
      break;
    }
  }
  return moves;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
