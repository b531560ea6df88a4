import type { ServerFrame, WarrenEvent } from '@warren/protocol';
import type { Topology } from '@warren/topology';
import { describe, expect, it } from 'vitest';
import { createWarrenStore } from './store';

const empty: Topology = { version: 1, exchanges: [], queues: [], bindings: [], producers: [] };
const withOrders: Topology = {
  ...empty,
  queues: [{ id: 'q1', name: 'orders', durable: true, exclusive: false, autoDelete: false }],
};
const hello: ServerFrame = {
  type: 'hello',
  sessionId: 's',
  seq: 0,
  topology: empty,
  queues: [],
  broker: { amqp: true, management: true },
  outsideNames: ['queue:audit'],
};
const frame = (...events: WarrenEvent[]): ServerFrame => ({ type: 'events', events, dropped: 0 });

function producerState(seq: number, sent: number, running: boolean): WarrenEvent {
  return {
    type: 'producer-state',
    seq,
    at: seq,
    producerId: 'p',
    running,
    sent,
    confirmed: sent,
    nacked: 0,
    returned: 0,
  };
}

function routed(seq: number): WarrenEvent {
  return {
    type: 'routed',
    seq,
    at: seq,
    messageId: `m${seq}`,
    exchange: 'x',
    routingKey: 'k',
    routedQueues: ['q'],
    producerId: 'p',
    outside: false,
    messageKey: `k-${seq}`,
  };
}

describe('producer states and outside changes from the event stream', () => {
  it('keeps exact counters, and a running producer shows no result per message', () => {
    const store = createWarrenStore();
    store.getState().applyServerFrame(hello);
    store.getState().applyServerFrame(frame(producerState(1, 5, true), routed(2)));
    expect(store.getState().producerStates.p).toMatchObject({ sent: 5, running: true });
    expect(store.getState().publishResults.p).toBeUndefined();
    store.getState().applyServerFrame(frame(producerState(3, 9, false), routed(4)));
    expect(store.getState().producerStates.p).toMatchObject({ sent: 9, running: false, rate: 0 });
    expect(store.getState().publishResults.p?.text).toBe('routed to q');
  });

  it('a send reply speaks for its messages: their later events do not replace the tally', () => {
    const store = createWarrenStore();
    store.getState().applyServerFrame(hello);
    store.getState().setPublishResult('p', {
      text: '2 sent · routed to q',
      tone: 'ok',
      messageId: 'm2',
      messageIds: ['m1', 'm2'],
    });
    store.getState().applyServerFrame(frame(routed(1), routed(2)));
    expect(store.getState().publishResults.p?.text).toBe('2 sent · routed to q');
  });

  it('follows outside clients, objects declared outside, and objects deleted behind the diagram', () => {
    const store = createWarrenStore();
    store.getState().applyServerFrame({ ...hello, topology: withOrders });
    expect(store.getState().outsideNames).toEqual(['queue:audit']);
    const client = { id: 'c', role: 'producer' as const, queues: [], exchanges: ['x'], label: 'c' };
    store.getState().applyServerFrame(
      frame(
        { type: 'outside-client', seq: 1, at: 1, client, gone: false },
        {
          type: 'outside-change',
          seq: 2,
          at: 2,
          change: 'deleted',
          kind: 'queue',
          name: 'orders',
          source: 'polling',
        },
      ),
    );
    expect(Object.keys(store.getState().outsideClients)).toEqual(['c']);
    expect(store.getState().missingOnBroker['queue:orders']).toBe(true);
    // A queue an outside client declared and deleted again is not missing: it just went.
    store.getState().applyServerFrame(
      frame({
        type: 'outside-change',
        seq: 3,
        at: 3,
        change: 'deleted',
        kind: 'queue',
        name: 'audit',
        source: 'event-exchange',
      }),
    );
    expect(store.getState().missingOnBroker['queue:audit']).toBeUndefined();
    store.getState().applyServerFrame(
      frame(
        { type: 'outside-client', seq: 4, at: 4, client, gone: true },
        {
          type: 'outside-change',
          seq: 5,
          at: 5,
          change: 'created',
          kind: 'queue',
          name: 'orders',
          source: 'polling',
        },
        { type: 'topology', seq: 6, at: 6, topology: empty },
      ),
    );
    expect(store.getState().outsideClients).toEqual({});
    expect(store.getState().missingOnBroker['queue:orders']).toBeUndefined();
    expect(store.getState().outsideNames).toEqual([]);
  });

  it('remembers who answered a direct reply-to requester: an outside client or a consumer node', () => {
    const store = createWarrenStore();
    store.getState().applyServerFrame(hello);
    const reply = (seq: number, replier: { outsideClientId: string } | { consumerId: string }) =>
      ({
        type: 'routed',
        seq,
        at: seq,
        messageId: null,
        exchange: '',
        routingKey: 'amq.rabbitmq.reply-to.g1h2',
        routedQueues: [],
        outside: 'outsideClientId' in replier,
        directReplyTo: 'rpc-client',
        messageKey: `k-${seq}`,
        ...replier,
      }) as WarrenEvent;
    store.getState().applyServerFrame(frame(reply(1, { consumerId: 'responder' })));
    expect(store.getState().directReplies).toEqual({ 'rpc-client': { consumerId: 'responder' } });
    const before = store.getState().directReplies;
    store.getState().applyServerFrame(frame(reply(2, { consumerId: 'responder' })));
    expect(store.getState().directReplies).toBe(before);
    store.getState().applyServerFrame(frame(reply(3, { outsideClientId: 'server-1' })));
    expect(store.getState().directReplies).toEqual({
      'rpc-client': { outsideClientId: 'server-1' },
    });
  });
});
