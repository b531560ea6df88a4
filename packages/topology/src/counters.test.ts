import { describe, expect, it } from 'vitest';
import { EdgeCounters } from './counters';
import type { Topology } from './model';
import {
  consumerEdgeId,
  outsideConsumeEdgeId,
  outsidePublishEdgeId,
  producerEdgeId,
  relationEdgeId,
} from './paths';
import { binding, exchange, queue } from './testing/builders';

const topology: Topology = {
  version: 1,
  exchanges: [
    exchange('orders', 'topic', { id: 'x1', durable: false }),
    exchange('audit', 'fanout', { id: 'x2', durable: false }),
    exchange('dlx', 'direct', { id: 'x3', durable: false }),
  ],
  queues: [
    queue('billing', { id: 'q1', durable: false, arguments: { 'x-dead-letter-exchange': 'dlx' } }),
    queue('log', { id: 'q2', durable: false }),
    queue('dead', { id: 'q3', durable: false }),
  ],
  bindings: [
    binding('orders', 'billing', 'order.*', { id: 'b1' }),
    binding('orders', 'audit', '#', { id: 'b2', destinationType: 'exchange' }),
    binding('audit', 'log', '', { id: 'b3' }),
    binding('audit', 'billing', '', { id: 'b4' }),
    binding('dlx', 'dead', 'order.paid', { id: 'b5' }),
  ],
  producers: [
    {
      id: 'p1',
      name: 'shop',
      exchange: 'orders',
      routingKey: 'order.paid',
      payload: '',
      mandatory: false,
    },
  ],
};

describe('EdgeCounters', () => {
  it('counts each edge a message travelled once, however many queues it reached', () => {
    const counters = new EdgeCounters(topology);
    counters.published({
      exchange: 'orders',
      routingKey: 'order.paid',
      routedQueues: ['billing', 'log'],
      producerId: 'p1',
    });
    counters.published({
      exchange: 'orders',
      routingKey: 'misc',
      routedQueues: ['billing', 'log'],
    });
    counters.published({
      exchange: 'orders',
      routingKey: 'x',
      routedQueues: [],
      outsideClientId: 'c',
    });
    expect(counters.snapshot()).toEqual({
      edges: {
        [producerEdgeId('p1')]: 1,
        [outsidePublishEdgeId('c', 'orders')]: 1,
        // order.paid reached billing directly; misc only through audit.
        b1: 1,
        b2: 2,
        b3: 2,
        b4: 1,
      },
      exchanges: { orders: { published: 3, unroutable: 1 } },
    });
  });

  it('goes on counting from a snapshot kept before a restart', () => {
    const before = new EdgeCounters(topology);
    before.published({ exchange: 'orders', routingKey: 'x', routedQueues: [], producerId: 'p1' });
    const after = new EdgeCounters(topology);
    const changes = after.changes;
    after.restore(before.snapshot());
    expect(after.changes).toBeGreaterThan(changes);
    after.published({ exchange: 'orders', routingKey: 'y', routedQueues: [], producerId: 'p1' });
    expect(after.snapshot()).toEqual({
      edges: { [producerEdgeId('p1')]: 2 },
      exchanges: { orders: { published: 2, unroutable: 2 } },
    });
  });

  it('counts a direct reply-to reply on the edge to its requester, never as unroutable', () => {
    const counters = new EdgeCounters(topology);
    counters.published({
      exchange: '',
      routingKey: 'amq.rabbitmq.reply-to.g1h2AA1yZXBseUA5',
      routedQueues: [],
      outsideClientId: 'server',
      directReplyTo: 'client',
    });
    counters.delivered({ queue: 'amq.rabbitmq.reply-to', outsideClientId: 'client' });
    expect(counters.snapshot()).toEqual({
      edges: {
        [outsidePublishEdgeId('server', '')]: 1,
        [outsideConsumeEdgeId('client', 'amq.rabbitmq.reply-to')]: 1,
      },
      exchanges: { '': { published: 1, unroutable: 0 } },
    });
  });

  it('counts deliveries per consumer, and dead letters along the dead-letter route', () => {
    const counters = new EdgeCounters(topology);
    counters.delivered({ queue: 'billing', consumerId: 'c1' });
    counters.delivered({ queue: 'billing', consumerId: 'c1' });
    counters.delivered({ queue: 'log', outsideClientId: 'pika' });
    counters.delivered({ queue: 'log' });
    counters.deadLettered('billing', 'dlx', 'order.paid');
    counters.deadLettered('billing', 'dlx', 'order.lost');
    expect(counters.snapshot().edges).toEqual({
      [consumerEdgeId('c1')]: 2,
      [outsideConsumeEdgeId('pika', 'log')]: 1,
      [relationEdgeId('dead-letter', 'q1')]: 2,
      b5: 1,
    });
    const before = counters.changes;
    counters.reset();
    expect(counters.snapshot().edges).toEqual({});
    expect(counters.changes).toBeGreaterThan(before);
  });
});
