import type { ClassroomState } from '@warren/protocol';
import { create } from 'zustand';
import {
  initialStudent,
  studentReduce,
  type StudentInput,
  type StudentState,
} from './follow-logic';

/**
 * The classroom this page takes part in: as the teacher (the session's own page, with the
 * panel) or as a student (the `/join/<code>` page). Kept apart from the session's store, whose
 * events and topology a student's page shares.
 */

export interface TeacherClassroom {
  code: string;
  joinUrl: string;
  /** From the teacher's own classroom stream; null until its hello. */
  state: ClassroomState | null;
  closed: boolean;
}

export interface ClassroomStore {
  role: 'none' | 'teacher' | 'student';
  /** The teacher's panel is shown. */
  panelOpen: boolean;
  teacher: TeacherClassroom | null;
  student: StudentState | null;

  setPanelOpen: (open: boolean) => void;
  setTeacher: (teacher: TeacherClassroom | null) => void;
  teacherState: (state: ClassroomState, closed?: boolean) => void;
  startStudent: (code: string) => void;
  studentInput: (input: StudentInput) => void;
}

export const useClassroom = create<ClassroomStore>()((set, get) => ({
  role: 'none',
  panelOpen: false,
  teacher: null,
  student: null,

  setPanelOpen: (panelOpen) => set({ panelOpen }),
  setTeacher: (teacher) => set({ teacher, role: teacher ? 'teacher' : 'none' }),
  teacherState: (state, closed = false) => {
    const teacher = get().teacher;
    if (teacher && teacher.code === state.code) set({ teacher: { ...teacher, state, closed } });
  },
  startStudent: (code) => set({ role: 'student', student: initialStudent(code) }),
  studentInput: (input) => {
    const student = get().student;
    if (student) set({ student: studentReduce(student, input) });
  },
}));

export const selectStudentFollowing = (s: ClassroomStore) => s.student?.phase === 'following';
