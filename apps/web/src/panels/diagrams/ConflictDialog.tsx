import { useShallow } from 'zustand/react/shallow';
import { reloadTheirs, saveAsCopy } from '../../diagrams/save';
import { useWarren, type WarrenState } from '../../store/store';
import { Modal } from '../ImportExportModal';

const selectConflict = (s: WarrenState) =>
  s.conflict && s.diagram
    ? { latest: s.conflict.latestRevision, mine: s.diagram.revision, name: s.diagram.name }
    : null;
const dismiss = () => useWarren.getState().saveFinished();

/** Someone saved the diagram since this canvas loaded it: the user decides, nothing is lost. */
export function ConflictDialog() {
  const conflict = useWarren(useShallow(selectConflict));
  if (!conflict) return null;
  const footer = (
    <>
      <button
        type="button"
        className="ghost-button"
        onClick={dismiss}
        data-testid="conflict-cancel"
      >
        Not now
      </button>
      <button
        type="button"
        className="ghost-button"
        onClick={() => {
          dismiss();
          void reloadTheirs();
        }}
        data-testid="conflict-reload"
      >
        Reload theirs
      </button>
      <button
        type="button"
        className="primary-button"
        onClick={() => {
          dismiss();
          void saveAsCopy();
        }}
        data-testid="conflict-save-copy"
      >
        Save mine as a copy
      </button>
    </>
  );
  return (
    <Modal
      title="Someone saved this diagram meanwhile"
      onClose={dismiss}
      testId="conflict-dialog"
      footer={footer}
    >
      <p className="conflict-text" data-testid="conflict-text">
        “{conflict.name}” is at revision {conflict.latest} now; your changes were made on revision{' '}
        {conflict.mine}. Nothing was overwritten. Reload their revision (your changes are dropped),
        or keep yours as a new diagram.
      </p>
    </Modal>
  );
}
