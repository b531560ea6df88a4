import { describe, expect, it, vi } from 'vitest';
import type { WarrenEvent } from '@warren/protocol';
import { EventStream } from '../../src/events/event-stream';

function sink(buffered = 0) {
  const frames: { events: WarrenEvent[]; dropped: number; replaced?: number }[] = [];
  const closed: string[] = [];
  const client = {
    frames,
    closed,
    buffered,
    bufferedAmount: () => client.buffered,
    send: (events: WarrenEvent[], dropped: number, replaced: number) =>
      frames.push({ events, dropped, ...(replaced > 0 ? { replaced } : {}) }),
    close: (reason: string) => closed.push(reason),
  };
  return client;
}

const emptyTopology = {
  version: 1 as const,
  exchanges: [],
  queues: [],
  bindings: [],
  producers: [],
};

const routed = {
  type: 'routed' as const,
  messageId: null,
  exchange: 'x',
  routingKey: 'k',
  routedQueues: ['q'],
  outside: false,
  messageKey: 'k-1',
};

describe('EventStream', () => {
  it('numbers events and batches them per client', () => {
    const stream = new EventStream();
    const client = sink();
    stream.subscribe(client);
    stream.emit(routed);
    stream.emit(routed);
    stream.flush();
    expect(client.frames).toHaveLength(1);
    expect(client.frames[0]?.events.map((e) => e.seq)).toEqual([1, 2]);
    expect(client.frames[0]?.dropped).toBe(0);
    stream.close();
  });

  it('numbers a fresh payload in place, in the same sequence as copied ones', () => {
    const stream = new EventStream();
    const client = sink();
    stream.subscribe(client);
    stream.emit(routed);
    const fresh = { ...routed, messageKey: 'k-2' };
    const event = stream.emitFresh(fresh);
    expect(event).toBe(fresh);
    stream.flush();
    expect(client.frames[0]?.events.map((e) => [e.seq, 'messageKey' in e && e.messageKey])).toEqual(
      [
        [1, 'k-1'],
        [2, 'k-2'],
      ],
    );
    stream.close();
  });

  it('sends after a quiet spell on the next turn, and at most once per interval under load', async () => {
    const stream = new EventStream({ flushIntervalMs: 50 });
    const client = sink();
    const sentAt: number[] = [];
    stream.subscribe({
      ...client,
      send: (events, dropped, replaced) => {
        sentAt.push(performance.now());
        client.send(events, dropped, replaced);
      },
    });
    stream.emit(routed);
    stream.emit(routed);
    await new Promise((resolve) => setImmediate(resolve));
    // Both events of the same turn in one frame, without waiting for the interval.
    expect(client.frames.map((f) => f.events.length)).toEqual([2]);
    stream.emit(routed);
    await vi.waitFor(() => expect(client.frames).toHaveLength(2), { timeout: 2000 });
    expect(client.frames.map((f) => f.events.length)).toEqual([2, 1]);
    // The next frame waited for the interval (the clock is read in whole milliseconds).
    expect((sentAt[1] ?? 0) - (sentAt[0] ?? 0)).toBeGreaterThanOrEqual(48);
    stream.close();
  });

  it('drops animation events for a slow client, counts them, and holds state until it reads', () => {
    const stream = new EventStream({ maxPending: 3, maxBufferedBytes: 100 });
    // A client that does not read: each frame sent stays in its transport.
    const frames: { events: WarrenEvent[]; dropped: number }[] = [];
    let reading = false;
    const slow = {
      bufferedAmount: () => (reading ? 0 : frames.length * 1000),
      send: (events: WarrenEvent[], dropped: number) => frames.push({ events, dropped }),
      close: () => {},
    };
    stream.subscribe(slow);
    for (let i = 0; i < 10; i += 1) stream.emit(routed);
    stream.emit({ type: 'topology', topology: emptyTopology });
    stream.flush();
    // Backed up: the topology waits in the stream, not in the transport.
    expect(frames.flatMap((f) => f.events).some((e) => e.type === 'topology')).toBe(false);
    reading = true;
    stream.flush();
    const all = frames.flatMap((f) => f.events);
    expect(all.filter((e) => e.type === 'routed')).toHaveLength(3);
    expect(all.some((e) => e.type === 'topology')).toBe(true);
    expect(frames.reduce((n, f) => n + f.dropped, 0)).toBe(7);
    stream.close();
  });

  it('keeps only the newest unsent topology and state of each producer and consumer', () => {
    const stream = new EventStream();
    const client = sink(1 << 30);
    stream.subscribe(client);
    for (let i = 0; i < 50; i += 1) {
      stream.emit({ type: 'topology', topology: { ...emptyTopology, name: `v${i}` } });
      stream.emit({
        type: 'producer-state',
        producerId: i % 2 === 0 ? 'p1' : 'p2',
        running: true,
        sent: i,
        confirmed: i,
      } as unknown as Parameters<typeof stream.emit>[0]);
    }
    stream.flush();
    expect(client.frames).toHaveLength(0);
    client.buffered = 0;
    stream.flush();
    const events = client.frames.flatMap((f) => f.events);
    expect(events.map((e) => e.type).sort()).toEqual([
      'producer-state',
      'producer-state',
      'topology',
    ]);
    expect(events.find((e) => e.type === 'topology')).toMatchObject({ topology: { name: 'v49' } });
    expect(client.frames[0]?.replaced).toBe(97);
    stream.close();
  });

  it('disconnects a client that falls too far behind, with a reason', () => {
    const stream = new EventStream({ maxHeld: 10 });
    const client = sink(1 << 30);
    stream.subscribe(client);
    for (let i = 0; i < 11; i += 1) stream.emit({ type: 'node-error', errors: [] });
    expect(client.closed).toHaveLength(1);
    expect(client.closed[0]).toMatch(/too far behind/);
    expect(stream.subscriberCount).toBe(0);
    stream.close();
  });

  it('disconnects a client whose transport stays backed up too long', async () => {
    const stream = new EventStream({ maxStallMs: 100 });
    const client = sink(1 << 30);
    stream.subscribe(client);
    stream.emit({ type: 'topology', topology: emptyTopology });
    await vi.waitFor(() => expect(client.closed).toHaveLength(1), { timeout: 2000 });
    expect(client.frames).toHaveLength(0);
    stream.close();
  });

  it('sends a burst at once rather than dropping it when the client keeps up', () => {
    const stream = new EventStream({ maxPending: 3 });
    const client = sink();
    stream.subscribe(client);
    for (let i = 0; i < 10; i += 1) stream.emit(routed);
    stream.flush();
    expect(client.frames.flatMap((f) => f.events.map((e) => e.seq))).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    expect(client.frames.every((f) => f.dropped === 0 && f.events.length <= 3)).toBe(true);
    stream.close();
  });

  it('drops animation events while the transport is backed up', () => {
    const stream = new EventStream({ maxBufferedBytes: 100 });
    const congested = sink(1000);
    stream.subscribe(congested);
    stream.emit(routed);
    stream.flush();
    expect(congested.frames).toHaveLength(0);
    congested.buffered = 0;
    stream.flush();
    expect(congested.frames[0]).toEqual({ events: [], dropped: 1 });
    stream.close();
  });

  it('keeps only the newest unsent queue statistics and counters', () => {
    const stream = new EventStream();
    const client = sink();
    stream.subscribe(client);
    stream.emit({ type: 'queue-stats', queues: [{ name: 'q', messages: 1, consumers: 0 }] });
    stream.emit({ type: 'queue-stats', queues: [{ name: 'q', messages: 2, consumers: 0 }] });
    stream.flush();
    const stats = client.frames[0]?.events.filter((e) => e.type === 'queue-stats');
    expect(stats).toHaveLength(1);
    expect(stats?.[0]).toMatchObject({ queues: [{ messages: 2 }] });
    expect(client.frames[0]?.dropped).toBe(0);
    expect(client.frames[0]?.replaced).toBe(1);
    stream.emit({ type: 'counters', edges: { b: 1 }, exchanges: {} });
    stream.emit({ type: 'counters', edges: { b: 2 }, exchanges: {} });
    stream.flush();
    expect(client.frames[1]?.events).toMatchObject([{ type: 'counters', edges: { b: 2 } }]);
    expect(client.frames[1]?.replaced).toBe(1);
    stream.close();
  });
});
