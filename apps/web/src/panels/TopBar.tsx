import { useShallow } from 'zustand/react/shallow';
import { ClassroomButton } from '../classroom/ClassroomButton';
import { useClassroom, type ClassroomStore } from '../classroom/classroom-store';
import { applyTopology } from '../live/commands';
import { selectApplyStatus, selectToolbar } from '../store/selectors';
import { useWarren, type WarrenState } from '../store/store';
import { DiagramControls } from './diagrams/DiagramControls';
import { ExplainToolbar } from './ExplainToolbar';
import { ConnectButton } from './connect/ConnectButton';
import { PoliciesButton } from './PoliciesButton';

function Logo() {
  return (
    <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="#ff6a1f" />
      <circle cx="9" cy="16" r="3.2" fill="#fff" />
      <circle cx="23" cy="9.5" r="3.2" fill="#fff" />
      <circle cx="23" cy="22.5" r="3.2" fill="#fff" />
      <path
        d="M12 16 C16 16 16 9.5 20 9.5 M12 16 C16 16 16 22.5 20 22.5"
        stroke="#fff"
        strokeWidth="2"
        fill="none"
        strokeLinecap="round"
      />
    </svg>
  );
}

const selectViewing = (s: WarrenState) => s.viewing;
/** A student's page: the classroom's banner says what it is; in a sandbox, the session's tools. */
const selectStudent = (s: ClassroomStore) =>
  s.role !== 'student' || !s.student
    ? null
    : s.student.phase === 'sandbox'
      ? 'sandbox'
      : 'watching';

const statusTone: Record<ReturnType<typeof selectApplyStatus>, string> = {
  Applied: 'ok',
  'Unapplied changes': 'pending',
  'Applying...': 'busy',
  'Apply failed': 'error',
};

/**
 * How many animation events the server left out because this page read them too slowly. Counts
 * on nodes and edges stay exact; only some moving dots were skipped.
 */
function DroppedEvents() {
  const dropped = useWarren((s) => s.droppedTotal);
  if (dropped === 0) return null;
  return (
    <span
      className="dropped-events"
      data-testid="events-dropped"
      title="The page read events more slowly than they came, so the server skipped these animation events. Every count on the canvas stays exact."
    >
      {dropped.toLocaleString('en')} events skipped
    </span>
  );
}

export function TopBar() {
  const { sessionId, readOnly, dirty, applying } = useWarren(useShallow(selectToolbar));
  const status = useWarren(selectApplyStatus);
  const viewing = useWarren(selectViewing);
  const student = useClassroom(selectStudent);
  if (student === 'watching')
    return (
      <header className="topbar">
        <div className="topbar__brand">
          <Logo />
          <span className="topbar__name">Warren</span>
          <span className="topbar__tagline">RabbitMQ exchange playground</span>
        </div>
        <span className="topbar__classroom">Classroom · view only</span>
        <DroppedEvents />
      </header>
    );
  return (
    <header className="topbar">
      <div className="topbar__brand">
        <Logo />
        <span className="topbar__name">Warren</span>
        <span className="topbar__tagline">RabbitMQ exchange playground</span>
      </div>
      <DiagramControls />
      {!viewing && (
        <div className="topbar__session">
          <span className="topbar__label">session</span>
          <code
            className="session-id"
            data-testid="session-id"
            title="This id is in the page address; reload to come back to it"
          >
            {sessionId ?? '…'}
          </code>
          {readOnly && <span className="readonly-badge">view only</span>}
        </div>
      )}
      <DroppedEvents />
      <div className="topbar-tools">
        <ConnectButton />
        {student === null && <ClassroomButton />}
        <PoliciesButton />
      </div>
      <ExplainToolbar />
      {!viewing && (
        <div className="topbar__apply">
          <span
            className={`apply-status apply-status--${statusTone[status]}`}
            data-testid="apply-status"
            role="status"
          >
            {status}
          </span>
          <button
            type="button"
            className={`apply-button ${dirty ? 'apply-button--dirty' : ''}`}
            data-testid="apply-button"
            onClick={() => void applyTopology()}
            disabled={applying}
            title="Declare the diagram on the broker"
          >
            Apply
          </button>
        </div>
      )}
    </header>
  );
}
