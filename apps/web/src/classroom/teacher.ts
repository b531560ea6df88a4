import type { ClassroomMode, QuestionMessage } from '@warren/protocol';
import { openEventStream, streamUrl, type EventStream } from '../live/events-client';
import { useWarren } from '../store/store';
import {
  askQuestion,
  classroomEventsPath,
  endClassroom,
  getClassroom,
  revealQuestion,
  setMode,
  startClassroom,
} from './classroom-api';
import { useClassroom } from './classroom-store';
import { rememberTeacherClassroom } from './follower-id';
import { joinPath } from './join-code';

/**
 * The teacher's side of a classroom: open it for the session this page edits, hear who
 * follows and how the class answers (on the classroom's stream, as a teacher who is not
 * counted), change its mode, ask and reveal, end it.
 */

let stream: EventStream | null = null;

function token(): string | null {
  return useWarren.getState().editToken;
}

function listen(code: string): void {
  stream?.close();
  stream = openEventStream(streamUrl(classroomEventsPath(code, token())), {
    onFrame: (frame) => {
      if (frame.type === 'hello' && frame.classroom)
        useClassroom.getState().teacherState(frame.classroom);
      else if (frame.type === 'classroom') {
        const closed = frame.change === 'closed';
        useClassroom.getState().teacherState(frame.classroom, closed);
        if (closed) stopListening();
      }
    },
  });
}

function stopListening(): void {
  stream?.close();
  stream = null;
}

function adoptClassroom(code: string, joinUrl: string): void {
  const sessionId = useWarren.getState().sessionId;
  if (sessionId) rememberTeacherClassroom(sessionId, code);
  useClassroom.getState().setTeacher({ code, joinUrl, state: null, closed: false });
  listen(code);
}

/** Opens a classroom on this page's session (or gets back the one already open). */
export async function openClassroom(): Promise<void> {
  const { sessionId } = useWarren.getState();
  if (!sessionId) throw new Error('The session is not ready yet; try again in a moment.');
  const created = await startClassroom(sessionId, token());
  adoptClassroom(created.code, created.joinUrl);
}

/** After a reload: the classroom this session had open, if it still is. */
export async function resumeClassroom(sessionId: string, code: string): Promise<void> {
  try {
    const summary = await getClassroom(code);
    if (summary.sessionId !== sessionId || useClassroom.getState().teacher) return;
    adoptClassroom(summary.code, `${window.location.origin}${joinPath(summary.code)}`);
  } catch {
    rememberTeacherClassroom(sessionId, null);
  }
}

function code(): string {
  const teacher = useClassroom.getState().teacher;
  if (!teacher) throw new Error('No classroom is open.');
  return teacher.code;
}

export async function changeMode(mode: ClassroomMode): Promise<void> {
  await setMode(code(), token(), mode);
}

export async function ask(message: QuestionMessage): Promise<void> {
  await askQuestion(code(), token(), message);
}

export async function reveal(questionId: string): Promise<void> {
  await revealQuestion(code(), token(), questionId);
}

export async function end(): Promise<void> {
  const current = code();
  await endClassroom(current, token());
  forget();
}

/** Leaves the classroom behind on this page (it ended, or the session changed). */
export function forget(): void {
  stopListening();
  const sessionId = useWarren.getState().sessionId;
  if (sessionId) rememberTeacherClassroom(sessionId, null);
  useClassroom.getState().setTeacher(null);
}
