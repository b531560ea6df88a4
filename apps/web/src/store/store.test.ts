import type { ServerFrame, WarrenEvent } from '@warren/protocol';
import type { Topology } from '@warren/topology';
import { describe, expect, it, vi } from 'vitest';
import { selectApplyStatus } from './selectors';
import { LIVE_FLUSH_MS } from './live-slice';
import { createWarrenStore } from './store';

const empty: Topology = { version: 1, exchanges: [], queues: [], bindings: [], producers: [] };
const broker = { amqp: true, management: true };

function hello(seq: number, topology: Topology = empty): ServerFrame {
  return {
    type: 'hello',
    sessionId: 's',
    seq,
    topology,
    queues: [{ name: 'q1', messages: 3, consumers: 0 }],
    broker,
  };
}

function stats(seq: number, messages: number): WarrenEvent {
  return {
    type: 'queue-stats',
    seq,
    at: 0,
    queues: [{ name: 'q1', messages, consumers: 1, unacked: 0 }],
  };
}

function routed(seq: number, routedQueues: string[], messageId = `m${seq}`): WarrenEvent {
  return {
    type: 'routed',
    seq,
    at: seq,
    messageId,
    exchange: 'x',
    routingKey: 'k',
    routedQueues,
    producerId: 'p',
    outside: false,
    messageKey: `k-${seq}`,
  };
}

describe('applyServerFrame', () => {
  it('takes queue depths from hello and then from queue-stats events', () => {
    const store = createWarrenStore();
    store.getState().applyServerFrame(hello(10));
    expect(store.getState().queueStats.q1?.messages).toBe(3);
    const outcome = store
      .getState()
      .applyServerFrame({ type: 'events', dropped: 0, events: [stats(11, 4), stats(12, 5)] });
    expect(outcome).toMatchObject({ resync: false });
    expect(store.getState().queueStats.q1).toEqual({
      name: 'q1',
      messages: 5,
      consumers: 1,
      unacked: 0,
    });
    expect(store.getState().seq).toBe(12);
  });

  it('holds depths that change again soon, and flushes the newest a moment later', () => {
    vi.useFakeTimers();
    try {
      const store = createWarrenStore();
      store.getState().applyServerFrame(hello(10));
      store.getState().applyServerFrame({ type: 'events', dropped: 0, events: [stats(11, 4)] });
      expect(store.getState().queueStats.q1?.messages).toBe(4);
      store.getState().applyServerFrame({ type: 'events', dropped: 0, events: [stats(12, 5)] });
      store.getState().applyServerFrame({ type: 'events', dropped: 0, events: [stats(13, 6)] });
      expect(store.getState().queueStats.q1?.messages).toBe(4);
      expect(store.getState().seq).toBe(13);
      vi.advanceTimersByTime(LIVE_FLUSH_MS);
      expect(store.getState().queueStats.q1?.messages).toBe(6);
    } finally {
      vi.useRealTimers();
    }
  });

  it('asks for a resync on a gap in seq, and ignores events it already has', () => {
    const store = createWarrenStore();
    store.getState().applyServerFrame(hello(10));
    expect(
      store
        .getState()
        .applyServerFrame({ type: 'events', dropped: 0, events: [stats(9, 1), stats(10, 1)] })
        .accepted,
    ).toEqual([]);
    const outcome = store
      .getState()
      .applyServerFrame({ type: 'events', dropped: 0, events: [stats(11, 7), stats(13, 8)] });
    expect(outcome.resync).toBe(true);
    expect(store.getState().queueStats.q1?.messages).toBe(7);
  });

  it('accepts gaps the server announced as dropped, even in a later frame', () => {
    const store = createWarrenStore();
    store.getState().applyServerFrame(hello(0));
    expect(
      store.getState().applyServerFrame({ type: 'events', dropped: 2, events: [stats(1, 1)] })
        .resync,
    ).toBe(false);
    const later = store
      .getState()
      .applyServerFrame({ type: 'events', dropped: 0, events: [stats(4, 2)] });
    expect(later.resync).toBe(false);
    expect(
      store.getState().applyServerFrame({ type: 'events', dropped: 0, events: [stats(6, 3)] })
        .resync,
    ).toBe(true);
  });

  it('ignores events before the first hello', () => {
    const store = createWarrenStore();
    expect(
      store.getState().applyServerFrame({ type: 'events', dropped: 0, events: [stats(1, 1)] })
        .accepted,
    ).toEqual([]);
  });

  it('keeps the last publish result per producer; a return beats the same message being unroutable', () => {
    const store = createWarrenStore();
    store.getState().applyServerFrame(hello(0));
    store
      .getState()
      .applyServerFrame({ type: 'events', dropped: 0, events: [routed(1, ['q1', 'q2'])] });
    expect(store.getState().publishResults.p?.text).toBe('routed to q1, q2');
    const returned: WarrenEvent = {
      type: 'returned',
      seq: 2,
      at: 2,
      messageId: 'm3',
      exchange: 'x',
      routingKey: 'k',
      replyCode: 312,
      replyText: 'NO_ROUTE',
      producerId: 'p',
    };
    store
      .getState()
      .applyServerFrame({ type: 'events', dropped: 0, events: [returned, routed(3, [], 'm3')] });
    expect(store.getState().publishResults.p?.text).toBe('returned 312 NO_ROUTE');
    store.getState().applyServerFrame({ type: 'events', dropped: 0, events: [routed(4, [])] });
    expect(store.getState().publishResults.p?.text).toBe('unroutable');
  });

  it('does not overwrite local edits with a hello, but does replace an unedited document', () => {
    const store = createWarrenStore();
    const server: Topology = {
      ...empty,
      queues: [
        { id: 'q', name: 'from-server', durable: true, exclusive: false, autoDelete: false },
      ],
    };
    store.getState().addNode('queue', { x: 0, y: 0 });
    store.getState().applyServerFrame(hello(0, server));
    expect(store.getState().topology.queues.map((q) => q.name)).toEqual(['queue-1']);
    const fresh = createWarrenStore();
    fresh.getState().applyServerFrame(hello(0, server));
    expect(fresh.getState().topology.queues.map((q) => q.name)).toEqual(['from-server']);
  });
});

describe('a save on its way', () => {
  it('does not let the echo of a saved move undo a Tidy or Undo made meanwhile', () => {
    const store = createWarrenStore();
    const placed: Topology = {
      ...empty,
      queues: [
        {
          id: 'q',
          name: 'q1',
          durable: true,
          exclusive: false,
          autoDelete: false,
          position: { x: 0, y: 0 },
        },
      ],
    };
    store.getState().applyServerFrame(hello(0, placed));
    // Moved, then saved: the PUT of the moved document is on its way.
    store.getState().moveNodes({ q: { x: 400, y: 300 } });
    const moved = store.getState().topology;
    store.getState().setSending(JSON.stringify(moved));
    // Moved back before the answer: the document equals the last saved one again.
    store.getState().undo();
    expect(store.getState().topology.queues[0]!.position).toEqual({ x: 0, y: 0 });
    expect(store.getState().unsaved).toBe(false);
    // The server's echo of the move arrives first: the move back stays.
    store.getState().applyServerFrame({
      type: 'events',
      events: [{ type: 'topology', seq: 1, at: 1, topology: moved }],
      dropped: 0,
    });
    expect(store.getState().topology.queues[0]!.position).toEqual({ x: 0, y: 0 });
    expect(store.getState().unsaved).toBe(true);
  });
});

describe('apply status', () => {
  it('says Unapplied changes for broker changes only, and Apply failed until the next broker change', () => {
    const store = createWarrenStore();
    expect(selectApplyStatus(store.getState())).toBe('Applied');
    const q = store.getState().addNode('queue', { x: 0, y: 0 });
    expect(selectApplyStatus(store.getState())).toBe('Unapplied changes');
    store.getState().applyStarted();
    expect(selectApplyStatus(store.getState())).toBe('Applying...');
    const sent = store.getState().topology;
    store
      .getState()
      .applySucceeded(
        { topology: sent, nodeErrors: [], changes: { declared: [], deleted: [] } },
        JSON.stringify(sent),
      );
    expect(selectApplyStatus(store.getState())).toBe('Applied');

    // Moving a node is saved quietly; it is no broker change.
    store.getState().moveNode(q, { x: 50, y: 50 });
    expect(store.getState()).toMatchObject({ dirty: false, unsaved: true });

    store.getState().updateQueue(q, { durable: false });
    store
      .getState()
      .applyRejected(
        'invalid',
        [{ path: '/queues/0/durable', message: 'nope' }],
        store.getState().topology,
      );
    expect(selectApplyStatus(store.getState())).toBe('Apply failed');
    expect(store.getState().elementErrors[q]?.[0]?.message).toBe('nope');
    store.getState().moveNode(q, { x: 80, y: 80 });
    expect(selectApplyStatus(store.getState())).toBe('Apply failed');
    store.getState().updateQueue(q, { durable: true });
    expect(selectApplyStatus(store.getState())).toBe('Applied');
  });

  it('puts 409 node errors on their nodes and keeps what the server applied as the baseline', () => {
    const store = createWarrenStore();
    const x = store.getState().addNode('exchange', { x: 0, y: 0 }, 'topic');
    const sent = store.getState().topology;
    store.getState().applyPartly(
      {
        topology: sent,
        nodeErrors: [
          {
            nodeId: x,
            path: '/exchanges/0',
            code: 'PRECONDITION_FAILED',
            message: 'exists with other settings',
          },
        ],
        changes: { declared: [], deleted: [] },
      },
      JSON.stringify(sent),
    );
    expect(store.getState().elementErrors[x]?.[0]).toMatchObject({
      message: 'exists with other settings',
      code: 'PRECONDITION_FAILED',
    });
    expect(store.getState().dirty).toBe(false);
    expect(selectApplyStatus(store.getState())).toBe('Apply failed');
  });
});
