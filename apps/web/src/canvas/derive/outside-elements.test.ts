import type { OutsideClient } from '@warren/protocol';
import { outsideConsumeEdgeId, type Topology } from '@warren/topology';
import { describe, expect, it } from 'vitest';
import {
  withOutsideChange,
  withOutsideClient,
  type OutsideObject,
} from '../../store/outside-state';
import {
  createOutsideEdges,
  createOutsideNodes,
  outsideClientNodeId,
  outsideObjectNodeId,
} from './outside-elements';

const topology: Topology = {
  version: 1,
  exchanges: [
    {
      id: 'x1',
      name: 'orders',
      type: 'direct',
      durable: true,
      autoDelete: false,
      internal: false,
      position: { x: 300, y: 100 },
    },
  ],
  queues: [
    {
      id: 'q1',
      name: 'order.q',
      durable: true,
      exclusive: false,
      autoDelete: false,
      position: { x: 600, y: 100 },
    },
  ],
  bindings: [],
  producers: [],
};

const publisher: OutsideClient = {
  id: 'conn-1',
  role: 'producer',
  queues: [],
  exchanges: ['orders', 'elsewhere'],
  label: 'billing',
};
const worker: OutsideClient = {
  id: 'conn-2',
  role: 'consumer',
  queues: ['audit'],
  exchanges: [],
  label: 'audit-worker',
};

describe('outside clients and objects on the canvas', () => {
  const outsideNodes = createOutsideNodes();
  const outsideEdges = createOutsideEdges();

  it('keeps clients by connection and forgets the ones gone', () => {
    let clients = withOutsideClient({}, { client: publisher, gone: false });
    clients = withOutsideClient(clients, { client: worker, gone: false });
    expect(Object.keys(clients)).toEqual(['conn-1', 'conn-2']);
    clients = withOutsideClient(clients, { client: publisher, gone: true });
    expect(Object.keys(clients)).toEqual(['conn-2']);
  });

  it('draws a client node per connection and a node for an undrawn outside queue', () => {
    const clients = { [publisher.id]: publisher, [worker.id]: worker };
    const objects: Record<string, OutsideObject> = withOutsideChange(
      withOutsideChange({}, { change: 'created', kind: 'queue', name: 'audit', source: 'polling' }),
      { change: 'created', kind: 'queue', name: 'order.q', source: 'polling' },
    );
    const nodes = outsideNodes(topology, clients, objects, {});
    expect(nodes.map((n) => n.id).sort()).toEqual(
      [
        outsideClientNodeId('conn-1'),
        outsideClientNodeId('conn-2'),
        outsideObjectNodeId('queue', 'audit'),
      ].sort(),
    );
    // Publishers left of the exchanges, consumers right of the queues.
    const at = (id: string) => nodes.find((n) => n.id === id)?.position.x ?? NaN;
    expect(at(outsideClientNodeId('conn-1'))).toBeLessThan(300);
    expect(at(outsideClientNodeId('conn-2'))).toBeGreaterThan(600);
    expect(nodes.every((n) => n.draggable === false && n.deletable === false)).toBe(true);
    // Unchanged inputs give the very same node objects.
    expect(outsideNodes(topology, clients, objects, {})).toEqual(nodes);
    expect(outsideNodes(topology, clients, objects, {})[0]).toBe(nodes[0]);

    const edges = outsideEdges(topology, clients, objects, 'arrow');
    expect(edges.map((e) => [e.source, e.target])).toEqual([
      [outsideClientNodeId('conn-1'), 'x1'],
      [outsideObjectNodeId('queue', 'audit'), outsideClientNodeId('conn-2')],
    ]);
  });

  it('draws nothing for an outside object once it is deleted', () => {
    const objects = withOutsideChange(
      withOutsideChange({}, { change: 'created', kind: 'exchange', name: 'ex', source: 'polling' }),
      { change: 'deleted', kind: 'exchange', name: 'ex', source: 'event-exchange' },
    );
    expect(outsideNodes(topology, {}, objects, {})).toEqual([]);
  });

  it('draws direct reply-to replies from the replying client to the requester', () => {
    const clients = { [publisher.id]: publisher, [worker.id]: worker };
    const edges = createOutsideEdges()(topology, clients, {}, 'arrow', {
      [worker.id]: { outsideClientId: publisher.id },
    });
    expect(
      edges.find((e) => e.id === outsideConsumeEdgeId(worker.id, 'amq.rabbitmq.reply-to')),
    ).toMatchObject({
      source: outsideClientNodeId(publisher.id),
      target: outsideClientNodeId(worker.id),
    });
  });

  it('draws direct reply-to replies from the consumer node that answered to the requester', () => {
    const withResponder: Topology = {
      ...topology,
      consumers: [
        { id: 'responder', name: 'responder', queue: 'order.q', prefetch: 1, autoAck: true },
      ],
    };
    const clients = { [worker.id]: worker };
    const draw = createOutsideEdges();
    const edges = draw(withResponder, clients, {}, 'arrow', {
      [worker.id]: { consumerId: 'responder' },
    });
    expect(
      edges.find((e) => e.id === outsideConsumeEdgeId(worker.id, 'amq.rabbitmq.reply-to')),
    ).toMatchObject({ source: 'responder', target: outsideClientNodeId(worker.id) });
    // No such consumer on the canvas: no edge from nowhere.
    const without = draw(topology, clients, {}, 'arrow', { [worker.id]: { consumerId: 'gone' } });
    expect(without.some((e) => e.id.endsWith(':consume:amq.rabbitmq.reply-to'))).toBe(false);
  });
});
