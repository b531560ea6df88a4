import type {
  LessonProgressReport,
  LessonReply,
  LessonsResponse,
  RunLessonStepResponse,
} from '@warren/protocol';
import { api, errorMessage } from '../live/api';
import { useWarren } from '../store/store';

/** The gallery's lessons, by number. */
export async function listLessons(): Promise<LessonsResponse['lessons']> {
  const reply = await api('GET', '/api/lessons');
  if (!reply.ok) throw new Error(errorMessage(reply));
  return (reply.body as LessonsResponse).lessons;
}

/** Shows the lesson a session runs, with the steps already done. */
export async function loadSessionLesson(sessionId: string, lessonId: string): Promise<void> {
  const [lessonReply, progressReply] = await Promise.all([
    api('GET', `/api/lessons/${encodeURIComponent(lessonId)}`),
    api('GET', `/api/sessions/${encodeURIComponent(sessionId)}/lesson`),
  ]);
  if (!lessonReply.ok) return;
  const progress = progressReply.ok ? (progressReply.body as LessonProgressReport).steps : [];
  const reply = lessonReply.body as LessonReply;
  useWarren.getState().setLesson(reply, progress, reply.brokerRestart === true);
  // The steps take a column of the page: fit the diagram to what is left.
  useWarren.getState().requestFit();
}

/** Runs a step's action on the broker; its check ticks it off when the broker has done it. */
export async function runLessonStep(stepId: string): Promise<void> {
  const state = useWarren.getState();
  if (!state.sessionId) return;
  state.lessonStepRunning(stepId);
  try {
    const reply = await api(
      'POST',
      `/api/sessions/${encodeURIComponent(state.sessionId)}/lesson/steps/${encodeURIComponent(stepId)}/run`,
      { token: state.editToken },
    );
    if (reply.ok) {
      useWarren.getState().lessonProgress((reply.body as RunLessonStepResponse).steps);
      useWarren.getState().lessonStepRunning(null);
    } else {
      useWarren.getState().lessonStepRunning(null, errorMessage(reply));
    }
  } catch (error) {
    useWarren.getState().lessonStepRunning(null, (error as Error).message);
  }
}

/** Opens a lesson: a new session running its diagram, in this tab. */
export function openLesson(lessonId: string): void {
  const url = new URL(window.location.href);
  url.pathname = '/';
  url.search = '';
  url.hash = '';
  url.searchParams.set('lesson', lessonId);
  window.location.assign(url.href);
}
