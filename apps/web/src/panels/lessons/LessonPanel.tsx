import { useState } from 'react';
import { runLessonStep } from '../../lessons/lesson-api';
import { useWarren, type WarrenState } from '../../store/store';
import './lessons.css';

const selectLesson = (s: WarrenState) => s.lesson;
const selectReadOnly = (s: WarrenState) => s.editToken === null;

/** The steps of the lesson this session runs, ticked off as the broker does them. */
export function LessonPanel() {
  const run = useWarren(selectLesson);
  const readOnly = useWarren(selectReadOnly);
  const [collapsed, setCollapsed] = useState(false);
  if (!run) return null;
  const { lesson, done, running, problem } = run;
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
          {lesson.steps.map((step) => (
            <li
              key={step.id}
              className={`lesson-step ${done[step.id] ? 'is-done' : ''}`}
              data-testid="lesson-step"
              data-step-id={step.id}
              data-done={done[step.id] ? 'true' : 'false'}
            >
              <span className="lesson-step__tick" aria-hidden="true">
                {done[step.id] ? '✓' : ''}
              </span>
              <div className="lesson-step__body">
                <h3 className="lesson-step__title">
                  {step.title}
                  <span className="visually-hidden">{done[step.id] ? ' (done)' : ''}</span>
                </h3>
                <p className="lesson-step__text">{step.text}</p>
                {step.action && !readOnly && (
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
                )}
              </div>
            </li>
          ))}
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
