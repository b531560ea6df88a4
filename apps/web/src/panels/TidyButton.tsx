import { useEffect } from 'react';
import { Glyph, Stroke } from '../canvas/nodes/NodeIcons';
import { useWarren, type WarrenState } from '../store/store';
import { isTyping } from '../canvas/shortcuts';

const selectViewing = (s: WarrenState) => s.viewing;
const selectEmpty = (s: WarrenState) =>
  s.topology.producers.length +
    s.topology.exchanges.length +
    s.topology.queues.length +
    (s.topology.consumers?.length ?? 0) ===
  0;

/** Shift+T tidies the diagram, unless the focus is in a field. */
function useTidyShortcut(enabled: boolean) {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (!e.shiftKey || e.ctrlKey || e.metaKey || e.altKey || e.key.toLowerCase() !== 't') return;
      if (e.repeat || isTyping(e.target)) return;
      e.preventDefault();
      void useWarren.getState().tidy();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}

/** Lays the whole diagram out again and zooms to fit it (Shift+T). */
export function TidyButton() {
  const viewing = useWarren(selectViewing);
  const empty = useWarren(selectEmpty);
  useTidyShortcut(!viewing);
  if (viewing) return null;
  return (
    <button
      type="button"
      data-testid="tidy-button"
      aria-keyshortcuts="Shift+T"
      disabled={empty}
      title="Lay the diagram out again, left to right, without overlaps (Shift+T)"
      onClick={() => void useWarren.getState().tidy()}
    >
      <Glyph>
        <Stroke d="M3 4h5v4H3zM12 4h5v4h-5zM3 12h5v4H3zM12 12h5v4h-5z" />
      </Glyph>
      Tidy
    </button>
  );
}
