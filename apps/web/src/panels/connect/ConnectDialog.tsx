import { useEffect, useId, useState } from 'react';
import type { ConnectResponse } from '@warren/protocol';
import { api, errorMessage } from '../../live/api';
import { useWarren } from '../../store/store';
import { CodeExportView } from '../CodeExportView';
import { copyText } from '../copy-text';
import { Modal } from '../ImportExportModal';
import '../explain/import-export.css';
import './connect.css';

/** What the code view highlights each client's code as. */
const HIGHLIGHT: Record<string, string> = { pika: 'python', amqplib: 'javascript' };

type Loaded = { state: 'loading' } | { state: 'problem'; message: string } | ConnectResponse;

/** The session's AMQP URL and ready-to-run programs; their traffic shows on the canvas. */
export default function ConnectDialog({ onClose }: { onClose: () => void }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [tab, setTab] = useState('pika');
  const [copied, setCopied] = useState<string | null>(null);
  const urlId = useId();
  useEffect(() => {
    const { sessionId, editToken } = useWarren.getState();
    if (!sessionId) return;
    api('GET', `/api/sessions/${encodeURIComponent(sessionId)}/connect`, { token: editToken }).then(
      (reply) =>
        setLoaded(
          reply.ok
            ? (reply.body as ConnectResponse)
            : { state: 'problem', message: errorMessage(reply) },
        ),
      (error: Error) => setLoaded({ state: 'problem', message: error.message }),
    );
  }, []);
  const copy = async (what: string, text: string) => {
    setCopied((await copyText(text)) ? what : null);
  };
  const snippets = 'snippets' in loaded ? loaded.snippets : [];
  const snippet = snippets.find((s) => s.language === tab);
  return (
    <Modal
      title="Connect your own code"
      subtitle="Programs on this URL talk to this session's vhost only; what they declare, publish and consume appears on the canvas."
      onClose={onClose}
      testId="connect-dialog"
      wide
    >
      {'state' in loaded && loaded.state === 'loading' && <p>Asking the server…</p>}
      {'state' in loaded && loaded.state === 'problem' && (
        <p className="modal-problem" role="alert">
          {loaded.message}
        </p>
      )}
      {'amqp' in loaded && (
        <>
          <label className="connect-url" htmlFor={urlId}>
            <span>AMQP URL</span>
            <span className="connect-url__row">
              <input
                id={urlId}
                readOnly
                value={loaded.amqp.url}
                data-testid="connect-url"
                onFocus={(e) => e.target.select()}
              />
              <button type="button" onClick={() => void copy('url', loaded.amqp.url)}>
                {copied === 'url' ? 'Copied' : 'Copy URL'}
              </button>
            </span>
          </label>
          <div className="export-tabs" role="tablist" aria-label="Client">
            {snippets.map((s) => (
              <button
                key={s.language}
                type="button"
                role="tab"
                aria-selected={tab === s.language}
                className={`export-tab ${tab === s.language ? 'is-active' : ''}`}
                onClick={() => setTab(s.language)}
                data-testid={`connect-tab-${s.language}`}
              >
                <span className="export-tab__label">{s.title}</span>
                <span className="export-tab__hint">{s.filename}</span>
              </button>
            ))}
          </div>
          {snippet && (
            <div className="export-panel" role="tabpanel" aria-label={snippet.title}>
              <p className="connect-run">
                <span>Run:</span> <code data-testid="connect-run">{snippet.run}</code>
                <button type="button" onClick={() => void copy(snippet.language, snippet.code)}>
                  {copied === snippet.language ? 'Copied' : 'Copy code'}
                </button>
              </p>
              <CodeExportView
                code={snippet.code}
                language={HIGHLIGHT[snippet.language] ?? 'plain'}
                testId="connect-code"
              />
            </div>
          )}
        </>
      )}
    </Modal>
  );
}
