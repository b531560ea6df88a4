import { useEffect } from 'react';
import { Glyph, Stroke } from '../canvas/nodes/NodeIcons';
import { useWarren, type WarrenState } from '../store/store';
import { useClassroom, type ClassroomStore } from './classroom-store';
import { teacherClassroomOf } from './follower-id';
import './classroom-button.css';

const selectCanTeach = (s: WarrenState) => s.sessionId !== null && s.editToken !== null;
const selectSessionId = (s: WarrenState) => s.sessionId;
const selectFollowers = (s: ClassroomStore) =>
  s.teacher && !s.teacher.closed ? (s.teacher.state?.followers ?? 0) : null;

/** Opens the classroom panel; while a classroom is open it shows how many follow. */
export function ClassroomButton() {
  const canTeach = useWarren(selectCanTeach);
  const sessionId = useWarren(selectSessionId);
  const open = useClassroom((s) => s.panelOpen);
  const followers = useClassroom(selectFollowers);
  // After a reload the classroom this session had open comes back.
  useEffect(() => {
    if (!sessionId || !canTeach) return;
    const code = teacherClassroomOf(sessionId);
    if (code)
      void import('./teacher').then(({ resumeClassroom }) => resumeClassroom(sessionId, code));
  }, [sessionId, canTeach]);
  return (
    <button
      type="button"
      className={`tool-button ${open ? 'is-active' : ''}`}
      data-testid="classroom-button"
      aria-pressed={open}
      disabled={!canTeach}
      title={
        canTeach
          ? 'Teach with this canvas: students follow it live, try it in sandboxes, and predict where messages go'
          : 'Only the browser that started this session can teach it'
      }
      onClick={() => useClassroom.getState().setPanelOpen(!open)}
    >
      <Glyph>
        <Stroke d="M3 5.5h14v8H3zM7 17h6M10 13.5V17" />
      </Glyph>
      Classroom
      {followers !== null && (
        <span className="classroom-count" data-testid="classroom-button-followers">
          {followers}
        </span>
      )}
    </button>
  );
}
