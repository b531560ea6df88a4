import { useEffect, useState } from 'react';
import { renewEditToken } from '../../diagrams/diagram-api';
import { editLink, viewLink } from '../../diagrams/diagram-links';
import { rememberDiagram } from '../../diagrams/my-diagrams';
import { useWarren, type WarrenState } from '../../store/store';
import { copyText } from '../copy-text';
import { Modal } from '../ImportExportModal';

const selectDiagram = (s: WarrenState) => s.diagram;
const close = () => useWarren.getState().openDiagramDialog(null);

function LinkRow({
  label,
  hint,
  link,
  testId,
}: {
  label: string;
  hint: string;
  link: string;
  testId: string;
}) {
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => {
    if (copied === null) return;
    const timer = setTimeout(() => setCopied(null), 1800);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <div className="share-link">
      <div className="share-link__head">
        <span className="share-link__label">{label}</span>
        <span className="share-link__hint">{hint}</span>
      </div>
      <div className="share-link__row">
        <input
          className="share-link__url"
          readOnly
          value={link}
          onFocus={(e) => e.currentTarget.select()}
          aria-label={label}
          data-testid={`${testId}-link`}
        />
        <button
          type="button"
          className="ghost-button"
          onClick={() => void copyText(link).then((ok) => setCopied(ok ? 'Copied' : 'Copy failed'))}
          data-testid={`${testId}-copy`}
          aria-label={`Copy ${label.toLowerCase()}`}
        >
          {copied ?? 'Copy'}
        </button>
      </div>
    </div>
  );
}

/** The view link and (for this browser's own diagrams) the edit link, with a way to revoke it. */
export function ShareDialog() {
  const diagram = useWarren(selectDiagram);
  const [revoking, setRevoking] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  if (!diagram) return null;
  const token = diagram.editToken;

  const revoke = async () => {
    if (!token) return;
    setRevoking(true);
    setNote(null);
    try {
      const renewed = await renewEditToken(diagram.id, token);
      const now = useWarren.getState().diagram;
      if (now?.id === diagram.id)
        useWarren.getState().setDiagram({ ...now, editToken: renewed.editToken });
      rememberDiagram({ id: diagram.id, editToken: renewed.editToken });
      setNote('Done: the old edit link no longer edits. This is the new one.');
    } catch (error) {
      setNote(error instanceof Error ? error.message : String(error));
    } finally {
      setRevoking(false);
    }
  };

  return (
    <Modal
      title={`Share “${diagram.name}”`}
      subtitle="Anyone with the view link sees the diagram read-only and can run or fork it. The edit link lets its holder save new revisions."
      onClose={close}
      testId="share-dialog"
    >
      <div className="share-links">
        <LinkRow
          label="View link"
          hint="read-only · run it · fork it"
          link={viewLink(diagram.id)}
          testId="share-view"
        />
        {token ? (
          <LinkRow
            label="Edit link"
            hint="saves to this diagram"
            link={editLink(diagram.id, token)}
            testId="share-edit"
          />
        ) : (
          <p className="share-note">
            This browser has no edit link for this diagram: Save as copy makes one of yours.
          </p>
        )}
        {token && (
          <div className="share-revoke">
            <div>
              <strong>Revoke the edit link</strong>
              <p>Every edit link given out so far stops working; this browser gets a new one.</p>
            </div>
            <button
              type="button"
              className="ghost-button ghost-button--danger"
              onClick={() => void revoke()}
              disabled={revoking}
              data-testid="share-revoke"
            >
              {revoking ? 'Revoking…' : 'Revoke edit link'}
            </button>
          </div>
        )}
        {note && (
          <p className="share-note" role="status" data-testid="share-note">
            {note}
          </p>
        )}
      </div>
    </Modal>
  );
}
