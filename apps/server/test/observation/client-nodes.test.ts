import type { OutsideClient } from '@warren/protocol';
import { describe, expect, it } from 'vitest';
import { ClientNodes, LINGER_MS } from '../../src/observation/client-nodes';
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
