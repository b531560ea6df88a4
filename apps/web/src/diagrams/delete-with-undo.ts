import { useWarren } from '../store/store';
import { deleteDiagram } from './diagram-api';
import { forgetDiagram, rememberDiagram, type MyDiagram } from './my-diagrams';

/** How long Undo is offered before the diagram is deleted on the server. */
export const UNDO_MS = 6000;

/**
 * Deleting from "My diagrams": the entry leaves the list at once, and the server deletes the
 * diagram only when the Undo note has gone unanswered for a few seconds.
 */
export function deleteWithUndo(entry: MyDiagram): void {
  forgetDiagram(entry.id);
  const state = useWarren.getState();
  let undone = false;
  const toastId = state.showToast({
    text: `Deleted “${entry.name}”.`,
    tone: 'info',
    action: {
      label: 'Undo',
      testId: 'toast-undo',
      run: () => {
        undone = true;
        clearTimeout(timer);
        rememberDiagram(entry);
        useWarren.getState().dismissToast(toastId);
      },
    },
  });
  const timer = setTimeout(() => {
    if (undone) return;
    useWarren.getState().dismissToast(toastId);
    deleteDiagram(entry.id, entry.editToken).then(
      () => {
        const now = useWarren.getState();
        // The canvas showed the deleted diagram: it stays, as an unsaved drawing.
        if (now.diagram?.id === entry.id) now.setDiagram(null);
      },
      (error: unknown) => {
        rememberDiagram(entry);
        useWarren.getState().showToast({
          text: `“${entry.name}” was not deleted: ${error instanceof Error ? error.message : String(error)}`,
          tone: 'error',
        });
      },
    );
  }, UNDO_MS);
}
