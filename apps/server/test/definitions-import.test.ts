import { describe, expect, it } from 'vitest';
import {
  brokerSideOf,
  definitionsToTopology,
  exportDefinitions,
  type Definitions,
  type Topology,
} from '@warren/topology';
import { brokerSideOfVhost, management, scratchVhosts } from './helpers';

const mgmt = management();
const scratchVhost = scratchVhosts('defs');

const NAME = `it's a "name" ü 🐇 $x \${y} / back\\slash`;

/** Every exchange type, argument values of every JSON type, e2e bindings, policies. */
const diagram: Topology = {
  version: 1,
  exchanges: [
    {
      id: 'x1',
      name: 'orders',
      type: 'topic',
      durable: true,
      autoDelete: false,
      internal: false,
      arguments: { 'alternate-exchange': 'unrouted' },
    },
    {
      id: 'x2',
      name: 'unrouted',
      type: 'fanout',
      durable: false,
      autoDelete: true,
      internal: false,
    },
    { id: 'x3', name: 'audit', type: 'headers', durable: true, autoDelete: false, internal: true },
    {
      id: 'x4',
      name: 'shards',
      type: 'x-consistent-hash',
      durable: true,
      autoDelete: false,
      internal: false,
      arguments: { 'hash-property': 'message_id' },
    },
    { id: 'x5', name: NAME, type: 'direct', durable: true, autoDelete: false, internal: false },
  ],
  queues: [
    {
      id: 'q1',
      name: 'orders.eu',
      durable: true,
      exclusive: false,
      autoDelete: false,
      arguments: {
        'x-message-ttl': 60000,
        'x-max-length-bytes': 4294967296,
        'x-dead-letter-exchange': 'unrouted',
        'x-dead-letter-routing-key': 'dead',
        'x-overflow': 'reject-publish-dlx',
        'x-single-active-consumer': true,
        'x-queue-type': 'classic',
      },
    },
    {
      id: 'q2',
      name: NAME,
      durable: true,
      exclusive: false,
      autoDelete: false,
      arguments: { 'x-queue-type': 'quorum', 'x-custom-list': [1, 'two', false] },
    },
    {
      id: 'q3',
      name: 'lost',
      durable: false,
      exclusive: false,
      autoDelete: true,
      arguments: { 'x-max-priority': 10, 'x-custom-table': { a: 1, b: 'c', d: 2.5 } },
    },
    { id: 'q4', name: 'shard-1', durable: true, exclusive: false, autoDelete: false },
    {
      id: 'q5',
      name: 'replies',
      durable: false,
      exclusive: true,
      autoDelete: true,
      serverNamed: true,
    },
  ],
  bindings: [
    {
      id: 'b1',
      source: 'orders',
      destination: 'orders.eu',
      destinationType: 'queue',
      routingKey: 'order.eu.*',
    },
    {
      id: 'b2',
      source: 'orders',
      destination: NAME,
      destinationType: 'queue',
      routingKey: "it's.#",
    },
    { id: 'b3', source: 'unrouted', destination: 'lost', destinationType: 'queue', routingKey: '' },
    {
      id: 'b4',
      source: 'orders',
      destination: 'audit',
      destinationType: 'exchange',
      routingKey: '#',
    },
    {
      id: 'b5',
      source: 'audit',
      destination: 'lost',
      destinationType: 'queue',
      routingKey: '',
      arguments: { 'x-match': 'all', priority: 5, urgent: true, ratio: 1.25, region: 'eu' },
    },
    {
      id: 'b6',
      source: 'shards',
      destination: 'shard-1',
      destinationType: 'queue',
      routingKey: '10',
    },
    {
      id: 'b7',
      source: 'orders',
      destination: 'replies',
      destinationType: 'queue',
      routingKey: 'reply.#',
    },
    {
      id: 'b8',
      source: 'amq.topic',
      destination: 'orders',
      destinationType: 'exchange',
      routingKey: 'legacy.#',
    },
    { id: 'b9', source: NAME, destination: NAME, destinationType: 'queue', routingKey: NAME },
  ],
  producers: [
    {
      id: 'p1',
      name: 'checkout',
      exchange: 'orders',
      routingKey: 'order.eu.new',
      payload: '',
      mandatory: false,
    },
  ],
  policies: [
    {
      id: 'po1',
      name: 'cap lost',
      pattern: '^lost$',
      applyTo: 'queues',
      priority: 1,
      definition: { 'max-length': 1000, overflow: 'drop-head' },
    },
    {
      id: 'po2',
      name: 'ae for ü',
      pattern: '^shards$',
      applyTo: 'exchanges',
      priority: 0,
      definition: { 'alternate-exchange': 'unrouted' },
    },
  ],
};

/** What the broker can hold of the diagram: server-named queues (and their bindings) stay out. */
const exportable = brokerSideOf({
  ...diagram,
  queues: diagram.queues.filter((q) => !q.serverNamed),
  bindings: diagram.bindings.filter((b) => b.destination !== 'replies'),
});

describe('exported definitions on a real broker', () => {
  it('are accepted by POST /api/definitions/{vhost} and read back unchanged', async () => {
    const vhost = await scratchVhost();
    const { definitions, notExported } = exportDefinitions(diagram);
    expect(notExported).toEqual([
      "queue 'replies' is server-named: the broker picks its name when a client declares it, so a definitions file cannot create it (its bindings are left out too).",
      '1 producer: they are applications, not broker objects, so a definitions file has no place for them (code export does).',
    ]);
    await mgmt.importDefinitions(vhost, definitions);

    const back = await mgmt.definitions(vhost);
    // RabbitMQ's own one-vhost export names the vhost only on policies: no question to ask.
    const imported = definitionsToTopology(back);
    if (!imported.ok) throw new Error(imported.message);
    expect(imported.vhost).toBe(vhost);
    expect(imported.notImported).toEqual([]);
    expect(brokerSideOf(imported.topology)).toEqual(exportable);
    // JSON types survive: a float stays a float, a boolean a boolean, a table a table.
    expect(back.bindings?.find((b) => b.source === 'audit')?.arguments).toEqual({
      'x-match': 'all',
      priority: 5,
      urgent: true,
      ratio: 1.25,
      region: 'eu',
    });
  });

  it('with every object tagged by vhost, are accepted by POST /api/definitions', async () => {
    const vhost = await scratchVhost();
    const { definitions } = exportDefinitions(diagram, { vhost });
    await mgmt.request('POST', '/definitions', definitions);
    expect(await brokerSideOfVhost(vhost)).toEqual(exportable);
  });

  it('round-trip a broker export through a diagram into another vhost', async () => {
    const [first, second] = [await scratchVhost(), await scratchVhost()];
    await mgmt.importDefinitions(first, exportDefinitions(diagram).definitions);
    const original = await mgmt.definitions(first);
    const imported = definitionsToTopology(original);
    if (!imported.ok) throw new Error(imported.message);

    const again = exportDefinitions(imported.topology);
    expect(again.notExported).toEqual([]);
    await mgmt.importDefinitions(second, again.definitions);
    const copy = await mgmt.definitions(second);
    const byName = <T extends { name: string }>(list: T[] | undefined) =>
      [...(list ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1));
    const bindingOrder = (list: Definitions['bindings']) =>
      [...(list ?? [])].map((b) => JSON.stringify(b)).sort();
    expect(byName(copy.exchanges)).toEqual(byName(original.exchanges));
    expect(byName(copy.queues)).toEqual(byName(original.queues));
    expect(bindingOrder(copy.bindings)).toEqual(bindingOrder(original.bindings));
    expect(byName(copy.policies).map(({ vhost: _v, ...p }) => p)).toEqual(
      byName(original.policies).map(({ vhost: _v, ...p }) => p),
    );
  });

  it('make an exclusive queue an ordinary one, and say so', async () => {
    const vhost = await scratchVhost();
    const { definitions, notExported } = exportDefinitions({
      version: 1,
      exchanges: [],
      queues: [{ id: 'q', name: 'mine', durable: false, exclusive: true, autoDelete: false }],
      bindings: [],
      producers: [],
    });
    expect(notExported).toEqual([
      "queue 'mine' is exclusive: RabbitMQ ignores 'exclusive' in definitions and creates an ordinary queue that outlives connections.",
    ]);
    await mgmt.importDefinitions(vhost, definitions);
    const queues = await mgmt.listQueues(vhost);
    expect(queues.map((q) => [q.name, q.exclusive])).toEqual([['mine', false]]);
  });
});
