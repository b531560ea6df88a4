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

/** The teacher's panel, in the inspector's column while it is open (the canvas stays clear). */
export function ClassroomPanelSlot() {
  const open = useClassroom((s) => s.role !== 'student' && s.panelOpen);
  if (!open) return null;
  return (
    <Suspense fallback={null}>
      <TeacherPanel />
    </Suspense>
  );
}
