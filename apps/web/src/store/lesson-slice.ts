import type { StateCreator } from 'zustand';
import type { StepProgress } from '@warren/lessons';
import type { LessonSlice, WarrenState } from './state';

function doneOf(steps: StepProgress[]): Record<string, boolean> {
  return Object.fromEntries(steps.map((s) => [s.id, s.done]));
}

export const createLessonSlice: StateCreator<WarrenState, [], [], LessonSlice> = (set, get) => ({
  lesson: null,
  lessonsOpen: false,

  setLesson: (lesson, steps = [], brokerRestart = false) =>
    set({
      lesson: lesson
        ? { lesson, done: doneOf(steps), brokerRestart, running: null, problem: null }
        : null,
    }),

  lessonProgress: (steps) => {
    const current = get().lesson;
    if (!current) return;
    // A done step stays done: a report made earlier (the reply to a step's run) can arrive
    // after the event that ticked a later check, and must not untick it.
    const done = { ...current.done };
    for (const step of steps) done[step.id] = done[step.id] === true || step.done;
    set({ lesson: { ...current, done } });
  },

  lessonStepRunning: (stepId, problem = null) => {
    const current = get().lesson;
    if (current) set({ lesson: { ...current, running: stepId, problem } });
  },

  openLessons: (open) => set({ lessonsOpen: open }),
});
