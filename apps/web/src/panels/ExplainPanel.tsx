import { useReactFlow } from '@xyflow/react';
import { useEffect, useRef, useState } from 'react';
import { useWarren, type WarrenState } from '../store/store';
import { BrokerAgreement, useCompareProducerSends } from './explain/BrokerAgreement';
import { MessageForm } from './explain/MessageForm';
import { RouteHighlightStyle } from './explain/RouteHighlightStyle';
import { RouteResult } from './explain/RouteResult';
import { sendExplainedMessage } from './explain/send';
import './explain/explain.css';

const { derived } = useWarren;
const selectOpen = (s: WarrenState) => s.explainOpen;
const selectDirty = (s: WarrenState) => s.dirty;
const selectLinked = (s: WarrenState) =>
  s.topology.producers.some((p) => p.id === s.explainProducerId);

function SendRow() {
  const linked = useWarren(selectLinked);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const send = async () => {
    setSending(true);
    setProblem(null);
    try {
      setProblem(await sendExplainedMessage());
    } finally {
      setSending(false);
    }
  };
  return (
    <div className="explain-send">
      <button
        type="button"
        className="primary-button"
        onClick={() => void send()}
        disabled={sending}
        data-testid="explain-send"
        title="Publish this message on the broker and compare where it really went"
      >
        {linked ? 'Send from the producer' : 'Send and compare'}
      </button>
      <span className="explain-send__hint">
        The broker&rsquo;s answer is compared with the prediction.
      </span>
      {problem && (
        <p className="explain-error" data-testid="explain-send-problem">
          {problem}
        </p>
      )}
    </div>
  );
}

function Result() {
  const outcome = useWarren(derived.explanation);
  if (!outcome.ok)
    return (
      <p className="explain-error" data-testid="explain-error">
        {outcome.problem}
      </p>
    );
  return <RouteResult explanation={outcome.explanation} />;
}

/**
 * Zooms onto the part of the diagram the explanation is about, in the part of the canvas the
 * panel leaves visible; again whenever the route reaches other nodes.
 */
function useFitBesidePanel() {
  const { fitView } = useReactFlow();
  const area = useWarren(derived.explainedArea);
  const fitted = useRef(false);
  useEffect(() => {
    // The first fit is at once; later ones wait for typing to pause, and glide.
    const first = !fitted.current;
    fitted.current = true;
    const timer = setTimeout(
      () => {
        const canvas = document.querySelector('.canvas')?.getBoundingClientRect();
        const panel = document.querySelector('.explain-panel')?.getBoundingClientRect();
        const covered = canvas && panel ? Math.max(0, Math.round(canvas.right - panel.left)) : 0;
        const nodes = area === '' ? undefined : area.split('\n').map((id) => ({ id }));
        void fitView({
          ...(nodes ? { nodes } : {}),
          padding: { top: '56px', bottom: '56px', left: '48px', right: `${covered + 48}px` },
          maxZoom: 1.1,
          duration: first ? 0 : 300,
        });
      },
      first ? 30 : 300,
    );
    return () => clearTimeout(timer);
  }, [fitView, area]);
}

function OpenPanel() {
  const dirty = useWarren(selectDirty);
  const panel = useRef<HTMLElement>(null);
  useCompareProducerSends();
  useFitBesidePanel();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Escape elsewhere (a binding key being edited on the canvas) belongs to that field.
      const inPanel = e.target instanceof Node && panel.current?.contains(e.target);
      if (e.key !== 'Escape' || !(inPanel || e.target === document.body)) return;
      if (useWarren.getState().transferDialog === null) useWarren.getState().closeExplain();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <aside
      ref={panel}
      className="explain-panel"
      data-testid="explain-panel"
      aria-label="Route explainer"
    >
      <RouteHighlightStyle />
      <header className="explain-panel__header">
        <div>
          <div className="explain-panel__kind">Explain a route</div>
          <h2 className="explain-panel__title">Where does it go, and why?</h2>
        </div>
        <button
          type="button"
          className="explain-icon-button explain-panel__close"
          onClick={() => useWarren.getState().closeExplain()}
          aria-label="Close the route explainer"
          title="Close (Esc)"
          data-testid="explain-close"
        >
          ×
        </button>
      </header>
      <div className="explain-panel__body">
        <MessageForm />
        <SendRow />
        <BrokerAgreement />
        {dirty && (
          <p className="explain-stale" data-testid="explain-stale">
            The canvas has unapplied changes. The route below is for the canvas; the broker still
            routes by the diagram as last applied, and a send is compared with that.
          </p>
        )}
        <Result />
      </div>
    </aside>
  );
}

/** The route explainer, docked on the right while open. */
export function ExplainPanel() {
  const open = useWarren(selectOpen);
  return open ? <OpenPanel /> : null;
}
