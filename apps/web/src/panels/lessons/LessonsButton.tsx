import { useWarren, type WarrenState } from '../../store/store';

const selectOpen = (s: WarrenState) => s.lessonsOpen;

/** Opens the lesson gallery; it heads the palette, where a new user looks first. */
export function LessonsButton() {
  const open = useWarren(selectOpen);
  return (
    <button
      type="button"
      className={`palette-item palette-item--lessons ${open ? 'is-active' : ''}`}
      data-testid="lessons-button"
      aria-haspopup="dialog"
      title="Ready-made lessons: each opens a diagram with steps that check themselves on the broker"
      onClick={() => useWarren.getState().openLessons(!open)}
    >
      <span className="palette-item__icon" aria-hidden="true">
        <svg viewBox="0 0 20 20" width="18" height="18">
          <path
            d="M3 5.5 10 3l7 2.5-7 2.5-7-2.5ZM6 7v4.5c0 1.2 1.8 2.2 4 2.2s4-1 4-2.2V7"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.6"
            strokeLinejoin="round"
          />
        </svg>
      </span>
      <span className="palette-item__text">
        <span className="palette-item__label">Lessons</span>
        <span className="palette-item__hint">23 guided examples</span>
      </span>
    </button>
  );
}
