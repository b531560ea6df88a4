import type { ClassroomState } from '@warren/protocol';
import { describe, expect, it } from 'vitest';
import {
  currentStepId,
  highlightedStepId,
  fitTeacherView,
  initialStudent,
  roundViewport,
  sameViewport,
  splitSelection,
  studentReduce,
  type StudentState,
} from './follow-logic';

const classroom = (patch: Partial<ClassroomState> = {}): ClassroomState => ({
  code: 'AB12CD',
  sessionId: 's1',
  followers: 2,
  mode: 'follow',
  viewport: { x: 10, y: 20, zoom: 1 },
  selection: [],
  stepId: null,
  question: null,
  ...patch,
});

describe("the teacher's view", () => {
  it('splits a selection into nodes and edges', () => {
    expect(splitSelection(['q1', 'b1', 'x1'], new Set(['q1', 'x1']))).toEqual({
      nodes: ['q1', 'x1'],
      edges: ['b1'],
    });
  });

  it('tells viewports apart only when they look different', () => {
    expect(sameViewport({ x: 1, y: 1, zoom: 1 }, { x: 1.2, y: 0.9, zoom: 1.0001 })).toBe(true);
    expect(sameViewport({ x: 1, y: 1, zoom: 1 }, { x: 3, y: 1, zoom: 1 })).toBe(false);
    expect(sameViewport(null, null)).toBe(true);
    expect(sameViewport(null, { x: 0, y: 0, zoom: 1 })).toBe(false);
  });

  it("shows the teacher's part of the diagram on a screen of another size", () => {
    // The teacher's 800×600 canvas is centred on (500, 400) of the diagram at zoom 1.
    const teacher = { x: -100, y: -100, zoom: 1, width: 800, height: 600 };
    const wide = fitTeacherView(teacher, { width: 1600, height: 600 });
    expect(wide.zoom).toBe(1);
    expect((800 - wide.x) / wide.zoom).toBe(500);
    expect((300 - wide.y) / wide.zoom).toBe(400);
    const small = fitTeacherView(teacher, { width: 400, height: 600 });
    expect(small.zoom).toBe(0.5);
    expect((200 - small.x) / small.zoom).toBe(500);
    expect((300 - small.y) / small.zoom).toBe(400);
    // Without the teacher's size: the viewport as it is.
    expect(fitTeacherView({ x: 1, y: 2, zoom: 3 }, { width: 10, height: 10 })).toEqual({
      x: 1,
      y: 2,
      zoom: 3,
    });
  });

  it('rounds a viewport and keeps its zoom in range', () => {
    expect(roundViewport({ x: 1.234, y: -5.55, zoom: 40 })).toEqual({ x: 1.2, y: -5.5, zoom: 16 });
  });

  it('is on the first lesson step not done', () => {
    const steps = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    expect(currentStepId(steps, { a: true })).toBe('b');
    expect(currentStepId(steps, { a: true, b: true, c: true })).toBe('c');
    expect(currentStepId(undefined, {})).toBeNull();
  });

  it("marks the teacher's step for a student, and the first step not done otherwise", () => {
    const steps = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    expect(highlightedStepId(steps, { a: true }, 'c')).toBe('c');
    expect(highlightedStepId(steps, { a: true }, null)).toBe('b');
    expect(highlightedStepId(steps, { a: true }, 'gone')).toBe('b');
    expect(highlightedStepId(undefined, {}, 'a')).toBeNull();
  });
});

describe("a student's page", () => {
  const start = initialStudent('AB12CD');
  const run = (...inputs: Parameters<typeof studentReduce>[1][]): StudentState =>
    inputs.reduce(studentReduce, start);

  it('follows once the hello says the class follows', () => {
    expect(run({ type: 'classroom', classroom: classroom() }).phase).toBe('following');
  });

  it('lands in its sandbox when the class is trying, also after a reload', () => {
    const s = run({ type: 'classroom', classroom: classroom({ mode: 'try' }) });
    expect(s.phase).toBe('sandbox-opening');
    const opened = studentReduce(s, {
      type: 'sandbox',
      sandbox: { sessionId: 'f1', editToken: 't' },
    });
    expect(opened.phase).toBe('sandbox');
    // Followers coming and going change nothing for the sandbox.
    const again = studentReduce(opened, {
      type: 'classroom',
      classroom: classroom({ mode: 'try', followers: 3 }),
    });
    expect(again.phase).toBe('sandbox');
    expect(again.sandbox).toEqual({ sessionId: 'f1', editToken: 't' });
  });

  it('goes back to following when the teacher brings everyone back', () => {
    const s = run(
      { type: 'classroom', classroom: classroom({ mode: 'try' }) },
      { type: 'sandbox', sandbox: { sessionId: 'f1', editToken: 't' } },
      { type: 'classroom', classroom: classroom({ mode: 'follow' }) },
    );
    expect(s.phase).toBe('following');
    expect(s.sandbox).toBeNull();
  });

  it('ignores a sandbox that arrives after the class went back', () => {
    const s = run(
      { type: 'classroom', classroom: classroom({ mode: 'try' }) },
      { type: 'classroom', classroom: classroom({ mode: 'follow' }) },
      { type: 'sandbox', sandbox: { sessionId: 'f1', editToken: 't' } },
    );
    expect(s.phase).toBe('following');
    expect(s.sandbox).toBeNull();
  });

  it('says when its sandbox could not be made', () => {
    const s = run(
      { type: 'classroom', classroom: classroom({ mode: 'try' }) },
      { type: 'sandbox-failed', message: 'No room on the broker.' },
    );
    expect(s).toMatchObject({ phase: 'sandbox-failed', problem: 'No room on the broker.' });
  });

  it('stays closed once the classroom ends', () => {
    const s = run(
      { type: 'classroom', classroom: classroom() },
      { type: 'classroom', classroom: classroom(), closed: true },
      { type: 'classroom', classroom: classroom({ mode: 'try' }) },
    );
    expect(s.phase).toBe('closed');
  });

  it('keeps the choice to stop following', () => {
    const s = run(
      { type: 'classroom', classroom: classroom() },
      { type: 'follow', following: false },
      { type: 'classroom', classroom: classroom({ viewport: { x: 0, y: 0, zoom: 2 } }) },
    );
    expect(s.following).toBe(false);
    expect(s.phase).toBe('following');
  });

  it('tells an unknown code from a refusal', () => {
    expect(run({ type: 'missing' }).phase).toBe('missing');
    expect(run({ type: 'refused', message: 'Nope.' })).toMatchObject({
      phase: 'problem',
      problem: 'Nope.',
    });
  });
});
