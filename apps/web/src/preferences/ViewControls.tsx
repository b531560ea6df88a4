import './preferences.css';
import { useShallow } from 'zustand/react/shallow';
import { ANIMATION_SPEEDS, type AnimationSpeed } from '../live/anim-clock';
import { useWarren, type WarrenState } from '../store/store';
import { togglePresentation } from './presentation';
import { chooseTheme } from './theme';

const selectView = (s: WarrenState) => ({
  speed: s.animationSpeed,
  paused: s.animationPaused,
  theme: s.theme,
  presentation: s.presentation,
});

const speedLabel: Record<AnimationSpeed, string> = { 0.25: '¼×', 0.5: '½×', 1: '1×' };

/**
 * How the canvas is shown while teaching: the speed of moving dots and a pause (counts keep
 * counting), the colour theme, and presentation mode.
 */
export function ViewControls() {
  const { speed, paused, theme, presentation } = useWarren(useShallow(selectView));
  const { setAnimationSpeed, setAnimationPaused } = useWarren.getState();
  return (
    <div className="view-controls" role="toolbar" aria-label="View">
      <div className="speed-control" role="group" aria-label="Animation speed">
        <span className="speed-control__label" aria-hidden="true">
          Animation
        </span>
        {ANIMATION_SPEEDS.map((s) => (
          <button
            key={s}
            type="button"
            className="speed-control__option"
            data-testid={`speed-${s}`}
            aria-pressed={speed === s}
            aria-label={`Animation at ${speedLabel[s]} speed`}
            title={`Moving messages at ${speedLabel[s]} speed`}
            onClick={() => setAnimationSpeed(s)}
          >
            {speedLabel[s]}
          </button>
        ))}
        <button
          type="button"
          className="speed-control__pause"
          data-testid="pause-animation"
          aria-label={paused ? 'Resume animation' : 'Pause animation'}
          title={
            paused
              ? 'Let the moving messages go on'
              : 'Freeze the moving messages (counts keep counting)'
          }
          onClick={() => setAnimationPaused(!paused)}
        >
          {paused ? (
            <svg viewBox="0 0 12 12" width="10" height="10" aria-hidden="true">
              <path d="M3 1.8v8.4L10 6z" fill="currentColor" />
            </svg>
          ) : (
            <svg viewBox="0 0 12 12" width="10" height="10" aria-hidden="true">
              <rect x="2.5" y="2" width="2.6" height="8" rx="0.6" fill="currentColor" />
              <rect x="6.9" y="2" width="2.6" height="8" rx="0.6" fill="currentColor" />
            </svg>
          )}
          {paused ? 'Resume' : 'Pause'}
        </button>
      </div>
      <button
        type="button"
        className="view-toggle"
        data-testid="theme-toggle"
        title={theme === 'dark' ? 'Switch to the light theme' : 'Switch to the dark theme'}
        onClick={() => chooseTheme(theme === 'dark' ? 'light' : 'dark')}
      >
        {theme === 'dark' ? 'Light theme' : 'Dark theme'}
      </button>
      <button
        type="button"
        className="view-toggle"
        data-testid="presentation-toggle"
        aria-keyshortcuts="p"
        title="Large type and high contrast for a projector; palette and inspector hidden (key: p)"
        onClick={togglePresentation}
      >
        {presentation ? 'Leave presentation' : 'Present'}
      </button>
    </div>
  );
}
