import type { ServerFrame, WarrenEvent } from '@warren/protocol';
import type { Binding, Exchange, Policy, Queue, Topology } from '@warren/topology';
import { describe, expect, it } from 'vitest';
import { followOutsideChanges, outsideBindingName } from './document-outside';
import { brokerJson } from './document-slice';
import { undrawnOutsideObjects } from '../canvas/derive/outside-elements';
import { selectApplyStatus } from './selectors';
import { createWarrenStore } from './store';

const orders: Exchange = {
  id: 'x-orders',
  name: 'orders',
  type: 'direct',
  durable: true,
  autoDelete: false,
  internal: false,
  position: { x: 380, y: 140 },
};
const orderQueue: Queue = {
  id: 'q-orders',
  name: 'order.q',
  durable: true,
  exclusive: false,
  autoDelete: false,
  position: { x: 700, y: 120 },
};
const ordersBinding: Binding = {
  id: 'b-orders',
  source: 'orders',
  destination: 'order.q',
  destinationType: 'queue',
  routingKey: 'new',
};
/** What the server adds for a queue `audit` a pika script declared and bound to `orders`. */
const audit: Queue = {
  id: 'outside:1111',
  name: 'audit',
  durable: false,
  exclusive: false,
  autoDelete: false,
};
const auditBinding: Binding = {
  id: 'outside:2222',
  source: 'orders',
  destination: 'audit',
  destinationType: 'queue',
  routingKey: 'new',
};
const auditNames = ['binding:orders -> audit (new)', 'queue:audit'];

const applied: Topology = {
  version: 1,
  exchanges: [orders],
  queues: [orderQueue],
  bindings: [ordersBinding],
  producers: [],
};
const withAudit: Topology = {
  ...applied,
  queues: [...applied.queues, audit],
  bindings: [...applied.bindings, auditBinding],
};

describe('outsideBindingName', () => {
  it('names a binding as the server does in outsideNames', () => {
    expect(outsideBindingName(auditBinding)).toBe('orders -> audit (new)');
    expect(outsideBindingName({ ...auditBinding, arguments: { b: 2, a: 1 } })).toBe(
      'orders -> audit (new) {"a":1,"b":2}',
    );
    expect(outsideBindingName({ ...auditBinding, arguments: {} })).toBe('orders -> audit (new)');
  });
});

describe('followOutsideChanges', () => {
  const drawn: Queue = {
    id: 'q-local',
    name: 'local.q',
    durable: true,
    exclusive: false,
    autoDelete: false,
    position: { x: 700, y: 300 },
  };
  /** The user's document: the applied diagram and one queue drawn since (not applied). */
  const local: Topology = { ...applied, queues: [...applied.queues, drawn] };

  it('adopts what outside clients declared into a document with local edits', () => {
    const next = followOutsideChanges(local, applied, withAudit, { before: [], after: auditNames });
    expect(next.queues.map((q) => q.name)).toEqual(['order.q', 'local.q', 'audit']);
    expect(next.queues.at(-1)).toEqual(audit);
    expect(next.bindings).toEqual([ordersBinding, auditBinding]);
    // The local edit stays.
    expect(next.queues).toContainEqual(drawn);
  });

  it('leaves the document alone when nothing outside changed', () => {
    const names = { before: auditNames, after: auditNames };
    const mine = { ...local, queues: [...local.queues, audit] };
    expect(followOutsideChanges(mine, withAudit, withAudit, names)).toBe(mine);
    expect(followOutsideChanges(local, applied, applied, { before: [], after: [] })).toBe(local);
  });

  it('does not bring back an outside object the user deleted on the canvas', () => {
    // The user deleted `audit` (and so its binding); another outside change arrives meanwhile.
    const other: Exchange = { ...orders, id: 'outside:3333', name: 'billing', position: undefined };
    const server = { ...withAudit, exchanges: [...withAudit.exchanges, other] };
    const next = followOutsideChanges(local, withAudit, server, {
      before: auditNames,
      after: [...auditNames, 'exchange:billing'],
    });
    expect(next.queues.map((q) => q.name)).toEqual(['order.q', 'local.q']);
    expect(next.bindings).toEqual([ordersBinding]);
    expect(next.exchanges.map((x) => x.name)).toEqual(['orders', 'billing']);
  });

  it('removes an object deleted outside, with the bindings the broker deleted with it', () => {
    const mine: Topology = {
      ...local,
      queues: [...local.queues, { ...audit, position: { x: 10, y: 20 } }],
      // A binding the user drew to the outside queue, not applied yet.
      bindings: [...withAudit.bindings, { ...auditBinding, id: 'b-mine', routingKey: 'old' }],
    };
    const next = followOutsideChanges(mine, withAudit, applied, { before: auditNames, after: [] });
    expect(next.queues).toEqual(local.queues);
    expect(next.bindings).toEqual([ordersBinding]);
  });

  it('keeps a local object of that name that is not the one declared outside', () => {
    // The user deleted the outside `audit`, applied, and drew a new `audit` of their own.
    const mine: Queue = { ...drawn, id: 'q-mine', name: 'audit' };
    const next = followOutsideChanges(
      { ...applied, queues: [orderQueue, mine] },
      withAudit,
      applied,
      {
        before: auditNames,
        after: [],
      },
    );
    expect(next.queues).toEqual([orderQueue, mine]);
  });

  it("does not adopt over a local object of the same name (the user's wins)", () => {
    const mine: Queue = { ...drawn, name: 'audit', durable: true };
    const next = followOutsideChanges(
      { ...applied, queues: [orderQueue, mine] },
      applied,
      withAudit,
      { before: [], after: auditNames },
    );
    expect(next.queues).toEqual([orderQueue, mine]);
    // The binding to it is adopted: the queue it names is there.
    expect(next.bindings).toEqual([ordersBinding, auditBinding]);
  });

  it('skips a binding whose exchange the user deleted or renamed locally', () => {
    const renamed: Topology = {
      ...applied,
      exchanges: [{ ...orders, name: 'orders2' }],
      bindings: [{ ...ordersBinding, source: 'orders2' }],
    };
    const next = followOutsideChanges(renamed, applied, withAudit, {
      before: [],
      after: auditNames,
    });
    expect(next.queues.map((q) => q.name)).toEqual(['order.q', 'audit']);
    expect(next.bindings).toEqual([{ ...ordersBinding, source: 'orders2' }]);
  });

  it('adopts a binding from a broker exchange the diagram does not draw', () => {
    const topic: Binding = { ...auditBinding, source: 'amq.topic', routingKey: '#' };
    const server = { ...withAudit, bindings: [...applied.bindings, topic] };
    const next = followOutsideChanges(local, applied, server, {
      before: [],
      after: ['binding:amq.topic -> audit (#)', 'queue:audit'],
    });
    expect(next.bindings).toEqual([ordersBinding, topic]);
  });

  it('gives an adopted object a fresh id when the document already uses its id', () => {
    const clash: Queue = { ...drawn, id: audit.id };
    const next = followOutsideChanges(
      { ...applied, queues: [orderQueue, clash] },
      applied,
      withAudit,
      {
        before: [],
        after: ['queue:audit'],
      },
    );
    const adopted = next.queues.find((q) => q.name === 'audit');
    expect(adopted).toBeDefined();
    expect(adopted?.id).not.toBe(audit.id);
  });

  it('follows exchanges and policies too', () => {
    const billing: Exchange = {
      ...orders,
      id: 'outside:4444',
      name: 'billing',
      position: undefined,
    };
    const policy: Policy = {
      id: 'outside:5555',
      name: 'ttl',
      pattern: '^audit$',
      applyTo: 'queues',
      priority: 0,
      definition: { 'message-ttl': 1000 },
    };
    const server: Topology = { ...applied, exchanges: [orders, billing], policies: [policy] };
    const names = { before: [], after: ['exchange:billing', 'policy:ttl'] };
    const next = followOutsideChanges(local, applied, server, names);
    expect(next.exchanges).toEqual([orders, billing]);
    expect(next.policies).toEqual([policy]);
    const back = followOutsideChanges(next, server, applied, {
      before: names.after,
      after: [],
    });
    expect(back.exchanges).toEqual([orders]);
    // An emptied list stays a list, as the server keeps it.
    expect(back.policies).toEqual([]);
  });
});

describe('the store follows outside objects while the user has edits', () => {
  const hello: ServerFrame = {
    type: 'hello',
    sessionId: 's',
    seq: 0,
    topology: applied,
    queues: [],
    broker: { amqp: true, management: true },
  };
  const events = (...list: WarrenEvent[]): ServerFrame => ({
    type: 'events',
    events: list,
    dropped: 0,
  });
  const change = (
    seq: number,
    kind: 'queue' | 'binding',
    name: string,
    how: 'created' | 'deleted',
  ): WarrenEvent => ({
    type: 'outside-change',
    seq,
    at: seq,
    change: how,
    kind,
    name,
    source: 'event-exchange',
  });
  const declared = (seq: number): WarrenEvent[] => [
    change(seq, 'queue', 'audit', 'created'),
    change(seq + 1, 'binding', 'orders -> audit (new)', 'created'),
    { type: 'topology', seq: seq + 2, at: seq + 2, topology: withAudit, outsideNames: auditNames },
  ];

  function storeWithLocalEdit() {
    const store = createWarrenStore();
    store.getState().applyServerFrame(hello);
    store.getState().addNode('queue', { x: 700, y: 320 });
    expect(selectApplyStatus(store.getState())).toBe('Unapplied changes');
    return store;
  }

  it('puts an object declared outside into the document Apply sends', () => {
    const store = storeWithLocalEdit();
    store.getState().applyServerFrame(events(...declared(1)));
    const { topology } = store.getState();
    expect(topology.queues.map((q) => q.name)).toEqual(['order.q', 'queue-1', 'audit']);
    expect(topology.bindings.map(outsideBindingName)).toEqual([
      'orders -> order.q (new)',
      'orders -> audit (new)',
    ]);
    expect(store.getState().outsideNames).toEqual(auditNames);
    // Still unapplied: the queue the user drew; the outside objects alone would change nothing.
    expect(store.getState().dirty).toBe(true);
    const withoutEdit = {
      ...topology,
      queues: topology.queues.filter((q) => q.name !== 'queue-1'),
    };
    expect(brokerJson(withoutEdit)).toBe(store.getState().baselineBrokerJson);
  });

  it('with no local edits, takes the server copy as before', () => {
    const store = createWarrenStore();
    store.getState().applyServerFrame(hello);
    store.getState().applyServerFrame(events(...declared(1)));
    expect(store.getState().topology).toEqual(withAudit);
    expect(selectApplyStatus(store.getState())).toBe('Applied');
  });

  it('takes an object deleted outside out of the document, keeping the edits', () => {
    const store = storeWithLocalEdit();
    store.getState().applyServerFrame(events(...declared(1)));
    store
      .getState()
      .applyServerFrame(
        events(
          change(4, 'queue', 'audit', 'deleted'),
          change(5, 'binding', 'orders -> audit (new)', 'deleted'),
          { type: 'topology', seq: 6, at: 6, topology: applied },
        ),
      );
    const { topology, missingOnBroker } = store.getState();
    expect(topology.queues.map((q) => q.name)).toEqual(['order.q', 'queue-1']);
    expect(topology.bindings).toEqual([ordersBinding]);
    expect(missingOnBroker).toEqual({});
  });

  it('an outside object the user deleted stays deleted until Apply deletes it on the broker', () => {
    const store = createWarrenStore();
    store.getState().applyServerFrame(hello);
    store.getState().applyServerFrame(events(...declared(1)));
    store.getState().deleteElements([audit.id]);
    expect(selectApplyStatus(store.getState())).toBe('Unapplied changes');
    // Another outside object comes meanwhile; `audit` is still declared outside on the broker.
    const server: Topology = {
      ...withAudit,
      exchanges: [...withAudit.exchanges, { ...orders, id: 'outside:6', name: 'billing' }],
    };
    store.getState().applyServerFrame(
      events({
        type: 'topology',
        seq: 4,
        at: 4,
        topology: server,
        outsideNames: [...auditNames, 'exchange:billing'],
      }),
    );
    const { topology } = store.getState();
    expect(topology.queues.map((q) => q.name)).toEqual(['order.q']);
    expect(topology.bindings).toEqual([ordersBinding]);
    expect(topology.exchanges.map((x) => x.name)).toEqual(['orders', 'billing']);
    // Not drawn apart either: the user deleted it, and Apply will delete it on the broker.
    expect(undrawnOutsideObjects(topology, store.getState().outsideObjects)).toEqual([]);
    // Apply did; the server's copy no longer has it, and it stays off the canvas.
    store.getState().applyServerFrame(
      events({
        type: 'topology',
        seq: 5,
        at: 5,
        topology: { ...server, queues: [orderQueue], bindings: [ordersBinding] },
        outsideNames: ['exchange:billing'],
      }),
    );
    expect(store.getState().topology.queues.map((q) => q.name)).toEqual(['order.q']);
    expect(
      undrawnOutsideObjects(store.getState().topology, store.getState().outsideObjects),
    ).toEqual([]);
    expect(selectApplyStatus(store.getState())).toBe('Applied');
  });

  it('a hello after a reconnect brings what was declared outside meanwhile', () => {
    const store = storeWithLocalEdit();
    store
      .getState()
      .applyServerFrame({ ...hello, seq: 9, topology: withAudit, outsideNames: auditNames });
    expect(store.getState().topology.queues.map((q) => q.name)).toEqual([
      'order.q',
      'queue-1',
      'audit',
    ]);
  });
});
