import './edit-toolbar.css';
import { alignBoxes, type AlignMode, type NodeBox } from '@warren/topology';
import { Panel, useReactFlow } from '@xyflow/react';
import { useShallow } from 'zustand/react/shallow';
import { estimatedSize } from '../canvas/node-sizes';
import { useWarren, type WarrenState } from '../store/store';
import { TidyButton } from './TidyButton';

const selectToolbar = (s: WarrenState) => ({
  canUndo: s.history.past.length > 0,
  canRedo: s.history.future.length > 0,
  selected: s.selectedNodes.length,
  snapToGrid: s.snapToGrid,
  viewing: s.viewing,
  hasClipboard: s.clipboard !== null,
});

const alignments: { mode: AlignMode; label: string; icon: string; min: number }[] = [
  { mode: 'left', label: 'Align left', icon: '⇤', min: 2 },
  { mode: 'center', label: 'Align centers', icon: '↔', min: 2 },
  { mode: 'right', label: 'Align right', icon: '⇥', min: 2 },
  { mode: 'top', label: 'Align top', icon: '⤒', min: 2 },
  { mode: 'middle', label: 'Align middles', icon: '↕', min: 2 },
  { mode: 'bottom', label: 'Align bottom', icon: '⤓', min: 2 },
  { mode: 'distribute-horizontally', label: 'Distribute horizontally', icon: '⋯', min: 3 },
  { mode: 'distribute-vertically', label: 'Distribute vertically', icon: '⋮', min: 3 },
];

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const mod = isMac ? '⌘' : 'Ctrl+';

/** Lines the selected nodes up, as the canvas draws them (measured sizes when known). */
function useAlign(): (mode: AlignMode) => void {
  const { getNodes } = useReactFlow();
  return (mode) => {
    const selected = new Set(useWarren.getState().selectedNodes);
    const boxes: NodeBox[] = getNodes()
      .filter((n) => selected.has(n.id))
      .map((n) => {
        const estimate = estimatedSize[n.type as keyof typeof estimatedSize] ?? estimatedSize.queue;
        return {
          id: n.id,
          x: n.position.x,
          y: n.position.y,
          width: n.measured?.width ?? estimate.width,
          height: n.measured?.height ?? estimate.height,
        };
      });
    useWarren.getState().moveNodes(alignBoxes(boxes, mode));
  };
}

/**
 * Undo and Redo, Paste, snapping to the grid, and with two nodes or more selected what can be
 * done with them: copy, duplicate, delete, align. At the top in the middle, clear of the
 * corners where the canvas has its own controls.
 */
export function EditToolbar() {
  const { canUndo, canRedo, selected, snapToGrid, viewing, hasClipboard } = useWarren(
    useShallow(selectToolbar),
  );
  const align = useAlign();
  if (viewing) return null;
  const s = useWarren.getState;
  return (
    <Panel position="top-center" className="edit-toolbar" data-testid="edit-toolbar">
      <div className="edit-toolbar__group" role="toolbar" aria-label="Edit">
        <button
          type="button"
          data-testid="undo-button"
          aria-label="Undo"
          title={`Undo (${mod}Z)`}
          disabled={!canUndo}
          onClick={() => s().undo()}
        >
          <span aria-hidden="true">↶</span>
        </button>
        <button
          type="button"
          data-testid="redo-button"
          aria-label="Redo"
          title={`Redo (${mod}Shift+Z or ${mod}Y)`}
          disabled={!canRedo}
          onClick={() => s().redo()}
        >
          <span aria-hidden="true">↷</span>
        </button>
        <button
          type="button"
          data-testid="paste-button"
          aria-label="Paste"
          title={`Paste (${mod}V)`}
          disabled={!hasClipboard}
          onClick={() => s().paste()}
        >
          Paste
        </button>
        <button
          type="button"
          data-testid="snap-to-grid"
          className="edit-toolbar__toggle"
          aria-pressed={snapToGrid}
          title="Snap nodes to the grid when they are dropped or nudged"
          onClick={() => s().setSnapToGrid(!snapToGrid)}
        >
          Snap to grid
        </button>
        <TidyButton />
      </div>
      {selected >= 2 && (
        <div
          className="edit-toolbar__group"
          role="toolbar"
          aria-label="Selection"
          data-testid="selection-toolbar"
        >
          <span className="edit-toolbar__count" data-testid="selection-count">
            {selected} selected
          </span>
          <button
            type="button"
            data-testid="copy-button"
            aria-label="Copy"
            title={`Copy (${mod}C)`}
            onClick={() => s().copySelection()}
          >
            Copy
          </button>
          <button
            type="button"
            data-testid="duplicate-button"
            aria-label="Duplicate"
            title={`Duplicate (${mod}D)`}
            onClick={() => s().duplicate()}
          >
            Duplicate
          </button>
          <button
            type="button"
            data-testid="delete-selection-button"
            aria-label="Delete selection"
            title="Delete (Delete or Backspace)"
            onClick={() => s().deleteSelection()}
          >
            Delete
          </button>
          {alignments
            .filter((a) => selected >= a.min)
            .map((a) => (
              <button
                key={a.mode}
                type="button"
                data-testid={`align-${a.mode}`}
                aria-label={a.label}
                title={a.label}
                onClick={() => align(a.mode)}
              >
                <span aria-hidden="true">{a.icon}</span>
              </button>
            ))}
        </div>
      )}
    </Panel>
  );
}
