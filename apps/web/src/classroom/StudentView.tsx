import type { Question } from '@warren/protocol';
import { useId, useState, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useWarren, type WarrenState } from '../store/store';
import { answerQuestion } from './classroom-api';
import { useClassroom } from './classroom-store';
import type { StudentState } from './follow-logic';
import { followerIdFor } from './follower-id';
import { FollowTeacher } from './FollowTeacher';
import { JoinClassroomForm } from './JoinClassroomForm';
import {
  describeQueues,
  followersText,
  isRightPrediction,
  normalizePrediction,
  predictionKey,
  rightSummary,
} from './question-logic';
import { TallyList } from './TallyList';
import './classroom.css';

/** A student's page over the canvas: whose classroom, following or not, the open question. */
export function StudentView() {
  const student = useClassroom((s) => s.student);
  if (!student) return null;
  return (
    <>
      <FollowTeacher />
      <StudentBanner student={student} />
    </>
  );
}

const dismissed = new Set<string>();

/**
 * The open (or last) question, in the inspector's column: a student answers it beside the
 * canvas, which stays in sight. Once revealed, the student may put it away.
 */
export function StudentQuestion() {
  const student = useClassroom((s) => s.student);
  const [, setHidden] = useState(0);
  const question = student?.classroom?.question;
  if (!student || !question || dismissed.has(question.id)) return null;
  if (student.phase !== 'following' && !student.phase.startsWith('sandbox')) return null;
  return (
    <aside className="question-dock" aria-label="Question">
      <QuestionCard
        key={question.id}
        code={student.code}
        question={question}
        onDismiss={() => {
          dismissed.add(question.id);
          setHidden((n) => n + 1);
        }}
      />
    </aside>
  );
}

const selectLessonTitle = (s: WarrenState) =>
  s.lesson ? `Lesson ${s.lesson.lesson.number}: ${s.lesson.lesson.title}` : null;

function StudentBanner({ student }: { student: StudentState }) {
  const lessonTitle = useWarren(selectLessonTitle);
  const followers = student.classroom?.followers ?? 0;
  const who = (
    <>
      Classroom <strong data-testid="student-classroom-code">{student.code}</strong>
      {lessonTitle && <> · {lessonTitle}</>}
      {student.classroom && (
        <>
          {' '}
          · <span data-testid="student-followers">{followersText(followers)}</span>
        </>
      )}
    </>
  );
  switch (student.phase) {
    case 'connecting':
      return (
        <Banner tone="info" testId="classroom-banner">
          Joining classroom <strong>{student.code}</strong>…
        </Banner>
      );
    case 'following':
      return (
        <Banner tone="follow" testId="classroom-banner">
          <span className="classroom-banner__badge">
            {student.following ? 'Following the teacher' : 'Looking around'}
          </span>
          <span className="classroom-banner__text">{who}</span>
          <button
            type="button"
            className="classroom-secondary"
            data-testid="follow-toggle"
            aria-pressed={student.following}
            title={
              student.following
                ? "Move around on your own; the teacher's view stops moving yours"
                : "Go back to the teacher's view and follow it again"
            }
            onClick={() =>
              useClassroom
                .getState()
                .studentInput({ type: 'follow', following: !student.following })
            }
          >
            {student.following ? 'Stop following' : 'Follow the teacher'}
          </button>
        </Banner>
      );
    case 'sandbox-opening':
      return (
        <Banner tone="sandbox" testId="sandbox-banner">
          Making your sandbox: a copy of the teacher's diagram on a broker vhost of your own…
        </Banner>
      );
    case 'sandbox':
      return (
        <Banner tone="sandbox" testId="sandbox-banner">
          <span className="classroom-banner__text">
            <strong>Your sandbox</strong> — the teacher will bring everyone back. Change anything:
            nobody else sees it. <span className="classroom-banner__muted">{who}</span>
          </span>
        </Banner>
      );
    case 'sandbox-failed':
      return (
        <Banner tone="problem" testId="sandbox-banner">
          <span role="alert">
            The class is trying things in sandboxes, but yours could not be made: {student.problem}
          </span>
        </Banner>
      );
    case 'closed':
      return (
        <Banner tone="problem" testId="classroom-closed">
          <span role="status">
            Classroom <strong>{student.code}</strong> has ended. What you see is the canvas as it
            was at the end.
          </span>
          <a className="classroom-secondary" href="/">
            Start a diagram of your own
          </a>
        </Banner>
      );
    case 'missing':
      return (
        <Banner tone="problem" testId="classroom-missing">
          <span role="alert">
            There is no classroom with the code <strong>{student.code}</strong>. Check the code with
            your teacher; it may have ended.
          </span>
          <JoinClassroomForm compact />
        </Banner>
      );
    case 'problem':
      return (
        <Banner tone="problem" testId="classroom-refused">
          <span role="alert">
            Could not join classroom {student.code}: {student.problem}
          </span>
        </Banner>
      );
  }
}

function Banner({
  tone,
  testId,
  children,
}: {
  tone: 'info' | 'follow' | 'sandbox' | 'problem';
  testId: string;
  children: ReactNode;
}) {
  return (
    <div
      className={`classroom-banner classroom-banner--${tone}`}
      role="region"
      aria-label="Classroom"
      data-testid={testId}
    >
      {children}
    </div>
  );
}

const NOWHERE = '\u0000nowhere';
const selectQueueNames = (s: WarrenState) => s.topology.queues.map((q) => q.name);

function storedAnswer(code: string, qid: string): string[] | null {
  try {
    const raw = sessionStorage.getItem(`warren.classroom.answer.${code}.${qid}`);
    return raw ? (JSON.parse(raw) as string[]) : null;
  } catch {
    return null;
  }
}

function storeAnswer(code: string, qid: string, queues: string[]): void {
  try {
    sessionStorage.setItem(`warren.classroom.answer.${code}.${qid}`, JSON.stringify(queues));
  } catch {
    // The answer still counts on the server; only a reload forgets which it was.
  }
}

function QuestionCard({
  code,
  question,
  onDismiss,
}: {
  code: string;
  question: Question;
  onDismiss: () => void;
}) {
  const queueNames = useWarren(useShallow(selectQueueNames));
  const [picked, setPicked] = useState<string[]>([]);
  const [answered, setAnswered] = useState<string[] | null>(() => storedAnswer(code, question.id));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const titleId = useId();

  const revealed = question.revealed;
  const queues = [...new Set([...queueNames, ...(revealed?.routedQueues ?? [])])].sort();
  const toggle = (name: string, on: boolean) => {
    if (name === NOWHERE) setPicked(on ? [NOWHERE] : []);
    else
      setPicked((p) =>
        on ? [...p.filter((x) => x !== NOWHERE), name] : p.filter((x) => x !== name),
      );
  };
  const submit = () => {
    const prediction = normalizePrediction(picked.filter((x) => x !== NOWHERE));
    setBusy(true);
    setProblem(null);
    answerQuestion(code, question.id, prediction, followerIdFor(code))
      .then(() => {
        setAnswered(prediction);
        storeAnswer(code, question.id, prediction);
      })
      .catch((error: Error) => setProblem(error.message))
      .finally(() => setBusy(false));
  };
  const { exchange, routingKey, headers } = question.message;
  const right = revealed && answered ? isRightPrediction(answered, revealed.routedQueues) : null;

  return (
    <section className="question-card" data-testid="question-card" aria-labelledby={titleId}>
      <h2 className="question-card__title" id={titleId}>
        {revealed ? 'The broker answered' : 'Where will this message go?'}
      </h2>
      <dl className="question-card__message">
        <dt>Exchange</dt>
        <dd>{exchange === '' ? '(default exchange)' : exchange}</dd>
        <dt>Routing key</dt>
        <dd>{routingKey === undefined || routingKey === '' ? '(empty)' : routingKey}</dd>
        {headers && Object.keys(headers).length > 0 && (
          <>
            <dt>Headers</dt>
            <dd>
              {Object.entries(headers)
                .map(([k, v]) => `${k}=${String(v)}`)
                .join(', ')}
            </dd>
          </>
        )}
      </dl>
      {!revealed && (
        <fieldset className="question-card__choices" disabled={busy}>
          <legend>The queues you predict</legend>
          {queues.map((name) => (
            <label key={name} className="question-choice">
              <input
                type="checkbox"
                checked={picked.includes(name)}
                data-testid={`question-choice-${name}`}
                onChange={(e) => toggle(name, e.target.checked)}
              />
              {name}
            </label>
          ))}
          <label className="question-choice question-choice--nowhere">
            <input
              type="checkbox"
              checked={picked.includes(NOWHERE)}
              data-testid="question-choice-nowhere"
              onChange={(e) => toggle(NOWHERE, e.target.checked)}
            />
            nowhere (no queue gets it)
          </label>
        </fieldset>
      )}
      {!revealed && (
        <div className="question-card__actions">
          <button
            type="button"
            className="primary-button"
            data-testid="question-answer"
            disabled={busy || picked.length === 0}
            onClick={submit}
          >
            {answered ? 'Change answer' : 'Answer'}
          </button>
          {answered && (
            <span className="question-card__mine" role="status" data-testid="question-my-answer">
              Your answer: {describeQueues(answered)}
            </span>
          )}
        </div>
      )}
      {revealed && (
        <>
          <p className="question-card__routed">
            Routed to{' '}
            <strong data-testid="question-routed">{describeQueues(revealed.routedQueues)}</strong>
          </p>
          <p
            className={`question-card__result ${right ? 'is-right' : 'is-wrong'}`}
            data-testid="question-result"
            data-right={right === null ? undefined : String(right)}
            role="status"
          >
            {answered === null
              ? "You didn't answer this one."
              : right
                ? `You were right: ${describeQueues(answered)}.`
                : `Not this time: you said ${describeQueues(answered)}.`}
          </p>
          <p className="question-card__class" data-testid="question-class-right">
            The class: {rightSummary(question)}
          </p>
          <TallyList question={question} mine={answered ? predictionKey(answered) : null} />
          <button
            type="button"
            className="classroom-secondary question-card__dismiss"
            data-testid="question-dismiss"
            onClick={onDismiss}
          >
            Put this away
          </button>
        </>
      )}
      {problem && (
        <p className="classroom-problem" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
