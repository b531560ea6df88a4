import { Glyph, Stroke } from '../canvas/nodes/NodeIcons';
import { useMessageInspectorView } from '../store/message-inspector-view';

/** The top bar's button that opens and closes the message inspector. */
export function MessagesButton() {
  const open = useMessageInspectorView((s) => s.open);
  return (
    <button
      type="button"
      className={`tool-button ${open ? 'is-active' : ''}`}
      data-testid="messages-button"
      aria-pressed={open}
      title="Recent messages: where each went, and why"
      onClick={() => useMessageInspectorView.getState().toggle()}
    >
      <Glyph>
        <Stroke d="M3.5 5h13M3.5 10h13M3.5 15h8" />
      </Glyph>
      Messages
    </button>
  );
}
