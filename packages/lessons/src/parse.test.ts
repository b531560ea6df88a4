import { describe, expect, it } from 'vitest';
import { parseLesson } from './parse';

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
