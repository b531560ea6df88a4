import { useWarren } from '../store/store';
import { isTyping } from '../canvas/shortcuts';

/**
 * Presentation mode, for a projector: large type, high contrast, palette and inspectors
 * hidden. Applied as `data-presentation` on the root element; the "p" key toggles it when
 * nothing is being typed.
 */

export function togglePresentation(): void {
  const state = useWarren.getState();
  state.setPresentation(!state.presentation);
}

export function startPresentation(): void {
  const apply = (on: boolean) => {
    if (on) document.documentElement.dataset.presentation = 'on';
    else delete document.documentElement.dataset.presentation;
  };
  apply(useWarren.getState().presentation);
  useWarren.subscribe((state, before) => {
    if (state.presentation !== before.presentation) apply(state.presentation);
  });
  window.addEventListener('keydown', (e) => {
    if (e.key !== 'p' && e.key !== 'P') return;
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || isTyping(e.target)) return;
    e.preventDefault();
    togglePresentation();
  });
}
