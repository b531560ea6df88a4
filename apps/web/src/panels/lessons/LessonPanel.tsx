import { useEffect, useRef, useState } from 'react';
import type { LessonStep } from '@warren/lessons';
import { needsBrokerRestart } from '@warren/lessons/steps';
import { useClassroom, type ClassroomStore } from '../../classroom/classroom-store';
import { highlightedStepId } from '../../classroom/follow-logic';
import { runLessonStep } from '../../lessons/lesson-api';
import { useWarren, type WarrenState } from '../../store/store';
import './lessons.css';

const selectLesson = (s: WarrenState) => s.lesson;
const selectReadOnly = (s: WarrenState) => s.editToken === null;
/** The teacher's step, for a student's page while the class follows the teacher. */
const selectClassStep = (s: ClassroomStore) =>
  s.student?.phase === 'following' ? (s.student.classroom?.stepId ?? null) : null;

/** The steps of the lesson this session runs, ticked off as the broker does them. */
export function LessonPanel() {
  const run = useWarren(selectLesson);
  const readOnly = useWarren(selectReadOnly);
  const classStep = useClassroom(selectClassStep);
  const [collapsed, setCollapsed] = useState(false);
  const here = run ? highlightedStepId(run.lesson.steps, run.done, classStep) : null;
  const hereRef = useRef<HTMLLIElement | null>(null);
  useEffect(() => {
    hereRef.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [here]);
  if (!run) return null;
  const { lesson, done, running, problem, brokerRestart } = run;
  const finished = lesson.steps.filter((s) => done[s.id]).length;
  return (
    <section
      className={`lesson-panel ${collapsed ? 'is-collapsed' : ''}`}
      data-testid="lesson-panel"
      aria-label={`Lesson ${lesson.number}: ${lesson.title}`}
    >
      <header className="lesson-panel__header">
        <div>
          <span className="lesson-panel__eyebrow">Lesson {lesson.number}</span>
          <h2 className="lesson-panel__title">{lesson.title}</h2>
        </div>
        <span className="lesson-panel__count" data-testid="lesson-done-count">
          {finished}/{lesson.steps.length}
        </span>
        <button
          type="button"
          className="lesson-panel__toggle"
          aria-expanded={!collapsed}
          aria-label={collapsed ? 'Show the lesson steps' : 'Hide the lesson steps'}
          onClick={() => setCollapsed(!collapsed)}
        >
          {collapsed ? '▸' : '▾'}
        </button>
      </header>
      {!collapsed && (
        <ol className="lesson-steps">
          {lesson.steps.map((step) => {
            const unavailable = needsBrokerRestart(step) && !brokerRestart;
            const isHere = step.id === here;
            return (
              <li
                key={step.id}
                ref={isHere ? hereRef : undefined}
                className={`lesson-step ${done[step.id] ? 'is-done' : ''} ${unavailable ? 'is-unavailable' : ''} ${isHere ? 'is-current' : ''}`}
                data-testid="lesson-step"
                data-step-id={step.id}
                data-done={done[step.id] ? 'true' : 'false'}
                data-available={unavailable ? 'false' : 'true'}
                data-current={isHere ? 'true' : 'false'}
                aria-current={isHere ? 'step' : undefined}
              >
                <span className="lesson-step__tick" aria-hidden="true">
                  {done[step.id] ? '✓' : ''}
                </span>
                <div className="lesson-step__body">
                  <h3 className="lesson-step__title">
                    {step.title}
                    <span className="visually-hidden">{done[step.id] ? ' (done)' : ''}</span>
                    {isHere && classStep !== null && (
                      <span className="lesson-step__here" data-testid="lesson-step-class-here">
                        The class is here
                      </span>
                    )}
                  </h3>
                  <p className="lesson-step__text">{step.text}</p>
                  {unavailable ? (
                    <p className="lesson-step__unavailable" data-testid="lesson-step-unavailable">
                      Not available here: this Warren&apos;s operator has not allowed it to restart
                      the broker (the setting WARREN_BROKER_RESTART), so this step cannot be done on
                      this server.
                    </p>
                  ) : (
                    step.action &&
                    !readOnly &&
                    (step.action.kind === 'restart-broker' ? (
                      <RestartButton step={step} running={running} />
                    ) : (
                      <button
                        type="button"
                        className="lesson-step__run"
                        data-testid="lesson-step-run"
                        aria-label={`Run step: ${step.title}`}
                        disabled={running !== null}
                        onClick={() => void runLessonStep(step.id)}
                      >
                        {running === step.id ? 'Running…' : 'Run'}
                      </button>
                    ))
                  )}
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {problem && (
        <p className="lesson-panel__problem" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}

/**
 * A step that restarts the broker: the button asks first, because the whole broker stops for a
 * few seconds, for every session on it and not only this one.
 */
function RestartButton({ step, running }: { step: LessonStep; running: string | null }) {
  const [confirming, setConfirming] = useState(false);
  if (running === step.id) {
    return (
      <p className="lesson-step__restarting" role="status" data-testid="lesson-step-restarting">
        Restarting the broker… this step ticks when it is back and this session has recovered.
      </p>
    );
  }
  if (!confirming) {
    return (
      <button
        type="button"
        className="lesson-step__run"
        data-testid="lesson-step-run"
        disabled={running !== null}
        onClick={() => setConfirming(true)}
      >
        Restart the broker
      </button>
    );
  }
  return (
    <div
      className="lesson-step__confirm"
      role="group"
      aria-labelledby={`restart-confirm-${step.id}`}
      data-testid="lesson-restart-confirm"
    >
      <p id={`restart-confirm-${step.id}`}>
        This stops RabbitMQ and starts it again. Every session on this broker, not only yours, loses
        its connection for a few seconds and sees the broker away; their transient queues lose their
        messages.
      </p>
      <button
        type="button"
        className="lesson-step__run"
        data-testid="lesson-restart-now"
        onClick={() => {
          setConfirming(false);
          void runLessonStep(step.id);
        }}
      >
        Restart it now
      </button>
      <button type="button" className="lesson-step__cancel" onClick={() => setConfirming(false)}>
        Cancel
      </button>
    </div>
  );
}
