import { describe, expect, it } from 'vitest';
import { LessonProgress, matches } from './progress';
import type { Lesson } from './schema';

const lesson: Lesson = {
  id: 'topic',
  number: 7,
  title: 'Topic',
  summary: 'Topic routing.',
  document: { version: 1, exchanges: [], queues: [], bindings: [], producers: [] },
  steps: [
    { id: 'read', title: 'Read', text: 'Just read.' },
    {
      id: 'two',
      title: 'Two queues',
      text: 'x',
      check: {
        kind: 'event',
        event: 'routed',
        where: { routingKey: 'a.critical', routedQueues: ['order', 'critical'] },
      },
    },
    { id: 'run', title: 'Run', text: 'x', action: { kind: 'send', producer: 'p' } },
    {
      id: 'both',
      title: 'Both',
      text: 'x',
      check: {
        kind: 'all',
        checks: [
          { kind: 'event', event: 'acked', atLeast: 2 },
          { kind: 'queue-depth', queue: 'order', atMost: 0 },
        ],
      },
    },
  ],
};

const done = (p: LessonProgress) =>
  p
    .steps()
    .filter((s) => s.done)
    .map((s) => s.id);

describe('LessonProgress', () => {
  it('counts reading steps as done and the rest as not yet', () => {
    expect(done(new LessonProgress(lesson))).toEqual(['read']);
  });

  it('ticks a step off when a matching event arrives, lists in any order', () => {
    const progress = new LessonProgress(lesson);
    expect(
      progress.observe({ type: 'routed', routingKey: 'a.critical', routedQueues: ['order'] }),
    ).toBe(false);
    expect(
      progress.observe({
        type: 'routed',
        routingKey: 'a.critical',
        routedQueues: ['critical', 'order'],
      }),
    ).toBe(true);
    expect(done(progress)).toEqual(['read', 'two']);
  });

  it('marks a step with only an action done when it ran', () => {
    const progress = new LessonProgress(lesson);
    expect(progress.actionRan('run')).toBe(true);
    expect(done(progress)).toContain('run');
  });

  it('needs every part of an "all" check, counts and depths alike', () => {
    const progress = new LessonProgress(lesson);
    progress.observe({ type: 'acked' });
    progress.observe({ type: 'acked' });
    expect(done(progress)).not.toContain('both');
    progress.observe({ type: 'queue-stats', queues: [{ name: 'order', messages: 2 }] });
    expect(done(progress)).not.toContain('both');
    progress.observe({ type: 'queue-stats', queues: [{ name: 'order', messages: 0 }] });
    expect(done(progress)).toContain('both');
  });

  it('keeps a done step done', () => {
    const progress = new LessonProgress(lesson);
    progress.observe({ type: 'acked' });
    progress.observe({ type: 'acked' });
    progress.observe({ type: 'queue-stats', queues: [{ name: 'order', messages: 0 }] });
    progress.observe({ type: 'queue-stats', queues: [{ name: 'order', messages: 5 }] });
    expect(done(progress)).toContain('both');
  });

  it('takes back the steps done before a restart of the server, ignoring ids it has not', () => {
    const progress = new LessonProgress(lesson);
    progress.restore(['run', 'gone']);
    expect(progress.doneIds()).toEqual(['read', 'run']);
    expect(done(progress)).toEqual(['read', 'run']);
  });
});

describe('matches', () => {
  it('compares values and list members', () => {
    expect(matches({ type: 'routed', routedQueues: [] }, { routedQueues: [] })).toBe(true);
    expect(matches({ type: 'routed', routedQueues: ['a'] }, { routedQueues: [] })).toBe(false);
    expect(matches({ type: 'returned', replyCode: 312 }, { replyCode: 312 })).toBe(true);
    expect(matches({ type: 'returned' }, { replyCode: 312 })).toBe(false);
  });
});

describe('LessonProgress across a broker restart', () => {
  const durability: Lesson = {
    ...lesson,
    steps: [
      {
        id: 'after',
        title: 'After the restart',
        text: 'x',
        check: {
          kind: 'all',
          checks: [
            { kind: 'event', event: 'broker-restart', where: { phase: 'back' } },
            { kind: 'queue-depth', queue: 'durable.q', atLeast: 1 },
            { kind: 'queue-depth', queue: 'transient.q', atMost: 0 },
          ],
        },
      },
    ],
  };
  const stats = (durable: number, transient: number) => ({
    type: 'queue-stats',
    queues: [
      { name: 'durable.q', messages: durable },
      { name: 'transient.q', messages: transient },
    ],
  });

  it('does not tick on depths alone, nor on a restart that has only begun', () => {
    const progress = new LessonProgress(durability);
    expect(progress.observe(stats(1, 0))).toBe(false);
    expect(progress.observe({ type: 'broker-restart', phase: 'stopping' })).toBe(false);
    expect(done(progress)).toEqual([]);
  });

  it('ticks once the broker is back and the depths are those after it', () => {
    const progress = new LessonProgress(durability);
    progress.observe(stats(1, 1));
    expect(progress.observe({ type: 'broker-restart', phase: 'back' })).toBe(false);
    expect(progress.observe(stats(1, 0))).toBe(true);
    expect(done(progress)).toEqual(['after']);
  });
});
