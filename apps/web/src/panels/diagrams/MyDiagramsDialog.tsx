import type { DiagramResponse } from '@warren/protocol';
import { useCallback, useEffect, useState } from 'react';
import { forkDiagram, getDiagram, imageUrl, updateDiagram } from '../../diagrams/diagram-api';
import { viewPath } from '../../diagrams/diagram-links';
import { deleteWithUndo } from '../../diagrams/delete-with-undo';
import {
  myDiagrams,
  rememberDiagram,
  subscribeMyDiagrams,
  type MyDiagram,
} from '../../diagrams/my-diagrams';
import { useWarren } from '../../store/store';
import { Modal } from '../ImportExportModal';
import { when } from './HistoryDialog';

const close = () => useWarren.getState().openDiagramDialog(null);
const problemText = (error: unknown) => (error instanceof Error ? error.message : String(error));

type Loaded = DiagramResponse | 'missing' | undefined;

function DiagramCard({
  entry,
  loaded,
  refresh,
}: {
  entry: MyDiagram;
  loaded: Loaded;
  refresh: (id: string) => void;
}) {
  const [renaming, setRenaming] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const current = useWarren((s) => s.diagram?.id === entry.id);
  const info = typeof loaded === 'object' ? loaded : null;
  const name = info?.name ?? entry.name;

  const rename = async (value: string) => {
    setRenaming(null);
    if (!info || value.trim() === '' || value === info.name) return;
    try {
      // A rename is a revision like any other, made from the latest one.
      await updateDiagram(entry.id, entry.editToken, {
        document: info.document,
        name: value.trim(),
        baseRevision: info.revision,
      });
      rememberDiagram({ id: entry.id, name: value.trim() });
      refresh(entry.id);
      const now = useWarren.getState().diagram;
      if (now?.id === entry.id) useWarren.getState().renameDiagram(value.trim());
    } catch (error) {
      setProblem(problemText(error));
    }
  };

  const duplicate = async () => {
    try {
      const copy = await forkDiagram(entry.id, { name: `${name} (copy)` });
      rememberDiagram({ id: copy.id, name: copy.name, editToken: copy.editToken });
    } catch (error) {
      setProblem(problemText(error));
    }
  };

  return (
    <li className="my-diagram" data-testid={`my-diagram-${entry.id}`}>
      <a className="my-diagram__thumb" href={viewPath(entry.id)} aria-label={`Open ${name}`}>
        {loaded === 'missing' ? (
          <span className="my-diagram__gone">deleted</span>
        ) : (
          <img src={imageUrl(entry.id)} alt="" loading="lazy" />
        )}
      </a>
      <div className="my-diagram__body">
        {renaming === null ? (
          <span className="my-diagram__name" data-testid="my-diagram-name">
            {name}
            {current && <span className="my-diagram__current">open</span>}
          </span>
        ) : (
          <input
            className="my-diagram__rename"
            value={renaming}
            autoFocus
            maxLength={200}
            aria-label="New name"
            data-testid="my-diagram-rename-input"
            onChange={(e) => setRenaming(e.target.value)}
            onBlur={(e) => void rename(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') e.currentTarget.blur();
              if (e.key === 'Escape') setRenaming(null);
            }}
          />
        )}
        <span className="my-diagram__meta">
          {info
            ? `revision ${info.revision} · changed ${when(info.updatedAt)}`
            : loaded === 'missing'
              ? 'no longer on the server'
              : '…'}
        </span>
        {problem && <span className="my-diagram__problem">{problem}</span>}
        <div className="my-diagram__actions">
          <a
            className="ghost-button ghost-button--small"
            href={viewPath(entry.id)}
            data-testid="my-diagram-open"
          >
            Open
          </a>
          <button
            type="button"
            className="ghost-button ghost-button--small"
            disabled={!info}
            onClick={() => setRenaming(name)}
            data-testid="my-diagram-rename"
          >
            Rename
          </button>
          <button
            type="button"
            className="ghost-button ghost-button--small"
            disabled={!info}
            onClick={() => void duplicate()}
            data-testid="my-diagram-duplicate"
          >
            Duplicate
          </button>
          <button
            type="button"
            className="ghost-button ghost-button--small ghost-button--danger"
            onClick={() => deleteWithUndo({ ...entry, name })}
            data-testid="my-diagram-delete"
            aria-label={`Delete ${name}`}
          >
            Delete
          </button>
        </div>
      </div>
    </li>
  );
}

/** The diagrams this browser saved or opened with an edit link. */
export function MyDiagramsDialog() {
  const [list, setList] = useState(myDiagrams);
  const [loaded, setLoaded] = useState<Record<string, Loaded>>({});
  useEffect(() => subscribeMyDiagrams(() => setList(myDiagrams())), []);
  const refresh = useCallback((id: string) => {
    getDiagram(id).then(
      (found) => setLoaded((l) => ({ ...l, [id]: found })),
      () => setLoaded((l) => ({ ...l, [id]: 'missing' })),
    );
  }, []);
  const ids = list.map((d) => d.id).join(' ');
  useEffect(() => {
    for (const id of ids.split(' ').filter(Boolean)) refresh(id);
  }, [ids, refresh]);
  return (
    <Modal
      title="My diagrams"
      subtitle="Diagrams this browser saved, or opened with an edit link. They are kept on the Warren server; this list is kept in this browser."
      onClose={close}
      testId="my-diagrams-dialog"
      wide
    >
      {list.length === 0 ? (
        <p className="share-note" data-testid="my-diagrams-empty">
          None yet: Save keeps the canvas as a diagram you can share.
        </p>
      ) : (
        <ul className="my-diagrams" aria-label="My diagrams">
          {list.map((entry) => (
            <DiagramCard key={entry.id} entry={entry} loaded={loaded[entry.id]} refresh={refresh} />
          ))}
        </ul>
      )}
    </Modal>
  );
}
