import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  NOT_EXPORTED_HEADER,
  type ErrorBody,
  type ImportDefinitionsResponse,
} from '@warren/protocol';
import type { Definitions } from '@warren/topology';
import { buildTestApp, topicTopology } from '../helpers';

let app: FastifyInstance;

beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(async () => {
  await app.close();
});

const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload });

const oneVhost: Definitions = {
  exchanges: [
    {
      name: 'logs',
      type: 'fanout',
      durable: true,
      auto_delete: false,
      internal: false,
      arguments: {},
    },
  ],
  queues: [{ name: 'audit', durable: true, auto_delete: false, arguments: { 'x-max-length': 10 } }],
  bindings: [
    {
      source: 'logs',
      destination: 'audit',
      destination_type: 'queue',
      routing_key: '',
      arguments: {},
    },
  ],
};

describe('POST /api/definitions/import', () => {
  it('reads a one-vhost export into a topology', async () => {
    const response = await post('/api/definitions/import', { definitions: oneVhost });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<ImportDefinitionsResponse>();
    expect(body.vhost).toBeNull();
    expect(body.notImported).toEqual([]);
    expect(body.topology.queues).toEqual([
      expect.objectContaining({ name: 'audit', arguments: { 'x-max-length': 10 } }),
    ]);
    expect(body.topology.bindings).toEqual([
      expect.objectContaining({ source: 'logs', destination: 'audit' }),
    ]);
  });

  it('asks which vhost to take from a full export, and takes the one named', async () => {
    const full: Definitions = {
      vhosts: [{ name: 'shop' }, { name: 'billing' }],
      exchanges: [
        { ...oneVhost.exchanges![0]!, vhost: 'shop' },
        { name: 'invoices', vhost: 'billing', type: 'direct' },
      ],
      queues: [{ ...oneVhost.queues![0]!, vhost: 'shop' }],
      bindings: [{ ...oneVhost.bindings![0]!, vhost: 'shop' }],
    };
    const ask = await post('/api/definitions/import', { definitions: full });
    expect(ask.statusCode).toBe(400);
    expect(ask.json<ErrorBody>().error).toMatchObject({
      code: 'INVALID_DEFINITIONS',
      path: '/definitions',
      vhosts: ['shop', 'billing'],
    });
    const shop = await post('/api/definitions/import', { definitions: full, vhost: 'billing' });
    expect(shop.statusCode, shop.body).toBe(200);
    const body = shop.json<ImportDefinitionsResponse>();
    expect(body.vhost).toBe('billing');
    expect(body.topology.exchanges.map((x) => x.name)).toEqual(['invoices']);
  });

  it('names the problem in a broken file', async () => {
    const response = await post('/api/definitions/import', {
      definitions: { queues: { name: 'not-a-list' } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error).toMatchObject({
      code: 'INVALID_DEFINITIONS',
      message: expect.stringMatching(/'queues' must be a list/) as unknown,
    });
    const missing = await post('/api/definitions/import', {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json<ErrorBody>().error.code).toBe('INVALID_REQUEST');
  });
});

describe('POST /api/definitions/export', () => {
  it('writes the definitions file and says in a header what it left out', async () => {
    const topology = topicTopology();
    topology.queues.push({
      id: 'q3',
      name: 'replies',
      durable: false,
      exclusive: true,
      autoDelete: true,
      serverNamed: true,
    });
    const response = await post('/api/definitions/export', { topology });
    expect(response.statusCode, response.body).toBe(200);
    const definitions = response.json<Definitions>();
    expect(definitions.exchanges?.map((x) => x.name)).toEqual(['demo.topic']);
    expect(definitions.queues?.map((q) => q.name).sort()).toEqual(['critical', 'orders']);
    expect(definitions.bindings).toHaveLength(2);
    const header = response.headers[NOT_EXPORTED_HEADER];
    const notExported = JSON.parse(decodeURIComponent(String(header))) as string[];
    expect(notExported.some((s) => s.includes("'replies'"))).toBe(true);

    // The export reads back as the same objects.
    const back = await post('/api/definitions/import', { definitions });
    expect(
      back
        .json<ImportDefinitionsResponse>()
        .topology.queues.map((q) => q.name)
        .sort(),
    ).toEqual(['critical', 'orders']);
  });

  it('lists every problem of an invalid topology under /topology', async () => {
    const bad = topicTopology();
    (bad.exchanges[0] as { type: string }).type = 'topik';
    bad.queues[0]!.name = '';
    const response = await post('/api/definitions/export', { topology: bad });
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.details?.map((d) => d.path)).toEqual(
      expect.arrayContaining(['/topology/exchanges/0/type', '/topology/queues/0/name']),
    );
  });
});

describe('OpenAPI', () => {
  it('documents the explain, definitions and code routes', async () => {
    const response = await app.inject('/docs/json');
    const paths = Object.keys(response.json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/explain',
        '/api/definitions/import',
        '/api/definitions/export',
        '/api/code',
        '/api/sessions/{id}/code/{format}',
      ]),
    );
  });
});
