import type { Lesson } from '@warren/lessons';
import { describe, expect, it } from 'vitest';
import { createWarrenStore } from './store';

const lesson = {
  id: 'l',
  number: 1,
  title: 'A lesson',
  summary: 'Two steps.',
  document: { version: 1, exchanges: [], queues: [], bindings: [], producers: [] },
  steps: [
    { id: 'send', title: 'Send', text: 'Send it.' },
    { id: 'acked', title: 'Acked', text: 'Watch it acked.' },
  ],
} as Lesson;

describe('lesson progress in the page', () => {
  it('keeps a step done when an older report arrives after the event that ticked it', () => {
    const store = createWarrenStore();
    store.getState().setLesson(lesson, [
      { id: 'send', title: 'Send', done: false },
      { id: 'acked', title: 'Acked', done: false },
    ]);
    // The websocket's lesson-progress: both done.
    store.getState().lessonProgress([
      { id: 'send', title: 'Send', done: true },
      { id: 'acked', title: 'Acked', done: true },
    ]);
    // Then the reply to the step's run, made before the acks came.
    store.getState().lessonProgress([
      { id: 'send', title: 'Send', done: true },
      { id: 'acked', title: 'Acked', done: false },
    ]);
    expect(store.getState().lesson?.done).toEqual({ send: true, acked: true });
  });
});
