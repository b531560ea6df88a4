import { producerEdgeId, relationEdgeId, type Explanation, type Topology } from '@warren/topology';
import { describe, expect, it } from 'vitest';
import { explainForm, explainMessage, routeHighlight } from './explain-route';

const topology: Topology = {
  version: 1,
  exchanges: [
    { id: 'x1', name: 'orders', type: 'topic', durable: true, autoDelete: false, internal: false },
    { id: 'x2', name: 'dlx', type: 'fanout', durable: true, autoDelete: false, internal: false },
  ],
  queues: [
    { id: 'q1', name: 'paid', durable: true, exclusive: false, autoDelete: false },
    { id: 'q2', name: 'all', durable: true, exclusive: false, autoDelete: false },
    { id: 'q3', name: 'dead', durable: true, exclusive: false, autoDelete: false },
  ],
  bindings: [
    {
      id: 'b1',
      source: 'orders',
      destination: 'paid',
      destinationType: 'queue',
      routingKey: 'order.paid',
    },
    { id: 'b2', source: 'orders', destination: 'all', destinationType: 'queue', routingKey: '#' },
    { id: 'b3', source: 'dlx', destination: 'dead', destinationType: 'queue', routingKey: '' },
  ],
  producers: [
    {
      id: 'p1',
      name: 'shop',
      exchange: 'orders',
      routingKey: 'order.new',
      payload: '',
      headers: { tier: 'gold', n: 5 },
      mandatory: true,
    },
  ],
};

const draft = {
  exchange: 'dlx',
  routingKey: 'x',
  headers: [
    { key: 'a', value: '1' },
    { key: '', value: 'half typed' },
  ],
  expiration: ' 5000 ',
  mandatory: false,
};

describe('explainForm and explainMessage', () => {
  it('uses the draft when no producer is linked, leaving unnamed header rows out', () => {
    const form = explainForm(topology, null, draft);
    expect(form.producer).toBeUndefined();
    expect(explainMessage(form)).toEqual({
      exchange: 'dlx',
      routingKey: 'x',
      mandatory: false,
      headers: { a: '1' },
      properties: { expiration: '5000' },
    });
  });

  it("takes a linked producer's fields, keeping its header types", () => {
    const form = explainForm(topology, 'p1', { ...draft, expiration: '' });
    expect(form.exchange).toBe('orders');
    expect(form.headers).toEqual([
      { key: 'tier', value: 'gold' },
      { key: 'n', value: '5' },
    ]);
    expect(explainMessage(form)).toEqual({
      exchange: 'orders',
      routingKey: 'order.new',
      mandatory: true,
      headers: { tier: 'gold', n: 5 },
    });
  });

  it('keeps half-typed rows while they say the same as the producer', () => {
    const rows = [
      { key: 'tier', value: 'gold' },
      { key: 'n', value: '5' },
      { key: '', value: '' },
    ];
    expect(explainForm(topology, 'p1', { ...draft, headers: rows }).headers).toBe(rows);
  });
});

describe('routeHighlight', () => {
  const explanation: Explanation = {
    message: { exchange: 'orders', routingKey: 'order.paid' },
    hops: [
      {
        exchange: 'orders',
        type: 'topic',
        via: { kind: 'publish' },
        notes: [],
        bindings: [
          {
            bindingId: 'b1',
            source: 'orders',
            destination: 'paid',
            destinationType: 'queue',
            routingKey: 'order.paid',
            matched: true,
            reason: '',
          },
          {
            bindingId: 'b2',
            source: 'orders',
            destination: 'all',
            destinationType: 'queue',
            routingKey: '#',
            matched: false,
            reason: '',
          },
        ],
      },
    ],
    queues: ['paid'],
    hashChoices: [],
    unroutable: false,
    returned: false,
    fates: [
      {
        queue: 'paid',
        path: ['orders'],
        later: [
          {
            kind: 'expires',
            reason: 'expired',
            text: '',
            deadLetter: {
              exchange: 'dlx',
              routingKey: 'order.paid',
              route: {
                message: { exchange: 'dlx', routingKey: 'order.paid' },
                hops: [
                  {
                    exchange: 'dlx',
                    type: 'fanout',
                    via: { kind: 'publish' },
                    notes: [],
                    bindings: [
                      {
                        bindingId: 'b3',
                        source: 'dlx',
                        destination: 'dead',
                        destinationType: 'queue',
                        routingKey: '',
                        matched: true,
                        reason: '',
                      },
                    ],
                  },
                ],
                queues: ['dead'],
                hashChoices: [],
                unroutable: false,
                returned: false,
                fates: [],
                summary: '',
              },
            },
          },
        ],
      },
    ],
    summary: '',
  };

  it('lights the producer, matched bindings and reached queues; later hops apart', () => {
    const { nodes, edges } = routeHighlight(topology, explanation, 'p1');
    expect(Object.fromEntries(nodes)).toEqual({
      p1: 'route',
      x1: 'route',
      q1: 'route',
      x2: 'later',
      q3: 'later',
    });
    expect(Object.fromEntries(edges)).toEqual({
      [producerEdgeId('p1')]: 'route',
      b1: 'route',
      [relationEdgeId('dead-letter', 'q1')]: 'later',
      b3: 'later',
    });
  });

  it('leaves a producer that publishes elsewhere out', () => {
    const { nodes } = routeHighlight(
      topology,
      { ...explanation, message: { exchange: 'dlx', routingKey: '' } },
      'p1',
    );
    expect(nodes.has('p1')).toBe(false);
  });
});
