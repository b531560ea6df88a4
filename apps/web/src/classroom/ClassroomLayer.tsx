import { lazy, Suspense } from 'react';
import { useClassroom, type ClassroomStore } from './classroom-store';

/*
 * The classroom's parts of the page, each fetched the first time it shows: the teacher's
 * panel and the view it sends, and a student's banner, question card and following.
 */

const TeacherPanel = lazy(async () => ({ default: (await import('./TeacherPanel')).TeacherPanel }));
const TeacherViewSync = lazy(async () => ({
  default: (await import('./TeacherViewSync')).TeacherViewSync,
}));
const StudentView = lazy(async () => ({ default: (await import('./StudentView')).StudentView }));
const StudentQuestion = lazy(async () => ({
  default: (await import('./StudentView')).StudentQuestion,
}));

const selectSyncCode = (s: ClassroomStore) =>
  s.role === 'teacher' && s.teacher && !s.teacher.closed ? s.teacher.code : null;

/** Over the canvas: a student's banner and question card; the view a teacher sends. */
export function ClassroomLayer() {
  const role = useClassroom((s) => s.role);
  const syncCode = useClassroom(selectSyncCode);
  return (
    <Suspense fallback={null}>
      {syncCode !== null && <TeacherViewSync code={syncCode} />}
      {role === 'student' && <StudentView />}
    </Suspense>
  );
}

/**
 * In the inspector's column, so the canvas the class follows stays in sight: the teacher's
 * panel while it is open, a student's question card while there is a question.
 */
export function ClassroomPanelSlot() {
  const role = useClassroom((s) => s.role);
  const open = useClassroom((s) => s.panelOpen);
  if (role === 'student')
    return (
      <Suspense fallback={null}>
        <StudentQuestion />
      </Suspense>
    );
  if (!open) return null;
  return (
    <Suspense fallback={null}>
      <TeacherPanel />
    </Suspense>
  );
}
