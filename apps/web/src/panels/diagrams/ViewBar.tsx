import { useState } from 'react';
import { viewPath } from '../../diagrams/diagram-links';
import { forkAndOpen } from '../../diagrams/save';
import { useClassroom } from '../../classroom/classroom-store';
import { useWarren, type WarrenState } from '../../store/store';

const selectViewed = (s: WarrenState) => (s.viewing ? s.diagram : null);

/** Over the canvas of a view link: what this is, and the two ways on (run it, fork it). */
export function ViewBar() {
  const diagram = useWarren(selectViewed);
  const viewing = useWarren((s) => s.viewing);
  const [forking, setForking] = useState(false);
  // A classroom's student watches a session, not a saved diagram: its own banner says so.
  const student = useClassroom((s) => s.role === 'student');
  if (!viewing || student) return null;
  return (
    <div className="view-bar" role="region" aria-label="Shared diagram" data-testid="view-bar">
      <span className="view-bar__badge">Read-only</span>
      <span className="view-bar__text">
        {diagram ? (
          <>
            <strong data-testid="view-name">{diagram.name}</strong> · revision {diagram.revision}.
            Run it on a broker of your own, or fork it to change it.
          </>
        ) : (
          'Loading the shared diagram…'
        )}
      </span>
      <button
        type="button"
        className="ghost-button"
        disabled={!diagram}
        onClick={() => diagram && window.location.assign(`${viewPath(diagram.id)}?run`)}
        title="A new session of your own, running this diagram on the broker"
        data-testid="view-run"
      >
        Run it
      </button>
      <button
        type="button"
        className="primary-button"
        disabled={!diagram || forking}
        onClick={() => {
          if (!diagram) return;
          setForking(true);
          void forkAndOpen(diagram.id, diagram.revision).finally(() => setForking(false));
        }}
        title="A copy of yours that you can edit"
        data-testid="view-fork"
      >
        {forking ? 'Forking…' : 'Fork'}
      </button>
    </div>
  );
}
