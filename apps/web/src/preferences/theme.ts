import { useWarren } from '../store/store';
import type { Theme } from '../store/state';

/**
 * The colour theme: the system's (prefers-color-scheme) until the reader picks one with the
 * toggle, which this browser then remembers. Applied as `data-theme` on the root element, where
 * the CSS variables of each theme hang.
 */

const STORAGE_KEY = 'warren.theme';

function stored(): Theme | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'dark' || value === 'light' ? value : null;
  } catch {
    return null;
  }
}

function systemQuery(): MediaQueryList | null {
  return typeof window.matchMedia === 'function'
    ? window.matchMedia('(prefers-color-scheme: dark)')
    : null;
}

/** Reads the remembered or system theme, follows the system while none is picked. */
export function startTheme(): void {
  const query = systemQuery();
  const picked = stored();
  useWarren.getState().setTheme(picked ?? (query?.matches ? 'dark' : 'light'), picked !== null);
  query?.addEventListener('change', (e) => {
    if (!useWarren.getState().themeChosen)
      useWarren.getState().setTheme(e.matches ? 'dark' : 'light', false);
  });
  const apply = (theme: Theme) => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme;
  };
  apply(useWarren.getState().theme);
  useWarren.subscribe((state, before) => {
    if (state.theme !== before.theme) apply(state.theme);
  });
}

/** The reader picked a theme: use it and remember it. */
export function chooseTheme(theme: Theme): void {
  try {
    localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // Without storage the choice lasts until the page is reloaded.
  }
  useWarren.getState().setTheme(theme, true);
}
