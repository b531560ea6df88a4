import type { WarrenEvent } from '@warren/protocol';
import { describe, expect, it } from 'vitest';
import {
  filterChoices,
  filterEntries,
  latestOutcome,
  MessageTimeline,
  type TimelineEntry,
} from './message-timeline';

let seq = 0;
const at = () => ({ seq: ++seq, at: 1_700_000_000_000 + seq });

function routed(
  key: string,
  routingKey: string,
  routedQueues: string[],
  extra: Partial<Extract<WarrenEvent, { type: 'routed' }>> = {},
): WarrenEvent {
  return {
    ...at(),
    type: 'routed',
    messageId: `m-${key}`,
    exchange: 'demo.topic',
    routingKey,
    routedQueues,
    outside: false,
    producerId: 'p1',
    messageKey: key,
    ...extra,
  };
}

function delivered(
  key: string,
  queue: string,
  consumerId = 'c1',
): Extract<WarrenEvent, { type: 'delivered' }> {
  return {
    ...at(),
    type: 'delivered',
    messageId: `m-${key}`,
    queue,
    redelivered: false,
    consumerId,
    messageKey: key,
  };
}

const only = (timeline: MessageTimeline): TimelineEntry => {
  expect(timeline.size).toBe(1);
  return timeline.entries()[0] as TimelineEntry;
};

describe('MessageTimeline', () => {
  it('makes one entry per routed message, newest first', () => {
    const timeline = new MessageTimeline();
    timeline.record([routed('a', 'order.create.critical', ['critical', 'order'])]);
    timeline.record([routed('b', 'system.log.info', [])]);
    const [newest, oldest] = timeline.entries();
    expect(newest?.routingKey).toBe('system.log.info');
    expect(newest?.outcomes).toEqual(['unroutable']);
    expect(oldest?.routedQueues).toEqual(['critical', 'order']);
    expect(oldest?.outcomes).toEqual(['routed']);
    expect(oldest?.producerId).toBe('p1');
  });

  it('adds deliveries and a consumer’s ack to the message they belong to', () => {
    const timeline = new MessageTimeline();
    timeline.record([routed('a', 'k', ['q']), delivered('a', 'q')]);
    timeline.record([
      {
        ...at(),
        type: 'acked',
        method: 'basic.ack',
        messageId: 'm-a',
        queue: 'q',
        consumerId: 'c1',
      },
    ]);
    const entry = only(timeline);
    expect(entry.deliveries.map((d) => d.queue)).toEqual(['q']);
    expect(entry.outcomes).toEqual(['routed', 'delivered', 'acked']);
    expect(latestOutcome(entry)).toBe('acked');
  });

  it('settles a message without an id by the consumer it was delivered to', () => {
    const timeline = new MessageTimeline();
    timeline.record([
      routed('a', 'k', ['q'], { messageId: null }),
      { ...delivered('a', 'q'), messageId: null },
      {
        ...at(),
        type: 'rejected',
        method: 'basic.reject',
        messageId: null,
        queue: 'q',
        consumerId: 'c1',
        reason: 'failed',
      },
    ]);
    expect(only(timeline).outcomes).toEqual(['routed', 'delivered', 'rejected']);
    expect(only(timeline).settlements[0]?.reason).toBe('failed');
  });

  it('records dead-lettering and the x-death history of the copy delivered later', () => {
    const timeline = new MessageTimeline();
    const xDeath = [
      { queue: 'work', reason: 'rejected', count: 1, exchange: 'demo', routingKeys: ['k'] },
    ];
    timeline.record([
      routed('a', 'k', ['work']),
      {
        ...at(),
        type: 'dead-lettered',
        messageId: 'm-a',
        queue: 'work',
        reason: 'rejected',
        exchange: 'dlx',
        routingKey: 'k',
        count: 1,
        inferred: false,
      },
      // The copy in the dead-letter queue has new headers, so a key of its own.
      { ...delivered('other-key', 'parking'), messageId: 'm-a', properties: { xDeath } },
    ]);
    const entry = only(timeline);
    expect(entry.outcomes).toEqual(['routed', 'dead-lettered', 'delivered']);
    expect(entry.deadLetterings[0]?.exchange).toBe('dlx');
    expect(entry.xDeath).toEqual(xDeath);
  });

  it('joins a return with the broker’s route of the same message, in either order', () => {
    const timeline = new MessageTimeline();
    timeline.record([
      {
        ...at(),
        type: 'returned',
        messageId: 'm-a',
        exchange: 'demo.topic',
        routingKey: 'nowhere',
        replyCode: 312,
        replyText: 'NO_ROUTE',
        producerId: 'p1',
      },
      routed('a', 'nowhere', []),
    ]);
    const entry = only(timeline);
    expect(entry.outcomes).toEqual(['returned', 'unroutable']);
    expect(entry.returned).toEqual({ replyCode: 312, replyText: 'NO_ROUTE' });
    expect(entry.messageKey).toBe('a');
  });

  it('keeps a delivery of a message published before it watched as an entry of its own', () => {
    const timeline = new MessageTimeline();
    timeline.record([delivered('old', 'q')]);
    const entry = only(timeline);
    expect(entry.exchange).toBeUndefined();
    expect(entry.outcomes).toEqual(['delivered']);
  });

  it('holds at most its capacity, forgetting the oldest and their keys', () => {
    const timeline = new MessageTimeline(3);
    for (let i = 0; i < 10; i += 1) timeline.record([routed(`k${i}`, `key.${i}`, ['q'])]);
    expect(timeline.entries().map((e) => e.routingKey)).toEqual(['key.9', 'key.8', 'key.7']);
    // A delivery of a forgotten message starts a new entry rather than touching another.
    timeline.record([delivered('k0', 'q')]);
    expect(timeline.entries()[0]?.exchange).toBeUndefined();
    expect(timeline.size).toBe(3);
  });

  it('gives the same array until something changes, and a new entry object when one does', () => {
    const timeline = new MessageTimeline();
    timeline.record([routed('a', 'k', ['q'])]);
    const first = timeline.entries();
    expect(timeline.entries()).toBe(first);
    expect(timeline.record([{ ...at(), type: 'confirmed', messageId: 'x' }])).toBe(false);
    expect(timeline.record([delivered('a', 'q')])).toBe(true);
    expect(timeline.entries()).not.toBe(first);
    expect(timeline.entries()[0]).not.toBe(first[0]);
    expect(timeline.entries()[0]?.id).toBe(first[0]?.id);
  });
});

describe('filters', () => {
  const timeline = new MessageTimeline();
  timeline.record([
    routed('a', 'order.create.critical', ['critical', 'order']),
    routed('b', 'user.login.success', ['login'], { producerId: 'p2' }),
    routed('c', 'system.log.info', []),
    delivered('b', 'login', 'c9'),
  ]);
  const entries = timeline.entries();
  const keys = (list: readonly TimelineEntry[]) => list.map((e) => e.routingKey);

  it('filters by part of the routing key, any case', () => {
    expect(keys(filterEntries(entries, { routingKey: 'LOGIN' }))).toEqual(['user.login.success']);
  });

  it('filters by queue, client and outcome', () => {
    expect(keys(filterEntries(entries, { queue: 'critical' }))).toEqual(['order.create.critical']);
    expect(keys(filterEntries(entries, { client: 'c9' }))).toEqual(['user.login.success']);
    expect(keys(filterEntries(entries, { client: 'p2' }))).toEqual(['user.login.success']);
    expect(keys(filterEntries(entries, { outcome: 'unroutable' }))).toEqual(['system.log.info']);
    expect(filterEntries(entries, {})).toBe(entries);
  });

  it('offers the queues, clients and outcomes the messages have', () => {
    expect(filterChoices(entries)).toEqual({
      queues: ['critical', 'login', 'order'],
      clients: ['c9', 'p1', 'p2'],
      outcomes: ['routed', 'unroutable', 'delivered'],
    });
  });
});
