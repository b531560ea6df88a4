import type { StateCreator } from 'zustand';
import type { StepProgress } from '@warren/lessons';
import type { LessonSlice, WarrenState } from './state';

function doneOf(steps: StepProgress[]): Record<string, boolean> {
  return Object.fromEntries(steps.map((s) => [s.id, s.done]));
}

export const createLessonSlice: StateCreator<WarrenState, [], [], LessonSlice> = (set, get) => ({
  lesson: null,
  lessonsOpen: false,

  setLesson: (lesson, steps = []) =>
    set({ lesson: lesson ? { lesson, done: doneOf(steps), running: null, problem: null } : null }),

  lessonProgress: (steps) => {
    const current = get().lesson;
    if (current) set({ lesson: { ...current, done: { ...current.done, ...doneOf(steps) } } });
  },

  lessonStepRunning: (stepId, problem = null) => {
    const current = get().lesson;
    if (current) set({ lesson: { ...current, running: stepId, problem } });
  },

  openLessons: (open) => set({ lessonsOpen: open }),
});
