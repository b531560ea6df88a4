import { useEffect, useRef, useState, type ReactNode } from 'react';
import { openFile } from '../../diagrams/open-file';
import { saveAsCopy } from '../../diagrams/save';
import { useWarren, type WarrenState } from '../../store/store';

const selectHasDiagram = (s: WarrenState) => s.diagram !== null;

function Item({
  onSelect,
  disabled,
  testId,
  hint,
  children,
}: {
  onSelect: () => void;
  disabled?: boolean;
  testId: string;
  hint: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      role="menuitem"
      className="diagram-menu__item"
      disabled={disabled}
      onClick={onSelect}
      data-testid={testId}
    >
      <span>{children}</span>
      <span className="diagram-menu__hint">{hint}</span>
    </button>
  );
}

/** The less frequent diagram actions, in one menu so the top bar stays on one line. */
export function DiagramMenu() {
  const [open, setOpen] = useState(false);
  const hasDiagram = useWarren(selectHasDiagram);
  const viewing = useWarren((s) => s.viewing);
  const root = useRef<HTMLDivElement>(null);
  const file = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('mousedown', onDown);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('mousedown', onDown);
      window.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const run = (action: () => void) => () => {
    setOpen(false);
    action();
  };
  const dialog = (which: 'history' | 'mine') =>
    run(() => useWarren.getState().openDiagramDialog(which));

  return (
    <div className="diagram-menu" ref={root}>
      <button
        type="button"
        className={`tool-button ${open ? 'is-open' : ''}`}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        data-testid="diagram-menu"
      >
        Diagram ▾
      </button>
      {open && (
        <div className="diagram-menu__list" role="menu" aria-label="Diagram">
          {!viewing && (
            <Item
              onSelect={run(() => void saveAsCopy())}
              testId="save-copy-button"
              hint="Ctrl+Shift+S"
            >
              Save as copy
            </Item>
          )}
          <Item
            onSelect={dialog('history')}
            disabled={!hasDiagram}
            testId="history-open"
            hint="every revision"
          >
            History
          </Item>
          <Item onSelect={dialog('mine')} testId="my-diagrams-open" hint="in this browser">
            My diagrams
          </Item>
          {!viewing && (
            <Item
              onSelect={() => {
                setOpen(false);
                file.current?.click();
              }}
              testId="open-file"
              hint="JSON, PNG, SVG"
            >
              Open file…
            </Item>
          )}
        </div>
      )}
      <input
        ref={file}
        type="file"
        hidden
        accept=".json,.png,.svg,application/json,image/png,image/svg+xml"
        data-testid="open-file-input"
        aria-label="Diagram file"
        onChange={(e) => {
          const picked = e.target.files?.[0];
          e.target.value = '';
          if (picked) void openFile(picked);
        }}
      />
    </div>
  );
}
