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

const topology: Topology = {
  version: 1,
  exchanges: [
    { id: 'x1', name: 'orders', type: 'topic', durable: false, autoDelete: false, internal: false },
    { id: 'x2', name: 'audit', type: 'fanout', durable: false, autoDelete: false, internal: false },
    { id: 'x3', name: 'dlx', type: 'direct', durable: false, autoDelete: false, internal: false },
  ],
  queues: [
    {
      id: 'q1',
      name: 'billing',
      durable: false,
      exclusive: false,
      autoDelete: false,
      arguments: { 'x-dead-letter-exchange': 'dlx' },
    },
    { id: 'q2', name: 'log', durable: false, exclusive: false, autoDelete: false },
    { id: 'q3', name: 'dead', durable: false, exclusive: false, autoDelete: false },
  ],
  bindings: [
    {
      id: 'b1',
      source: 'orders',
      destination: 'billing',
      destinationType: 'queue',
      routingKey: 'order.*',
    },
    {
      id: 'b2',
      source: 'orders',
      destination: 'audit',
      destinationType: 'exchange',
      routingKey: '#',
    },
    { id: 'b3', source: 'audit', destination: 'log', destinationType: 'queue', routingKey: '' },
    { id: 'b4', source: 'audit', destination: 'billing', destinationType: 'queue', routingKey: '' },
    {
      id: 'b5',
      source: 'dlx',
      destination: 'dead',
      destinationType: 'queue',
      routingKey: 'order.paid',
    },
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
