import { fragmentText } from '@warren/topology';
import { useEffect } from 'react';
import { GRID } from '../store/editing-slice';
import { useWarren } from '../store/store';
import { isTyping, shortcutFor } from './shortcuts';

/** Also puts a copy on the system clipboard as JSON text, where the browser allows it. */
function toSystemClipboard(text: string): void {
  // Refused without focus or permission: the copy inside the page is the one pasted anyway.
  navigator.clipboard?.writeText(text).catch(() => undefined);
}

/**
 * The keyboard shortcuts of the canvas: undo and redo, copy, cut, paste, duplicate, select
 * all, delete and nudging the selected nodes. None fires while the user types in a field or a
 * dialog is open. An arrow key on a focused node is React Flow's own (it moves the selection
 * the same way) and is left to it.
 */
export function useEditingShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTyping(e.target)) return;
      const state = useWarren.getState();
      if (state.viewing || state.transferDialog !== null || state.diagramDialog !== null) return;
      if (e.target instanceof Element && e.target.closest('[role="dialog"], dialog')) return;
      const shortcut = shortcutFor(e, state.snapToGrid ? GRID : undefined);
      if (!shortcut) return;
      switch (shortcut.kind) {
        case 'undo':
          state.undo();
          break;
        case 'redo':
          state.redo();
          break;
        case 'copy':
        case 'cut': {
          // Text selected on the page (a session id, a payload) is copied as text.
          if ((document.getSelection()?.toString() ?? '') !== '') return;
          const fragment = shortcut.kind === 'copy' ? state.copySelection() : state.cutSelection();
          if (!fragment) return;
          toSystemClipboard(fragmentText(fragment));
          break;
        }
        case 'paste':
          if (!state.clipboard) return;
          state.paste();
          break;
        case 'duplicate':
          state.duplicate();
          break;
        case 'delete':
          if (state.selectedNodes.length + state.selectedEdges.length === 0) return;
          state.deleteSelection();
          break;
        case 'select-all':
          state.selectAll();
          break;
        case 'nudge':
          if (state.selectedNodes.length === 0) return;
          state.nudge(shortcut.dx, shortcut.dy);
          break;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
