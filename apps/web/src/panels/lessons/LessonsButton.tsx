import { Glyph, Stroke } from '../../canvas/nodes/NodeIcons';
import { useWarren, type WarrenState } from '../../store/store';

const selectOpen = (s: WarrenState) => s.lessonsOpen;

/** Opens the lesson gallery. */
export function LessonsButton() {
  const open = useWarren(selectOpen);
  return (
    <div className="topbar-tools">
      <button
        type="button"
        className={`tool-button ${open ? 'is-active' : ''}`}
        data-testid="lessons-button"
        aria-pressed={open}
        aria-haspopup="dialog"
        title="Ready-made lessons: each opens a diagram with steps that check themselves on the broker"
        onClick={() => useWarren.getState().openLessons(!open)}
      >
        <Glyph>
          <Stroke d="M3 5.5 10 3l7 2.5-7 2.5-7-2.5ZM6 7v4.5c0 1.2 1.8 2.2 4 2.2s4-1 4-2.2V7" />
        </Glyph>
        Lessons
      </button>
    </div>
  );
}
