import type { ClassroomState, Question } from '@warren/protocol';
import { useId, useState, type FormEvent } from 'react';
import { copyText } from '../panels/copy-text';
import { useWarren, type WarrenState } from '../store/store';
import { useClassroom, type TeacherClassroom } from './classroom-store';
import { QrCode } from './QrCode';
import { answersText, describeQueues, followersText, rightSummary } from './question-logic';
import { TallyList } from './TallyList';
import { ask, changeMode, end, openClassroom, reveal } from './teacher';
import './classroom.css';

const selectCanTeach = (s: WarrenState) => s.sessionId !== null && s.editToken !== null;

/** Runs a call, keeping its refusal in words for the panel to show. */
function useAction() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const run = (action: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    action()
      .catch((error: Error) => setProblem(error.message))
      .finally(() => setBusy(false));
  };
  return { busy, problem, run };
}

function Problem({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p className="classroom-problem" role="alert" data-testid="classroom-problem">
      {text}
    </p>
  );
}

/** The teacher's classroom: start one, show how to join, lead the class, end it. */
export function TeacherPanel() {
  const teacher = useClassroom((s) => s.teacher);
  const close = () => useClassroom.getState().setPanelOpen(false);
  return (
    <section className="classroom-panel" data-testid="classroom-panel" aria-label="Classroom">
      <header className="classroom-panel__header">
        <h2 className="classroom-panel__title">Classroom</h2>
        <button
          type="button"
          className="classroom-icon-button"
          aria-label="Hide the classroom panel (the classroom stays open)"
          title="Hide (the classroom stays open)"
          data-testid="classroom-panel-close"
          onClick={close}
        >
          ×
        </button>
      </header>
      {teacher && !teacher.closed ? <OpenClassroom teacher={teacher} /> : <StartClassroom />}
    </section>
  );
}

function StartClassroom() {
  const canTeach = useWarren(selectCanTeach);
  const ended = useClassroom((s) => s.teacher?.closed === true);
  const { busy, problem, run } = useAction();
  return (
    <div className="classroom-start">
      {ended && <p className="classroom-note">The classroom has ended.</p>}
      <p className="classroom-intro">
        Students open a link (or type a code) and watch this canvas live, read-only: your messages,
        your view, your selection. Let them try in a sandbox of their own, and ask where a message
        will go before the broker answers.
      </p>
      <button
        type="button"
        className="primary-button"
        data-testid="classroom-start"
        disabled={!canTeach || busy}
        onClick={() => run(openClassroom)}
      >
        {busy ? 'Starting…' : 'Start a classroom'}
      </button>
      {!canTeach && (
        <p className="classroom-note">Only the browser that started this session can teach it.</p>
      )}
      <Problem text={problem} />
    </div>
  );
}

function OpenClassroom({ teacher }: { teacher: TeacherClassroom }) {
  const state = teacher.state;
  const [copied, setCopied] = useState(false);
  const linkId = useId();
  const { busy, problem, run } = useAction();
  const followers = state?.followers ?? 0;
  const mode = state?.mode ?? 'follow';
  return (
    <div className="classroom-open">
      <div className="classroom-join">
        <div className="classroom-join__code">
          <span className="classroom-label">Join code</span>
          <strong className="classroom-code" data-testid="classroom-code">
            {teacher.code}
          </strong>
          <span className="classroom-note">Students type it under Lessons, or scan the code.</span>
        </div>
        <QrCode
          text={teacher.joinUrl}
          label={`QR code of the join link ${teacher.joinUrl}`}
          testId="classroom-qr"
        />
      </div>
      <label className="classroom-label" htmlFor={linkId}>
        Join link
      </label>
      <span className="classroom-link-row">
        <input
          id={linkId}
          readOnly
          value={teacher.joinUrl}
          data-testid="classroom-join-link"
          onFocus={(e) => e.target.select()}
        />
        <button
          type="button"
          className="classroom-secondary"
          data-testid="classroom-copy-link"
          onClick={() => void copyText(teacher.joinUrl).then(setCopied)}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </span>
      <p className="classroom-followers" role="status" data-testid="classroom-followers">
        <span className="classroom-dot" aria-hidden="true" />
        {state ? followersText(followers) : 'Connecting…'}
      </p>
      <div className="classroom-mode" role="group" aria-label="What the class does">
        <span className="classroom-mode__now" data-testid="classroom-mode">
          {mode === 'follow' ? 'Everyone follows your canvas' : 'Everyone is in their sandbox'}
        </span>
        {mode === 'follow' ? (
          <button
            type="button"
            className="primary-button"
            data-testid="classroom-mode-try"
            disabled={busy || !state}
            onClick={() => run(() => changeMode('try'))}
            title="Each student gets a sandbox of their own: a copy of this diagram on its own vhost"
          >
            Let everyone try
          </button>
        ) : (
          <button
            type="button"
            className="primary-button"
            data-testid="classroom-mode-follow"
            disabled={busy || !state}
            onClick={() => run(() => changeMode('follow'))}
            title="Everyone leaves their sandbox and follows your canvas again"
          >
            Bring everyone back
          </button>
        )}
      </div>
      <Problem text={problem} />
      <AskTheClass state={state} />
      <button
        type="button"
        className="danger-button classroom-end"
        data-testid="classroom-end"
        disabled={busy}
        onClick={() => {
          if (window.confirm('End the classroom? Students see that it has ended.')) run(end);
        }}
      >
        End classroom
      </button>
    </div>
  );
}

const selectExchanges = (s: WarrenState) => s.topology.exchanges;

/** The exchange selected on the canvas, if one is: the question is about it. */
const selectSelectedExchange = (s: WarrenState) => {
  const id = s.selectedNodes.at(-1);
  return s.topology.exchanges.find((x) => x.id === id)?.name ?? null;
};

/** `name=value` lines as headers; the line that is not one, if any. */
function readHeaders(text: string): { headers: Record<string, string> } | { problem: string } {
  const headers: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const at = line.indexOf('=');
    if (at <= 0) return { problem: `"${line.trim()}" is not a header: write name=value.` };
    headers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return { headers };
}

function AskTheClass({ state }: { state: ClassroomState | null }) {
  const exchanges = useWarren(selectExchanges);
  const selected = useWarren(selectSelectedExchange);
  const [exchange, setExchange] = useState<string | null>(null);
  const [routingKey, setRoutingKey] = useState('');
  const [headerText, setHeaderText] = useState('');
  const { busy, problem, run } = useAction();
  const [formProblem, setFormProblem] = useState<string | null>(null);
  const ids = { exchange: useId(), key: useId(), headers: useId() };
  const question = state?.question ?? null;
  const open = question !== null && question.revealed === null;
  // Picking an exchange on the canvas picks it here, until another is chosen in the list.
  const chosen = exchange ?? selected ?? exchanges[0]?.name ?? '';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const read = readHeaders(headerText);
    if ('problem' in read) {
      setFormProblem(read.problem);
      return;
    }
    setFormProblem(null);
    const headers = Object.keys(read.headers).length > 0 ? { headers: read.headers } : {};
    run(() => ask({ exchange: chosen, routingKey, ...headers }));
  };

  return (
    <section className="classroom-ask" aria-label="Ask the class">
      <h3 className="classroom-subtitle">Ask the class</h3>
      {question && <TeacherQuestion question={question} busy={busy} run={run} />}
      {!open && (
        <form className="classroom-ask__form" onSubmit={submit}>
          <p className="classroom-note">
            Where will this message go? Students predict, then you publish it and the broker
            answers.
          </p>
          <label htmlFor={ids.exchange}>Exchange</label>
          <select
            id={ids.exchange}
            value={chosen}
            data-testid="question-exchange"
            onChange={(e) => setExchange(e.target.value)}
          >
            {exchanges.map((x) => (
              <option key={x.id} value={x.name}>
                {x.name}
              </option>
            ))}
            <option value="">(default exchange)</option>
          </select>
          <label htmlFor={ids.key}>Routing key</label>
          <input
            id={ids.key}
            value={routingKey}
            data-testid="question-routing-key"
            onChange={(e) => setRoutingKey(e.target.value)}
            spellCheck={false}
          />
          <label htmlFor={ids.headers}>Headers (optional, one name=value a line)</label>
          <textarea
            id={ids.headers}
            rows={2}
            value={headerText}
            data-testid="question-headers"
            onChange={(e) => setHeaderText(e.target.value)}
            spellCheck={false}
          />
          <button
            type="submit"
            className="primary-button"
            data-testid="question-ask"
            disabled={busy || !state}
          >
            {question ? 'Ask another' : 'Ask'}
          </button>
        </form>
      )}
      <Problem text={formProblem ?? problem} />
    </section>
  );
}

function messageText(question: Question): string {
  const { exchange, routingKey, headers } = question.message;
  const parts = [`to ${exchange === '' ? 'the default exchange' : `“${exchange}”`}`];
  if (routingKey !== undefined) parts.push(`key “${routingKey}”`);
  if (headers && Object.keys(headers).length > 0)
    parts.push(
      `headers ${Object.entries(headers)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(', ')}`,
    );
  return parts.join(', ');
}

function TeacherQuestion({
  question,
  busy,
  run,
}: {
  question: Question;
  busy: boolean;
  run: (action: () => Promise<void>) => void;
}) {
  const summary = rightSummary(question);
  return (
    <div className="classroom-question" data-testid="teacher-question">
      <p className="classroom-question__message">
        A message <span data-testid="question-message">{messageText(question)}</span>
      </p>
      <p className="classroom-question__count" data-testid="question-answers" role="status">
        {answersText(question.answers)}
      </p>
      <TallyList question={question} />
      {question.revealed ? (
        <p className="classroom-reveal" data-testid="question-revealed">
          The broker routed it to{' '}
          <strong data-testid="question-routed">
            {describeQueues(question.revealed.routedQueues)}
          </strong>
          . <span data-testid="question-right">{summary}</span>.
        </p>
      ) : (
        <button
          type="button"
          className="primary-button"
          data-testid="question-reveal"
          disabled={busy}
          onClick={() => run(() => reveal(question.id))}
          title="Publish the message on the broker and show where it really went"
        >
          Publish and reveal
        </button>
      )}
    </div>
  );
}
