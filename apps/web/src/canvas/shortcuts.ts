/** What a key press on the canvas asks for, when it is an editing shortcut. */
export type Shortcut =
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'copy' }
  | { kind: 'cut' }
  | { kind: 'paste' }
  | { kind: 'duplicate' }
  | { kind: 'delete' }
  | { kind: 'select-all' }
  | { kind: 'nudge'; dx: number; dy: number };

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** One arrow-key step, and a Shift+arrow step. */
export const NUDGE = 5;
export const NUDGE_BIG = 20;

const arrows: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/**
 * The shortcut a key press stands for: Ctrl (or ⌘) with Z, Shift+Z or Y, C, X, V, D, A;
 * Delete or Backspace; the arrow keys (with Shift, a bigger step). `grid` is the step
 * while nodes snap to a grid.
 */
export function shortcutFor(press: KeyPress, grid?: number): Shortcut | undefined {
  if (press.altKey) return undefined;
  const command = press.ctrlKey || press.metaKey;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if (command) {
    switch (key) {
      case 'z':
        return press.shiftKey ? { kind: 'redo' } : { kind: 'undo' };
      case 'y':
        return press.shiftKey ? undefined : { kind: 'redo' };
      case 'c':
        return press.shiftKey ? undefined : { kind: 'copy' };
      case 'x':
        return press.shiftKey ? undefined : { kind: 'cut' };
      case 'v':
        return press.shiftKey ? undefined : { kind: 'paste' };
      case 'd':
        return press.shiftKey ? undefined : { kind: 'duplicate' };
      case 'a':
        return press.shiftKey ? undefined : { kind: 'select-all' };
      default:
        return undefined;
    }
  }
  if (key === 'Delete' || key === 'Backspace') return { kind: 'delete' };
  const arrow = arrows[key];
  if (arrow) {
    const step = grid ?? NUDGE;
    const by = press.shiftKey ? step * (NUDGE_BIG / NUDGE) : step;
    return { kind: 'nudge', dx: arrow[0] * by, dy: arrow[1] * by };
  }
  return undefined;
}

/**
 * Whether a key press goes to something the user is typing in (a text field, a list box, an
 * editable element), where Ctrl+Z, Delete and the arrows keep their usual meaning.
 */
export function isTyping(target: EventTarget | null): boolean {
  if (target === null || typeof (target as Element).closest !== 'function') return false;
  const element = target as HTMLElement;
  if (element.isContentEditable) return true;
  return element.closest('input, textarea, select, [contenteditable="true"]') !== null;
}
