import type { RevisionSummary } from '@warren/protocol';
import { useEffect, useState } from 'react';
import { imageUrl, listRevisions } from '../../diagrams/diagram-api';
import { restoreRevision } from '../../diagrams/save';
import { useWarren, type WarrenState } from '../../store/store';
import { Modal } from '../ImportExportModal';

const selectDiagram = (s: WarrenState) => s.diagram;
const close = () => useWarren.getState().openDiagramDialog(null);

export const when = (iso: string) =>
  new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });

/** Every revision of the diagram, newest first, with a preview and a way to restore one. */
export function HistoryDialog() {
  const diagram = useWarren(selectDiagram);
  const [revisions, setRevisions] = useState<RevisionSummary[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [picked, setPicked] = useState<number | null>(null);
  const id = diagram?.id;
  const current = diagram?.revision;

  useEffect(() => {
    if (id === undefined) return;
    let live = true;
    listRevisions(id).then(
      (list) => {
        if (!live) return;
        const newest = [...list].reverse();
        setRevisions(newest);
        setPicked((p) => p ?? newest[0]?.revision ?? null);
      },
      (error: unknown) =>
        live && setProblem(error instanceof Error ? error.message : String(error)),
    );
    return () => {
      live = false;
    };
  }, [id, current]);

  if (!diagram) return null;
  const latest = revisions?.[0]?.revision;
  return (
    <Modal
      title="History"
      subtitle={`Every saved revision of “${diagram.name}”. Restoring one saves it again as the newest.`}
      onClose={close}
      testId="history-dialog"
      wide
    >
      {problem && <p className="modal-problem">{problem}</p>}
      <div className="history">
        <ol className="history__list" aria-label="Revisions">
          {revisions?.map((r) => (
            <li key={r.revision}>
              <button
                type="button"
                className={`history-item ${picked === r.revision ? 'is-picked' : ''}`}
                aria-pressed={picked === r.revision}
                onClick={() => setPicked(r.revision)}
                data-testid={`history-item-${r.revision}`}
              >
                <span className="history-item__rev">Revision {r.revision}</span>
                <span className="history-item__meta">
                  {r.name} · {when(r.createdAt)}
                  {r.revision === latest && ' · latest'}
                </span>
              </button>
            </li>
          ))}
        </ol>
        <div className="history__preview">
          {picked !== null && (
            <>
              <img
                className="history__image"
                src={imageUrl(diagram.id, picked)}
                alt={`Revision ${picked} of ${diagram.name}`}
                data-testid="history-preview"
              />
              <div className="history__actions">
                {diagram.editToken ? (
                  <button
                    type="button"
                    className="primary-button"
                    disabled={picked === latest}
                    onClick={() => {
                      close();
                      void restoreRevision(picked);
                    }}
                    data-testid="history-restore"
                  >
                    {picked === latest
                      ? 'This is the latest revision'
                      : `Restore revision ${picked}`}
                  </button>
                ) : (
                  <span className="share-note">Restoring needs this diagram’s edit link.</span>
                )}
              </div>
            </>
          )}
        </div>
      </div>
    </Modal>
  );
}
