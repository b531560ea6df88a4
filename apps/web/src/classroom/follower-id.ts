/**
 * Who this browser is in a classroom, kept per code: answering again replaces the earlier
 * answer, and asking for a sandbox again gives back the same one (after a reload too).
 */

const PREFIX = 'warren.classroom.follower.';

function newId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function')
    return crypto.randomUUID();
  return `f-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

export function followerIdFor(code: string, storage: Storage | null = safeStorage()): string {
  const key = PREFIX + code.toUpperCase();
  const stored = storage?.getItem(key);
  if (stored && stored.length >= 8 && stored.length <= 64) return stored;
  const id = newId();
  try {
    storage?.setItem(key, id);
  } catch {
    // Without storage the id lasts as long as the page.
  }
  return id;
}

function safeStorage(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null;
  }
}

/** The classroom a teacher's session has open, so a reload of the teacher's page finds it. */
const TEACHER_PREFIX = 'warren.classroom.teacher.';

export function rememberTeacherClassroom(sessionId: string, code: string | null): void {
  const storage = safeStorage();
  try {
    if (code === null) storage?.removeItem(TEACHER_PREFIX + sessionId);
    else storage?.setItem(TEACHER_PREFIX + sessionId, code);
  } catch {
    // A reload then shows "Start a classroom" again; starting gives back the open one.
  }
}

export function teacherClassroomOf(sessionId: string): string | null {
  try {
    return safeStorage()?.getItem(TEACHER_PREFIX + sessionId) ?? null;
  } catch {
    return null;
  }
}
