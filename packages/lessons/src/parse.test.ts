import { describe, expect, it } from 'vitest';
import { parseLesson } from './parse';
import { needsBrokerRestart } from './steps';

const document = {
  version: 1,
  exchanges: [],
  queues: [{ id: 'q1', name: 'hello', durable: true, exclusive: false, autoDelete: false }],
  bindings: [],
  producers: [
    {
      id: 'p1',
      name: 'sender',
      exchange: '',
      routingKey: 'hello',
      payload: 'hi',
      mandatory: false,
    },
  ],
};
const lesson = (steps: unknown[]) => ({
  id: 'demo',
  number: 1,
  title: 'Demo',
  summary: 'A demo.',
  document,
  steps,
});

describe('parseLesson', () => {
  it('reads a lesson with an action and a check', () => {
    const parsed = parseLesson(
      lesson([
        {
          id: 'send',
          title: 'Send',
          text: 'Send it.',
          action: { kind: 'send', producer: 'p1' },
          check: { kind: 'queue-depth', queue: 'hello', atLeast: 1 },
        },
      ]),
    );
    expect(parsed.ok).toBe(true);
  });

  it('names a step that refers to a node the diagram lacks', () => {
    const parsed = parseLesson(
      lesson([
        { id: 'a', title: 'A', text: 'x', action: { kind: 'send', producer: 'nobody' } },
        { id: 'a', title: 'B', text: 'y', check: { kind: 'queue-depth', queue: 'nowhere' } },
      ]),
    );
    expect(parsed).toEqual({
      ok: false,
      problems: [
        '/steps/0/action/producer: the diagram has no producer "nobody".',
        '/steps/1/id: "a" is used by an earlier step.',
        '/steps/1/check: the diagram has no queue "nowhere".',
      ],
    });
  });

  it('names the field of a broken diagram', () => {
    const parsed = parseLesson({
      ...lesson([{ id: 'a', title: 'A', text: 'x' }]),
      document: { version: 1, queues: 3 },
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems[0]).toMatch(/^\/document\/queues/);
  });

  it('refuses a step without text', () => {
    const parsed = parseLesson(lesson([{ id: 'a', title: 'A' }]));
    expect(parsed.ok).toBe(false);
  });
});

describe('a step that restarts the broker', () => {
  const restart = { id: 'restart', title: 'Restart', text: 'Restart it.' };

  it('reads the restart-broker action, which takes no fields', () => {
    const parsed = parseLesson(lesson([{ ...restart, action: { kind: 'restart-broker' } }]));
    expect(parsed.ok).toBe(true);
    const extra = parseLesson(
      lesson([{ ...restart, action: { kind: 'restart-broker', command: 'reboot' } }]),
    );
    expect(extra.ok).toBe(false);
  });

  it('is known by its action or by a check that waits for the broker-restart event', () => {
    const parsed = parseLesson(
      lesson([
        { ...restart, action: { kind: 'restart-broker' } },
        {
          id: 'after',
          title: 'After',
          text: 'Look again.',
          check: {
            kind: 'all',
            checks: [
              { kind: 'event', event: 'broker-restart', where: { phase: 'back' } },
              { kind: 'queue-depth', queue: 'hello', atLeast: 1 },
            ],
          },
        },
        { id: 'send', title: 'Send', text: 'Send.', action: { kind: 'send', producer: 'p1' } },
      ]),
    );
    if (!parsed.ok) expect.fail(parsed.problems.join('; '));
    expect(parsed.lesson.steps.map(needsBrokerRestart)).toEqual([true, true, false]);
  });
});
