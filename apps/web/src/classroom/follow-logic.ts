import type { ClassroomState, Viewport } from '@warren/protocol';

/**
 * What a follower takes from the teacher's view, and what the teacher's page sends of it.
 */

/** The teacher's selection is one list of ids; the canvas keeps nodes and edges apart. */
export function splitSelection(
  ids: readonly string[],
  nodeIds: ReadonlySet<string>,
): { nodes: string[]; edges: string[] } {
  const nodes: string[] = [];
  const edges: string[] = [];
  for (const id of ids) (nodeIds.has(id) ? nodes : edges).push(id);
  return { nodes, edges };
}

/** Viewports this close look the same; sending (or moving to) them again is only noise. */
export function sameViewport(a: Viewport | null, b: Viewport | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    Math.abs(a.x - b.x) < 0.5 &&
    Math.abs(a.y - b.y) < 0.5 &&
    Math.abs(a.zoom - b.zoom) < 1e-3 &&
    a.width === b.width &&
    a.height === b.height
  );
}

/** The zoom range the canvas allows (Canvas.tsx). */
const MIN_ZOOM = 0.1;
const MAX_ZOOM = 2;

/**
 * The viewport that shows, on a canvas of `size`, the part of the diagram the teacher's
 * canvas shows: the same centre, scaled so all of it fits. Without the teacher's size, the
 * teacher's viewport as it is.
 */
export function fitTeacherView(
  teacher: Viewport,
  size: { width: number; height: number },
): { x: number; y: number; zoom: number } {
  const { x, y, zoom, width, height } = teacher;
  if (!width || !height || size.width <= 0 || size.height <= 0) return { x, y, zoom };
  // The centre of the teacher's canvas, in the diagram's coordinates.
  const cx = (width / 2 - x) / zoom;
  const cy = (height / 2 - y) / zoom;
  const scale = Math.min(size.width / width, size.height / height);
  const fitted = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom * scale));
  return { x: size.width / 2 - cx * fitted, y: size.height / 2 - cy * fitted, zoom: fitted };
}

/** A viewport as the server takes it: finite numbers, a zoom within its range. */
export function roundViewport(v: Viewport): Viewport {
  const zoom = Math.min(16, Math.max(0.01, v.zoom));
  const rounded: Viewport = {
    x: Math.round(v.x * 10) / 10,
    y: Math.round(v.y * 10) / 10,
    zoom: Math.round(zoom * 1e4) / 1e4,
  };
  if (v.width && v.width >= 1) rounded.width = Math.round(v.width);
  if (v.height && v.height >= 1) rounded.height = Math.round(v.height);
  return rounded;
}

/**
 * The lesson step the class is on: the first one not done yet (the last one once all are).
 * Null without a lesson.
 */
export function currentStepId(
  steps: readonly { id: string }[] | undefined,
  done: Readonly<Record<string, boolean>>,
): string | null {
  if (!steps || steps.length === 0) return null;
  return (steps.find((s) => !done[s.id]) ?? steps[steps.length - 1])?.id ?? null;
}

/**
 * The step a lesson panel marks as "here": for a student following the class, the step the
 * teacher is on (when the lesson has it); for everyone else, the first step not done yet.
 */
export function highlightedStepId(
  steps: readonly { id: string }[] | undefined,
  done: Readonly<Record<string, boolean>>,
  classStepId: string | null | undefined,
): string | null {
  if (classStepId && steps?.some((s) => s.id === classStepId)) return classStepId;
  return currentStepId(steps, done);
}

/** Where a follower is: watching the teacher, in a sandbox of their own, or out. */
export type StudentPhase =
  | 'connecting'
  | 'following'
  | 'sandbox-opening'
  | 'sandbox'
  | 'sandbox-failed'
  | 'closed'
  | 'missing'
  | 'problem';

export interface Sandbox {
  sessionId: string;
  editToken: string;
}

export interface StudentState {
  code: string;
  phase: StudentPhase;
  classroom: ClassroomState | null;
  /** The student's own choice: follow the teacher's viewport and selection, or look around. */
  following: boolean;
  sandbox: Sandbox | null;
  problem: string | null;
}

export type StudentInput =
  | { type: 'classroom'; classroom: ClassroomState; closed?: boolean }
  | { type: 'sandbox'; sandbox: Sandbox }
  | { type: 'sandbox-failed'; message: string }
  | { type: 'missing' }
  | { type: 'refused'; message: string }
  | { type: 'follow'; following: boolean };

export function initialStudent(code: string): StudentState {
  return {
    code,
    phase: 'connecting',
    classroom: null,
    following: true,
    sandbox: null,
    problem: null,
  };
}

const OVER: ReadonlySet<StudentPhase> = new Set(['closed', 'missing', 'problem']);

/** The next state of a student's page; the page acts on the change of phase. */
export function studentReduce(state: StudentState, input: StudentInput): StudentState {
  if (OVER.has(state.phase) && input.type !== 'follow') return state;
  switch (input.type) {
    case 'classroom': {
      if (input.closed)
        return { ...state, classroom: input.classroom, phase: 'closed', sandbox: null };
      if (input.classroom.mode === 'follow')
        return {
          ...state,
          classroom: input.classroom,
          phase: 'following',
          sandbox: null,
          problem: null,
        };
      const phase =
        state.phase === 'sandbox' ||
        state.phase === 'sandbox-failed' ||
        state.phase === 'sandbox-opening'
          ? state.phase
          : 'sandbox-opening';
      return { ...state, classroom: input.classroom, phase };
    }
    case 'sandbox':
      if (state.phase !== 'sandbox-opening') return state;
      return { ...state, phase: 'sandbox', sandbox: input.sandbox, problem: null };
    case 'sandbox-failed':
      if (state.phase !== 'sandbox-opening') return state;
      return { ...state, phase: 'sandbox-failed', problem: input.message };
    case 'missing':
      return { ...state, phase: 'missing', problem: null };
    case 'refused':
      return { ...state, phase: 'problem', problem: input.message };
    case 'follow':
      return { ...state, following: input.following };
  }
}
