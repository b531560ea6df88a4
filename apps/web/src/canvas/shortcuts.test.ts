import { describe, expect, it } from 'vitest';
import { shortcutFor, type KeyPress } from './shortcuts';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('editing shortcuts', () => {
  it('reads undo and both redo keys, with Ctrl or ⌘', () => {
    expect(shortcutFor(press('z', { ctrlKey: true }))).toEqual({ kind: 'undo' });
    expect(shortcutFor(press('Z', { ctrlKey: true, shiftKey: true }))).toEqual({ kind: 'redo' });
    expect(shortcutFor(press('y', { ctrlKey: true }))).toEqual({ kind: 'redo' });
    expect(shortcutFor(press('z', { metaKey: true }))).toEqual({ kind: 'undo' });
    expect(shortcutFor(press('z'))).toBeUndefined();
    expect(shortcutFor(press('z', { ctrlKey: true, altKey: true }))).toBeUndefined();
  });

  it('reads copy, cut, paste, duplicate, select all and delete', () => {
    const ctrl = { ctrlKey: true };
    expect(shortcutFor(press('c', ctrl))?.kind).toBe('copy');
    expect(shortcutFor(press('x', ctrl))?.kind).toBe('cut');
    expect(shortcutFor(press('v', ctrl))?.kind).toBe('paste');
    expect(shortcutFor(press('d', ctrl))?.kind).toBe('duplicate');
    expect(shortcutFor(press('a', ctrl))?.kind).toBe('select-all');
    expect(shortcutFor(press('Delete'))?.kind).toBe('delete');
    expect(shortcutFor(press('Backspace'))?.kind).toBe('delete');
    expect(shortcutFor(press('Escape'))).toBeUndefined();
    expect(shortcutFor(press('v', { ctrlKey: true, shiftKey: true }))).toBeUndefined();
  });

  it('nudges by a small step, a bigger one with Shift, and by the grid when snapping', () => {
    expect(shortcutFor(press('ArrowLeft'))).toEqual({ kind: 'nudge', dx: -5, dy: 0 });
    expect(shortcutFor(press('ArrowDown', { shiftKey: true }))).toEqual({
      kind: 'nudge',
      dx: 0,
      dy: 20,
    });
    expect(shortcutFor(press('ArrowUp'), 22)).toEqual({ kind: 'nudge', dx: 0, dy: -22 });
  });
});
