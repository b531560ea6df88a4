import { lazy, Suspense, useState } from 'react';
import { Glyph, Stroke } from '../../canvas/nodes/NodeIcons';
import { useWarren, type WarrenState } from '../../store/store';

const ConnectDialog = lazy(() => import('./ConnectDialog'));

const selectCanConnect = (s: WarrenState) => s.sessionId !== null && s.editToken !== null;

/** Opens the Connect dialog: the session's AMQP URL and programs to run against it. */
export function ConnectButton() {
  const canConnect = useWarren(selectCanConnect);
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className={`tool-button ${open ? 'is-active' : ''}`}
        data-testid="connect-button"
        aria-haspopup="dialog"
        disabled={!canConnect}
        title={
          canConnect
            ? 'Connect your own programs to this session: its AMQP URL and code for five clients'
            : 'Only the browser that started this session has its credentials'
        }
        onClick={() => setOpen(true)}
      >
        <Glyph>
          <Stroke d="M7 13 13 7M8.5 5.5l1.6-1.6a3.2 3.2 0 0 1 4.5 4.5L13 10M11.5 14.5l-1.6 1.6a3.2 3.2 0 0 1-4.5-4.5L7 10" />
        </Glyph>
        Connect
      </button>
      {open && (
        <Suspense fallback={null}>
          <ConnectDialog onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
