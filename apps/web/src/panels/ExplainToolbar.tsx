import { useWarren, type WarrenState } from '../store/store';
import './explain/explain.css';

const selectExplainOpen = (s: WarrenState) => s.explainOpen;
const selectViewing = (s: WarrenState) => s.viewing;

function Icon({ d }: { d: string }) {
  return (
    <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
      <path
        d={d}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/** Top bar buttons: the route explainer, importing definitions, exporting the diagram. */
export function ExplainToolbar() {
  const explainOpen = useWarren(selectExplainOpen);
  // A diagram opened through its view link cannot take an import; Fork makes one that can.
  const viewing = useWarren(selectViewing);
  return (
    <div className="topbar-tools" role="group" aria-label="Diagram tools">
      <button
        type="button"
        className={`tool-button ${explainOpen ? 'is-active' : ''}`}
        aria-pressed={explainOpen}
        onClick={() => {
          const state = useWarren.getState();
          if (state.explainOpen) state.closeExplain();
          else state.openExplain();
        }}
        title="Where would a message go, and why?"
        data-testid="explain-open"
      >
        <Icon d="M8.5 14a5.5 5.5 0 1 1 0-11 5.5 5.5 0 0 1 0 11Zm4-1.5L17 17" />
        Explain
      </button>
      <button
        type="button"
        className="tool-button"
        onClick={() => useWarren.getState().openTransferDialog('import')}
        disabled={viewing}
        title="Load a RabbitMQ definitions.json onto the canvas"
        data-testid="import-open"
      >
        <Icon d="M10 3v9m0 0-3.5-3.5M10 12l3.5-3.5M3.5 13v2.5A1.5 1.5 0 0 0 5 17h10a1.5 1.5 0 0 0 1.5-1.5V13" />
        Import
      </button>
      <button
        type="button"
        className="tool-button"
        onClick={() => useWarren.getState().openTransferDialog('export')}
        title="The diagram as definitions.json or as code"
        data-testid="export-open"
      >
        <Icon d="M10 12V3m0 0L6.5 6.5M10 3l3.5 3.5M3.5 13v2.5A1.5 1.5 0 0 0 5 17h10a1.5 1.5 0 0 0 1.5-1.5V13" />
        Export
      </button>
    </div>
  );
}
