import { Glyph, Stroke } from '../canvas/nodes/NodeIcons';
import { useWarren, type WarrenState } from '../store/store';
import { MessagesButton } from './MessagesButton';
import './explain/explain.css';

const selectExplainOpen = (s: WarrenState) => s.explainOpen;
const selectViewing = (s: WarrenState) => s.viewing;

/** A top bar button with its glyph; `pressed` makes it a toggle. */
function ToolButton({
  icon,
  label,
  title,
  testId,
  onClick,
  pressed,
  disabled,
}: {
  icon: string;
  label: string;
  title: string;
  testId: string;
  onClick: () => void;
  pressed?: boolean;
  disabled?: boolean;
}) {
  return (
    <button
      type="button"
      className={
        pressed === undefined ? 'tool-button' : `tool-button ${pressed ? 'is-active' : ''}`
      }
      aria-pressed={pressed}
      disabled={disabled}
      onClick={onClick}
      title={title}
      data-testid={testId}
    >
      <Glyph>
        <Stroke d={icon} />
      </Glyph>
      {label}
    </button>
  );
}

/** Top bar buttons: the route explainer, the message inspector, importing definitions, exporting the diagram. */
export function ExplainToolbar() {
  const explainOpen = useWarren(selectExplainOpen);
  // A diagram opened through its view link cannot take an import; Fork makes one that can.
  const viewing = useWarren(selectViewing);
  return (
    <div className="topbar-tools" role="group" aria-label="Diagram tools">
      <ToolButton
        icon="M8.5 14a5.5 5.5 0 1 1 0-11 5.5 5.5 0 0 1 0 11Zm4-1.5L17 17"
        label="Explain"
        pressed={explainOpen}
        onClick={() => {
          const state = useWarren.getState();
          if (state.explainOpen) state.closeExplain();
          else state.openExplain();
        }}
        title="Where would a message go, and why?"
        testId="explain-open"
      />
      <MessagesButton />
      <ToolButton
        icon="M10 3v9m0 0-3.5-3.5M10 12l3.5-3.5M3.5 13v2.5A1.5 1.5 0 0 0 5 17h10a1.5 1.5 0 0 0 1.5-1.5V13"
        label="Import"
        onClick={() => useWarren.getState().openTransferDialog('import')}
        disabled={viewing}
        title="Load a RabbitMQ definitions.json onto the canvas"
        testId="import-open"
      />
      <ToolButton
        icon="M10 12V3m0 0L6.5 6.5M10 3l3.5 3.5M3.5 13v2.5A1.5 1.5 0 0 0 5 17h10a1.5 1.5 0 0 0 1.5-1.5V13"
        label="Export"
        onClick={() => useWarren.getState().openTransferDialog('export')}
        title="The diagram as definitions.json or as code"
        testId="export-open"
      />
    </div>
  );
}
