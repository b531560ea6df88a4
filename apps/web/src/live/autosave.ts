import { selectMissingOnBroker } from '../store/selectors';
import { useWarren } from '../store/store';
import { applyTopology } from './commands';

/**
 * Changes the broker does not see (a node moved, a producer's key or payload edited) are
 * saved on their own shortly after the last edit, so they survive a reload without an Apply.
 * Anything that would change the broker waits for the user's Apply.
 */

const QUIET_AFTER_MS = 700;

let timer: ReturnType<typeof setTimeout> | undefined;

export function startAutosave(): () => void {
  const unsubscribe = useWarren.subscribe((state, previous) => {
    // An edit made while a PUT was on its way is saved once that PUT is back.
    const putReturned =
      previous.sendingJson !== null && state.sendingJson === null && state.server === 'online';
    if (state.topology === previous.topology && !putReturned) return;
    clearTimeout(timer);
    if (!state.unsaved || state.dirty) return;
    timer = setTimeout(() => {
      const now = useWarren.getState();
      // A save is an apply on the server: it would quietly declare again what a fault deleted.
      if (
        now.unsaved &&
        !now.dirty &&
        !selectMissingOnBroker(now) &&
        now.editToken !== null &&
        now.applyPhase === 'idle'
      )
        void applyTopology({ quiet: true });
    }, QUIET_AFTER_MS);
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}
