import { useEffect, useState } from 'react';
import { saveAsCopy, saveDiagram } from '../../diagrams/save';
import { selectDiagramName, selectSaveStatus, type SaveStatus } from '../../diagrams/save-status';
import { useWarren, type WarrenState } from '../../store/store';
import { DiagramMenu } from './DiagramMenu';
import './diagrams.css';

const selectRevision = (s: WarrenState) => s.diagram?.revision ?? null;
const selectCanShare = (s: WarrenState) => s.diagram !== null;
const selectCanEdit = (s: WarrenState) => s.diagram?.editToken != null;

const statusText = (status: SaveStatus, revision: number | null) =>
  ({
    viewing: 'view only',
    saving: 'Saving…',
    'not saved': 'Not saved',
    unsaved: 'Unsaved changes',
    saved: `Saved · revision ${revision ?? 1}`,
  })[status];

/** The diagram's name, typed in place; Enter or leaving the field keeps it, Escape drops it. */
function NameField() {
  const name = useWarren(selectDiagramName);
  const viewing = useWarren((s) => s.viewing);
  const [draft, setDraft] = useState<string | null>(null);
  // The tab says which diagram it holds.
  useEffect(() => {
    document.title = `${name} · Warren`;
  }, [name]);
  const commit = () => {
    const value = draft?.trim();
    setDraft(null);
    if (value && value !== name) useWarren.getState().renameDiagram(value.slice(0, 200));
  };
  return (
    <input
      className="diagram-name"
      value={draft ?? name}
      readOnly={viewing}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur();
        if (e.key === 'Escape') {
          setDraft(null);
          e.currentTarget.blur();
        }
      }}
      aria-label="Diagram name"
      data-testid="diagram-name"
      maxLength={200}
      size={Math.min(26, Math.max(6, (draft ?? name).length))}
    />
  );
}

/** Ctrl+S / Cmd+S saves, wherever the focus is, instead of the browser's "save page". */
function useSaveShortcut() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 's') {
        e.preventDefault();
        if (useWarren.getState().viewing) return;
        // A name or field still being typed is committed (on blur) before the save reads it.
        if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
        void (e.shiftKey ? saveAsCopy() : saveDiagram());
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** Top bar: the saved diagram's name and state, save, share, history, my diagrams, open a file. */
export function DiagramControls() {
  const status = useWarren(selectSaveStatus);
  const revision = useWarren(selectRevision);
  const canShare = useWarren(selectCanShare);
  const canEdit = useWarren(selectCanEdit);
  const problem = useWarren((s) => s.saveProblem);
  useSaveShortcut();

  const viewing = status === 'viewing';
  return (
    <div className="diagram-controls" role="group" aria-label="Saved diagram">
      <NameField />
      <span
        className={`save-status save-status--${status.replace(' ', '-')}`}
        data-testid="save-status"
        role="status"
        title={problem ?? undefined}
      >
        {statusText(status, revision)}
      </span>
      {!viewing && (
        <button
          type="button"
          className="tool-button tool-button--save"
          onClick={() => void saveDiagram()}
          disabled={status === 'saving'}
          title={
            canShare && !canEdit
              ? 'This browser cannot edit this diagram: Save makes a copy of yours (Ctrl+S)'
              : 'Save a new revision (Ctrl+S)'
          }
          data-testid="save-button"
        >
          Save
        </button>
      )}
      <button
        type="button"
        className="tool-button"
        onClick={() => useWarren.getState().openDiagramDialog('share')}
        disabled={!canShare}
        title={canShare ? 'Links to this diagram' : 'Save the diagram first'}
        data-testid="share-open"
      >
        Share
      </button>
      <DiagramMenu />
    </div>
  );
}
