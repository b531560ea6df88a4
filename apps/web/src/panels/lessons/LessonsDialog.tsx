import { useEffect, useId, useState } from 'react';
import type { LessonSummary } from '@warren/lessons';
import { JoinClassroomForm } from '../../classroom/JoinClassroomForm';
import '../../classroom/classroom.css';
import { listLessons, openLesson } from '../../lessons/lesson-api';
import { matchesLessonSearch } from '../../lessons/lesson-search';
import { useWarren, type WarrenState } from '../../store/store';
import { Modal } from '../ImportExportModal';
import './lessons.css';

const selectOpen = (s: WarrenState) => s.lessonsOpen;

/** The lesson gallery: every lesson with a picture of its diagram, searchable. */
export function LessonsDialog() {
  const open = useWarren(selectOpen);
  if (!open) return null;
  return <Gallery />;
}

function Gallery() {
  const [lessons, setLessons] = useState<LessonSummary[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const searchId = useId();
  useEffect(() => {
    listLessons().then(setLessons, (error: Error) => setProblem(error.message));
  }, []);
  const close = () => useWarren.getState().openLessons(false);
  const shown = (lessons ?? []).filter((lesson) => matchesLessonSearch(lesson, query));
  return (
    <Modal
      title="Lessons"
      subtitle="Each lesson opens its diagram in a new session on the broker; its steps tick themselves off as the broker does them."
      onClose={close}
      testId="lessons-dialog"
      wide
    >
      <JoinClassroomForm />
      <label className="lessons-search" htmlFor={searchId}>
        <span>Search lessons</span>
        <input
          id={searchId}
          type="search"
          value={query}
          placeholder="topic, dead letter, RPC…"
          data-testid="lessons-search"
          onChange={(e) => setQuery(e.target.value)}
        />
      </label>
      {problem && (
        <p className="lessons-problem" role="alert">
          {problem}
        </p>
      )}
      {lessons === null && !problem && <p className="lessons-empty">Loading lessons…</p>}
      {lessons !== null && shown.length === 0 && (
        <p className="lessons-empty">No lesson matches “{query}”.</p>
      )}
      <ul className="lessons-grid" aria-label="Lessons">
        {shown.map((lesson) => (
          <li key={lesson.id}>
            <button
              type="button"
              className="lesson-card"
              data-testid="lesson-card"
              data-lesson-id={lesson.id}
              title={`Open lesson ${lesson.number}: ${lesson.title}`}
              onClick={() => openLesson(lesson.id)}
            >
              <img
                className="lesson-card__image"
                src={`/api/lessons/${encodeURIComponent(lesson.id)}/image.svg`}
                alt=""
                loading="lazy"
              />
              <span className="lesson-card__number">{lesson.number}</span>
              <span className="lesson-card__title">{lesson.title}</span>
              <span className="lesson-card__summary">{lesson.summary}</span>
            </button>
          </li>
        ))}
      </ul>
    </Modal>
  );
}
