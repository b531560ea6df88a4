import type { ServerFrame } from '@warren/protocol';
import { ServerUnreachable } from '../live/api';
import {
  disconnectEvents,
  openEventStream,
  streamUrl,
  takeSessionFrame,
  type EventStream,
} from '../live/events-client';
import { clearMessages } from '../live/message-log';
import { openSessionHere } from '../live/session';
import { loadSessionLesson } from '../lessons/lesson-api';
import { useWarren } from '../store/store';
import { classroomEventsPath, ClassroomRefused, forkSandbox, getClassroom } from './classroom-api';
import { useClassroom } from './classroom-store';
import type { StudentPhase } from './follow-logic';
import { followerIdFor } from './follower-id';

/**
 * A student's page (`/join/<code>`): the teacher's session read-only through the classroom's
 * stream while the class follows; a sandbox of the student's own while the class tries; back
 * again when the teacher brings everyone back. The page acts on each change of phase.
 */

let stream: EventStream | null = null;
/** The next hello replaces the canvas (coming back from the sandbox), edits and all. */
let replaceOnHello = true;
/** The teacher's session whose lesson this page shows. */
let lessonShownFor: string | null = null;
let helloSeen = false;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function phase(): StudentPhase | undefined {
  return useClassroom.getState().student?.phase;
}

function onFrame(frame: ServerFrame): boolean {
  const input = useClassroom.getState().studentInput;
  if (frame.type === 'hello') {
    helloSeen = true;
    if (frame.classroom) input({ type: 'classroom', classroom: frame.classroom });
    if (phase() !== 'following') return false;
    const state = useWarren.getState();
    if (state.sessionId !== frame.sessionId || state.editToken !== null) {
      state.setSession({ id: frame.sessionId, editToken: null });
    }
    state.setViewing(true);
    if (replaceOnHello) {
      clearMessages();
      useWarren.getState().loadServerTopology(frame.topology);
      replaceOnHello = false;
    }
    const resync = takeSessionFrame(frame.sessionId, frame);
    const lessonId = frame.classroom?.lessonId;
    if (lessonId && lessonShownFor !== frame.sessionId) {
      lessonShownFor = frame.sessionId;
      void loadSessionLesson(frame.sessionId, lessonId);
    }
    if (!frame.classroom?.viewport) useWarren.getState().requestFit();
    return resync;
  }
  if (frame.type === 'events') {
    if (phase() !== 'following') return false;
    const sessionId = useWarren.getState().sessionId;
    return sessionId !== null && takeSessionFrame(sessionId, frame);
  }
  if (frame.type === 'classroom') {
    input({ type: 'classroom', classroom: frame.classroom, closed: frame.change === 'closed' });
    return false;
  }
  if (frame.type === 'error') {
    if (frame.code === 'CLASSROOM_NOT_FOUND') endOrMissing();
    else if (!helloSeen) input({ type: 'refused', message: frame.message });
  }
  return false;
}

/** The classroom is not there (any more): it ended, if this page was in it. */
function endOrMissing(): void {
  const { student, studentInput } = useClassroom.getState();
  if (student?.classroom)
    studentInput({ type: 'classroom', classroom: student.classroom, closed: true });
  else studentInput({ type: 'missing' });
}

/** The stream keeps failing: the classroom may have ended, or never been. */
async function checkStillOpen(code: string): Promise<void> {
  try {
    await getClassroom(code);
  } catch (error) {
    if (error instanceof ClassroomRefused && error.reply.status === 404) endOrMissing();
  }
}

async function openSandbox(code: string): Promise<void> {
  const input = useClassroom.getState().studentInput;
  try {
    const fork = await forkSandbox(code, followerIdFor(code));
    input({ type: 'sandbox', sandbox: { sessionId: fork.sessionId, editToken: fork.editToken } });
  } catch (error) {
    input({ type: 'sandbox-failed', message: (error as Error).message });
  }
}

async function enterSandbox(sessionId: string, editToken: string): Promise<void> {
  const problem = await openSessionHere(sessionId, editToken, () => undefined);
  if (problem !== null)
    useClassroom.getState().studentInput({ type: 'sandbox-failed', message: problem });
}

function backToFollowing(): void {
  disconnectEvents();
  replaceOnHello = true;
  useWarren.getState().setSession(null);
  useWarren.getState().setViewing(true);
  stream?.resync();
}

function act(code: string, before: StudentPhase | undefined, now: StudentPhase): void {
  if (before === now) return;
  const sandbox = useClassroom.getState().student?.sandbox;
  if (now === 'sandbox-opening') {
    // Whatever the class was doing, the teacher's session no longer reaches this canvas.
    void openSandbox(code);
  } else if (now === 'sandbox' && sandbox) {
    void enterSandbox(sandbox.sessionId, sandbox.editToken);
  } else if (
    now === 'following' &&
    (before === 'sandbox' || before === 'sandbox-failed' || before === 'sandbox-opening')
  ) {
    backToFollowing();
  } else if (now === 'closed' || now === 'missing' || now === 'problem') {
    stream?.close();
    stream = null;
    disconnectEvents();
    useWarren.getState().setViewing(true);
  }
}

/** Opens the classroom of `code` in this page. */
export async function startStudentPage(code: string): Promise<void> {
  const classroom = useClassroom.getState();
  classroom.startStudent(code);
  useWarren.getState().setViewing(true);
  useClassroom.subscribe((state, previous) => {
    const now = state.student?.phase;
    if (now !== undefined) act(code, previous.student?.phase, now);
  });
  for (let attempt = 0; ; attempt++) {
    try {
      await getClassroom(code);
      break;
    } catch (error) {
      if (error instanceof ClassroomRefused) {
        useWarren.getState().setServer('online');
        classroom.studentInput(
          error.reply.status === 404
            ? { type: 'missing' }
            : { type: 'refused', message: error.message },
        );
        return;
      }
      if (!(error instanceof ServerUnreachable)) throw error;
      useWarren.getState().setServer('offline', 'Warren server not reachable');
      await sleep(Math.min(10_000, 1000 * 2 ** Math.min(attempt, 4)));
    }
  }
  useWarren.getState().setServer('online');
  stream = openEventStream(streamUrl(classroomEventsPath(code)), {
    onFrame,
    onClose: (failures, closeCode) => {
      if (phase() === 'following')
        useWarren.getState().setServer('offline', 'Warren server not reachable');
      // 4404: the server has no such classroom (any more).
      if (failures >= 2 || closeCode === 4404) void checkStillOpen(code);
    },
  });
}
