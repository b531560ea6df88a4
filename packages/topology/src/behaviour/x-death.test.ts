import { describe, expect, it } from 'vitest';
import { deaths, deathSignature, deathsSince, isDeadLetterReason, latestDeath } from './x-death';

/** An x-death header as amqplib decodes it from a message that went work → retry → work. */
const cycled = {
  'x-death': [
    {
      count: 2,
      reason: 'expired',
      queue: 'work.retry',
      exchange: 'retry',
      'routing-keys': ['task'],
      time: { '!': 'timestamp', value: 1_700_000_000 },
    },
    { count: 2, reason: 'rejected', queue: 'work', exchange: 'work.x', 'routing-keys': ['task'] },
  ],
  'x-first-death-queue': 'work',
  'x-first-death-reason': 'rejected',
};

describe('latestDeath', () => {
  it('is the first entry: the broker moves the latest dead-lettering to the front', () => {
    expect(latestDeath(cycled)).toEqual({
      queue: 'work.retry',
      reason: 'expired',
      count: 2,
      exchange: 'retry',
      routingKeys: ['task'],
    });
  });

  it('is undefined without x-death, or with a reason the broker never writes', () => {
    expect(latestDeath(undefined)).toBeUndefined();
    expect(latestDeath({})).toBeUndefined();
    expect(latestDeath({ 'x-death': [{ queue: 'q', reason: 'bored', count: 1 }] })).toBeUndefined();
  });

  it('reads text the firehose hands over as bytes', () => {
    const fromTrace = {
      'x-death': [
        {
          count: 1,
          reason: new TextEncoder().encode('maxlen'),
          queue: new TextEncoder().encode('bounded'),
          'routing-keys': [new TextEncoder().encode('bounded')],
        },
      ],
    };
    expect(latestDeath(fromTrace)).toMatchObject({
      queue: 'bounded',
      reason: 'maxlen',
      count: 1,
      routingKeys: ['bounded'],
    });
  });
});

describe('deathsSince', () => {
  it('finds both hops of a cycle between two sightings of the message', () => {
    const before = deaths({
      'x-death': [
        { count: 1, reason: 'expired', queue: 'work.retry' },
        { count: 1, reason: 'rejected', queue: 'work' },
      ],
    });
    expect(deathsSince(before, deaths(cycled)).map((d) => [d.queue, d.reason, d.times])).toEqual([
      ['work.retry', 'expired', 1],
      ['work', 'rejected', 1],
    ]);
  });

  it('counts a first death, and nothing when the header did not change', () => {
    const now = deaths(cycled);
    expect(deathsSince([], now).map((d) => d.times)).toEqual([2, 2]);
    expect(deathsSince(now, now)).toEqual([]);
  });
});

describe('deathSignature', () => {
  it('changes with the count, so each dead-lettering of a message is told apart', () => {
    const first = latestDeath({ 'x-death': [{ count: 1, reason: 'rejected', queue: 'work' }] });
    const second = latestDeath({ 'x-death': [{ count: 2, reason: 'rejected', queue: 'work' }] });
    expect(deathSignature('m1', first)).not.toBe(deathSignature('m1', second));
    expect(deathSignature('m1', first)).toBe(deathSignature('m1', { ...first! }));
    expect(deathSignature(null, undefined)).toBe('[null,null,null,null]');
  });

  it('knows the four reasons of RabbitMQ', () => {
    expect(['rejected', 'expired', 'maxlen', 'delivery_limit'].every(isDeadLetterReason)).toBe(
      true,
    );
    expect(isDeadLetterReason('purged')).toBe(false);
  });
});
