import type { OutsideClient } from '@warren/protocol';
import { describe, expect, it } from 'vitest';
import { ClientNodes, DECLARE_GRACE_MS, LINGER_MS } from '../../src/observation/client-nodes';
import { clientProperties, peerHost } from '../../src/observation/connection-events';

/** The pure parts of outside clients: how connections become nodes, and the plugin's formats. */

function fresh() {
  const events: { client: OutsideClient; gone: boolean }[] = [];
  return { events, nodes: new ClientNodes((client, gone) => events.push({ client, gone })) };
}

const pika = (port: number) => ({
  name: `127.0.0.1:${port} -> 127.0.0.1:5672`,
  product: 'Pika Python Client Library',
  peerHost: '127.0.0.1',
  user: 'guest',
});

describe('ClientNodes', () => {
  it('labels a client by its product and a short id, and folds repeated runs into one node', () => {
    const { events, nodes } = fresh();
    let now = 1000;
    const ids = new Set<string>();
    for (let run = 0; run < 5; run += 1) {
      const identity = pika(50000 + run);
      ids.add(nodes.act(identity, [{ publish: 'logs' }], now));
      now += 50;
      nodes.closed(identity.name, now);
      now += 50;
      nodes.tick(now);
    }
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    expect(nodes.list()).toEqual([
      expect.objectContaining({ id, role: 'producer', exchanges: ['logs'], runs: 5 }),
    ]);
    expect(nodes.list()[0]?.label).toMatch(/^Pika Python Client Library #[0-9a-f]{6}$/);
    // Never gone between the runs; gone once LINGER_MS passed after the last.
    expect(events.some((e) => e.gone)).toBe(false);
    nodes.tick(now + LINGER_MS);
    expect(events.at(-1)).toMatchObject({ gone: true, client: { id } });
    expect(nodes.list()).toEqual([]);
    // A later run comes back as the same node.
    expect(nodes.act(pika(50100), [{ publish: 'logs' }], now + 60_000)).toBe(id);
    expect(nodes.list()[0]?.runs).toBe(6);
  });

  it('draws two copies running at once as two nodes, and other programs apart', () => {
    const { nodes } = fresh();
    const a = nodes.act(pika(1), [{ consume: 'task_queue' }], 0);
    const b = nodes.act(pika(2), [{ consume: 'task_queue' }], 0);
    const c = nodes.act(pika(3), [{ publish: '' }], 0);
    expect(b).toBe(`${a}-2`);
    expect(new Set([a, b, c]).size).toBe(3);
    expect(nodes.list().find((n) => n.id === b)?.label).toMatch(/ #[0-9a-f]{6}-2$/);
  });

  it('uses the connection name the client gave, and grows a role without flipping it', () => {
    const { events, nodes } = fresh();
    const identity = { ...pika(7), given: 'rpc client' };
    nodes.act(identity, [{ consume: 'amq.gen-abc' }], 0);
    nodes.act(identity, [{ publish: '' }], 1);
    nodes.act(identity, [{ consume: 'amq.gen-abc' }], 2);
    expect(events.map((e) => e.client.role)).toEqual(['consumer', 'both']);
    expect(events[0]?.client.label).toBe('rpc client');
  });
});

describe('ClientNodes: clients that declare', () => {
  it('draws a client that only declares as a declarer once the grace passed, with what it declared', () => {
    const { events, nodes } = fresh();
    const identity = { ...pika(9), given: 'setup' };
    nodes.declared(identity, 'exchange:inventory', 0);
    nodes.declared(identity, 'queue:inventory.updates', 5);
    nodes.tick(DECLARE_GRACE_MS - 1);
    expect(events).toEqual([]);
    nodes.tick(DECLARE_GRACE_MS);
    expect(events.map((e) => e.client)).toEqual([
      expect.objectContaining({
        role: 'declarer',
        label: 'setup',
        queues: [],
        exchanges: [],
        declared: ['exchange:inventory', 'queue:inventory.updates'],
      }),
    ]);
    // Deleted on the broker: no longer listed, still a declarer.
    nodes.undeclared('exchange:inventory');
    expect(nodes.list()[0]).toMatchObject({
      role: 'declarer',
      declared: ['queue:inventory.updates'],
    });
    nodes.closed(identity.name, 1000);
    nodes.tick(1000 + LINGER_MS);
    expect(events.at(-1)).toMatchObject({ gone: true });
  });

  it('draws a client that declares and then consumes as a consumer only, listing its declares', () => {
    const { events, nodes } = fresh();
    const identity = pika(10);
    nodes.declared(identity, 'queue:amq.gen-x1', 0);
    nodes.act(identity, [{ consume: 'amq.gen-x1' }], 10);
    nodes.tick(DECLARE_GRACE_MS * 2);
    expect(events.map((e) => e.client.role)).toEqual(['consumer']);
    expect(events[0]?.client.declared).toEqual(['queue:amq.gen-x1']);
  });

  it('draws a client that declared and left before the grace, and lets it leave', () => {
    const { events, nodes } = fresh();
    const identity = pika(11);
    nodes.declared(identity, 'queue:hello', 0);
    nodes.closed(identity.name, 50);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.client.role === 'declarer' && !e.gone)).toBe(true);
    nodes.tick(50 + LINGER_MS);
    expect(events.at(-1)).toMatchObject({ gone: true });
  });

  it('announces a drawn client again only when it did something new', () => {
    const { events, nodes } = fresh();
    const identity = pika(12);
    for (let i = 0; i < 100; i += 1) nodes.act(identity, [{ publish: 'logs' }], i);
    expect(events).toHaveLength(1);
    nodes.act(identity, [{ publish: 'audit' }], 100);
    expect(events).toHaveLength(2);
  });
});

describe('the event exchange formats', () => {
  it('reads client properties written as Erlang terms', () => {
    expect(
      clientProperties([
        '{<<"connection_name">>,longstr,<<"probe client">>}',
        '{<<"product">>,longstr,<<"amqplib">>}',
        '{<<"capabilities">>,table,[{<<"publisher_confirms">>,bool,true}]}',
      ]),
    ).toEqual({ connection_name: 'probe client', product: 'amqplib' });
  });

  it('reads peer addresses written as Erlang tuples', () => {
    expect(peerHost('{127,0,0,1}')).toBe('127.0.0.1');
    expect(peerHost('{0,0,0,0,0,0,0,1}')).toBe('0:0:0:0:0:0:0:1');
    expect(peerHost('10.0.0.2')).toBe('10.0.0.2');
  });
});
