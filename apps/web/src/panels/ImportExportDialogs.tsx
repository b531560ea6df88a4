import {
  CODE_FORMATS,
  generateCode,
  topologyToDefinitions,
  type CodeFormat,
  type GeneratedCode,
  type Topology,
} from '@warren/topology';
import { useCallback, useEffect, useMemo, useState, type ChangeEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Glyph, Stroke } from '../canvas/nodes/NodeIcons';
import { downloadBlob } from '../diagrams/export-files';
import { api, errorMessage, ServerUnreachable } from '../live/api';
import { useWarren, type WarrenState } from '../store/store';
import { CodeExportView } from './CodeExportView';
import { copyText } from './copy-text';
import { ExportFiles } from './diagrams/ExportFiles';
import { Modal } from './ImportExportModal';
import { laidOut, previewImport, problemText } from './explain/import-preview';
import './explain/import-export.css';

const selectDialog = (s: WarrenState) => s.transferDialog;
const close = () => useWarren.getState().openTransferDialog(null);

// ---------- import ----------

function Names({ label, names }: { label: string; names: string[] }) {
  if (names.length === 0) return null;
  const shown = names.slice(0, 14);
  return (
    <div className="import-names">
      <span className="import-names__label">{label}</span>
      {shown.map((name) => (
        <code key={name} className="import-names__name">
          {name}
        </code>
      ))}
      {names.length > shown.length && (
        <span className="import-names__more">+{names.length - shown.length} more</span>
      )}
    </div>
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const selectCanvasCount = (s: WarrenState) =>
  s.topology.exchanges.length + s.topology.queues.length + s.topology.producers.length;

function ImportDialog() {
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [vhost, setVhost] = useState('');
  const [readProblem, setReadProblem] = useState<string | null>(null);
  const onCanvas = useWarren(selectCanvasCount);
  const preview = useMemo(() => previewImport(text, vhost), [text, vhost]);
  const vhosts =
    preview.state === 'ready' || preview.state === 'pick-vhost' || preview.state === 'problem'
      ? (preview.vhosts ?? [])
      : [];

  const onFile = useCallback((e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    setReadProblem(null);
    file.text().then(
      (content) => {
        setFileName(file.name);
        setVhost('');
        setText(content);
      },
      (error: unknown) => setReadProblem(`${file.name} could not be read: ${problemText(error)}`),
    );
  }, []);

  const confirm = () => {
    if (preview.state !== 'ready') return;
    const state = useWarren.getState();
    state.replaceTopology(laidOut(preview.topology));
    state.requestFit();
    close();
  };

  const footer = (
    <>
      <span className="modal__footnote">
        {onCanvas > 0
          ? `Replaces the ${plural(onCanvas, 'node')} on the canvas. Apply then declares it on the broker.`
          : 'Apply then declares it on the broker.'}
      </span>
      <button type="button" className="ghost-button" onClick={close} data-testid="import-cancel">
        Cancel
      </button>
      <button
        type="button"
        className="primary-button primary-button--exchange"
        onClick={confirm}
        disabled={preview.state !== 'ready'}
        data-testid="import-confirm"
      >
        Import to canvas
      </button>
    </>
  );

  return (
    <Modal
      title="Import definitions"
      subtitle={
        <>
          A <code>definitions.json</code> from RabbitMQ: the management UI&rsquo;s &ldquo;Export
          definitions&rdquo;, <code>rabbitmqctl export_definitions</code>, or{' '}
          <code>GET /api/definitions</code>.
        </>
      }
      onClose={close}
      testId="import-dialog"
      footer={footer}
    >
      <div className="import-source">
        <label className="file-drop">
          <input
            type="file"
            accept=".json,application/json"
            onChange={onFile}
            data-testid="import-file"
          />
          <span className="file-drop__icon" aria-hidden="true">
            <Glyph viewBox="0 0 24 24" size={22}>
              <Stroke d="M12 16V4m0 0-4.5 4.5M12 4l4.5 4.5M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3" />
            </Glyph>
          </span>
          <span className="file-drop__text">
            <strong>{fileName ?? 'Choose a file'}</strong>
            <span>{fileName ? 'Choose another file' : 'or paste its content below'}</span>
          </span>
        </label>
        <textarea
          className="import-text"
          value={text}
          onChange={(e) => {
            setFileName(null);
            setText(e.target.value);
          }}
          placeholder={'{\n  "exchanges": [ ... ],\n  "queues": [ ... ],\n  "bindings": [ ... ]\n}'}
          spellCheck={false}
          rows={7}
          aria-label="Definitions JSON"
          data-testid="import-text"
        />
      </div>
      {readProblem && <p className="modal-problem">{readProblem}</p>}

      {vhosts.length > 0 && (
        <label className="import-vhost">
          <span className="import-vhost__label">vhost</span>
          <select
            value={vhost}
            onChange={(e) => setVhost(e.target.value)}
            data-testid="import-vhost"
          >
            <option value="" disabled>
              pick one of {vhosts.length} vhosts…
            </option>
            {vhosts.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
          {preview.state === 'pick-vhost' && (
            <span className="import-vhost__hint">{preview.message}</span>
          )}
        </label>
      )}

      {preview.state === 'problem' && (
        <p className="modal-problem" data-testid="import-problem">
          {preview.message}
        </p>
      )}

      {preview.state === 'ready' && (
        <div className="import-preview">
          <p className="import-summary" data-testid="import-summary">
            {preview.vhost !== undefined && (
              <>
                From vhost <code>{preview.vhost}</code>:{' '}
              </>
            )}
            {plural(preview.topology.exchanges.length, 'exchange')},{' '}
            {plural(preview.topology.queues.length, 'queue')},{' '}
            {plural(preview.topology.bindings.length, 'binding')}
          </p>
          <Names label="exchanges" names={preview.topology.exchanges.map((x) => x.name)} />
          <Names label="queues" names={preview.topology.queues.map((q) => q.name)} />
          <div className="import-not-imported" data-testid="import-not-imported">
            {preview.notImported.length === 0 ? (
              <p className="import-not-imported__none">
                Everything in it becomes part of the diagram.
              </p>
            ) : (
              <>
                <p className="import-not-imported__title">
                  Not imported ({preview.notImported.length})
                </p>
                <ul>
                  {preview.notImported.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              </>
            )}
          </div>
        </div>
      )}
    </Modal>
  );
}

// ---------- export ----------

type Tab = 'definitions' | CodeFormat;

const TAB_LABELS: Record<Tab, { label: string; hint: string }> = {
  definitions: { label: 'definitions.json', hint: 'RabbitMQ' },
  amqplib: { label: 'amqplib', hint: 'Node.js' },
  pika: { label: 'pika', hint: 'Python' },
  rabbitmqadmin: { label: 'rabbitmqadmin', hint: 'shell' },
  curl: { label: 'curl', hint: 'HTTP API' },
  terraform: { label: 'terraform', hint: 'HCL' },
};

interface ExportView {
  code: string;
  filename: string;
  language: string;
  note: string;
}

type ExportState =
  | { state: 'loading' }
  | { state: 'ready'; view: ExportView }
  | { state: 'problem'; message: string };

function isGeneratedCode(body: unknown): body is GeneratedCode {
  return (
    typeof body === 'object' &&
    body !== null &&
    'code' in body &&
    typeof body.code === 'string' &&
    'filename' in body &&
    typeof body.filename === 'string'
  );
}

const selectExportInputs = (s: WarrenState) => ({
  topology: s.topology,
  sessionId: s.sessionId,
  dirty: s.dirty,
});

function localCode(topology: Topology, format: CodeFormat, why: string): ExportState {
  try {
    const generated = generateCode(topology, format);
    return {
      state: 'ready',
      view: {
        code: generated.code,
        filename: generated.filename,
        language: generated.language,
        note: why,
      },
    };
  } catch (error) {
    return {
      state: 'problem',
      message: `Code for ${format} could not be written: ${problemText(error)}`,
    };
  }
}

/**
 * The export of one tab. Code comes from the server when the canvas is applied, since the
 * server fills in this session's vhost and credentials; otherwise it is written here, for
 * exactly what the canvas shows.
 */
function useExport(tab: Tab): ExportState {
  const { topology, sessionId, dirty } = useWarren(useShallow(selectExportInputs));
  const [fetched, setFetched] = useState<{ key: string; result: ExportState } | null>(null);
  const key = `${tab}|${sessionId ?? ''}|${dirty}`;
  const useServer = tab !== 'definitions' && sessionId !== null && !dirty;

  useEffect(() => {
    if (!useServer || sessionId === null) return;
    let live = true;
    const format = tab;
    const local = 'Written for a local broker (vhost /, guest).';
    const fallback = (why: string) =>
      localCode(useWarren.getState().topology, format, why === '' ? local : `${why} ${local}`);
    // With the edit token the server writes the session's broker password into the code.
    const token = useWarren.getState().editToken;
    api('GET', `/api/sessions/${encodeURIComponent(sessionId)}/code/${format}`, { token })
      .then(
        (reply): ExportState => {
          if (reply.ok && isGeneratedCode(reply.body))
            return {
              state: 'ready',
              view: {
                code: reply.body.code,
                filename: reply.body.filename,
                language: reply.body.language,
                note:
                  token === null
                    ? "Declares the applied diagram in this session's vhost; the password is a placeholder, since this browser only watches."
                    : "Declares the applied diagram in this session's vhost, with its credentials.",
              },
            };
          // An older server has no code route; a newer one explains its refusal.
          return reply.status === 404
            ? fallback('')
            : fallback(`The server could not write it (${errorMessage(reply)}).`);
        },
        (error: unknown) => {
          if (error instanceof ServerUnreachable)
            return fallback('The Warren server is not reachable.');
          throw error;
        },
      )
      .then((result) => {
        if (live) setFetched({ key, result });
      })
      .catch((error: unknown) => {
        if (live) setFetched({ key, result: { state: 'problem', message: problemText(error) } });
      });
    return () => {
      live = false;
    };
  }, [key, useServer, tab, sessionId]);

  return useMemo((): ExportState => {
    if (tab === 'definitions') {
      return {
        state: 'ready',
        view: {
          code: `${JSON.stringify(topologyToDefinitions(topology), null, 2)}\n`,
          filename: 'definitions.json',
          language: 'json',
          note: 'The canvas as RabbitMQ definitions for one vhost: load it with the management UI or rabbitmqctl import_definitions.',
        },
      };
    }
    if (useServer) return fetched?.key === key ? fetched.result : { state: 'loading' };
    return localCode(
      topology,
      tab,
      dirty
        ? 'The canvas has unapplied changes, so this is written for a local broker (vhost /, guest); Apply to get code for this session.'
        : 'Written for a local broker (vhost /, guest).',
    );
  }, [tab, topology, useServer, fetched, key, dirty]);
}

function download(view: ExportView): void {
  const type = view.language === 'json' ? 'application/json' : 'text/plain';
  downloadBlob(new Blob([view.code], { type }), view.filename);
}

function ExportDialog() {
  const [tab, setTab] = useState<Tab>('definitions');
  const [copied, setCopied] = useState<string | null>(null);
  const result = useExport(tab);
  const view = result.state === 'ready' ? result.view : null;

  useEffect(() => {
    if (copied === null) return;
    const timer = setTimeout(() => setCopied(null), 1800);
    return () => clearTimeout(timer);
  }, [copied]);

  const tabs: Tab[] = ['definitions', ...CODE_FORMATS];
  const footer = (
    <>
      <span className="modal__footnote" data-testid="export-note">
        {view?.note ?? ''}
      </span>
      <button
        type="button"
        className="ghost-button"
        disabled={!view}
        onClick={() => {
          if (view) void copyText(view.code).then((ok) => setCopied(ok ? 'Copied' : 'Copy failed'));
        }}
        data-testid="export-copy"
      >
        {copied ?? 'Copy'}
      </button>
      <button
        type="button"
        className="primary-button primary-button--exchange"
        disabled={!view}
        onClick={() => view && download(view)}
        data-testid="export-download"
      >
        Download {view?.filename ?? ''}
      </button>
    </>
  );

  return (
    <Modal
      title="Export"
      subtitle="The diagram as RabbitMQ definitions, or as code that declares it on a broker."
      onClose={close}
      testId="export-dialog"
      wide
      footer={footer}
    >
      <ExportFiles />
      <div className="export-tabs" role="tablist" aria-label="Export format">
        {tabs.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={tab === t}
            className={`export-tab ${tab === t ? 'is-active' : ''}`}
            onClick={() => setTab(t)}
            data-testid={`export-tab-${t}`}
          >
            <span className="export-tab__label">{TAB_LABELS[t].label}</span>
            <span className="export-tab__hint">{TAB_LABELS[t].hint}</span>
          </button>
        ))}
      </div>
      <div className="export-panel" role="tabpanel">
        {result.state === 'loading' && <p className="export-loading">Asking the server…</p>}
        {result.state === 'problem' && (
          <p className="modal-problem" data-testid="export-problem">
            {result.message}
          </p>
        )}
        {view && <CodeExportView code={view.code} language={view.language} testId="export-code" />}
      </div>
    </Modal>
  );
}

/** The import and export dialogs, opened from the top bar. */
export function ImportExportDialogs() {
  const dialog = useWarren(selectDialog);
  if (dialog === 'import') return <ImportDialog />;
  if (dialog === 'export') return <ExportDialog />;
  return null;
}
