import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@warren/protocol';
import { buildTestApp } from '../helpers';

interface Operation {
  parameters?: { in: string; name: string }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
}
interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  enum?: unknown[];
}

/** Every HTTP route of the API, by method and path; the events websocket is left undocumented. */
const ROUTES = [
  'get /api/health',
  'post /api/sessions',
  'get /api/sessions/{id}',
  'delete /api/sessions/{id}',
  'put /api/sessions/{id}/topology',
  'post /api/sessions/{id}/publish',
  'get /api/sessions/{id}/queues',
  'get /api/sessions/{id}/counters',
  'post /api/sessions/{id}/counters/reset',
  'get /api/sessions/{id}/definitions',
  'post /api/explain',
  'post /api/definitions/import',
  'post /api/definitions/export',
  'post /api/code',
  'get /api/sessions/{id}/code/{format}',
  'post /api/sessions/{id}/queues/{queue}/purge',
  'post /api/sessions/{id}/faults/close-connection',
  'post /api/sessions/{id}/faults/delete',
  'get /api/sessions/{id}/outside',
  'get /api/sessions/{id}/consumers',
  'post /api/sessions/{id}/consumers/{consumerId}/start',
  'post /api/sessions/{id}/consumers/{consumerId}/pause',
  'post /api/sessions/{id}/consumers/{consumerId}/resume',
  'post /api/sessions/{id}/consumers/{consumerId}/kill',
  'get /api/sessions/{id}/producers',
  'post /api/sessions/{id}/producers/{producerId}/start',
  'post /api/sessions/{id}/producers/{producerId}/stop',
  'post /api/sessions/{id}/producers/{producerId}/send',
  'get /api/sessions/{id}/producers/{producerId}/outbox',
  'post /api/diagrams',
  'get /api/diagrams/{id}',
  'put /api/diagrams/{id}',
  'delete /api/diagrams/{id}',
  'get /api/diagrams/{id}/revisions',
  'get /api/diagrams/{id}/revisions/{revision}',
  'post /api/diagrams/{id}/fork',
  'post /api/diagrams/{id}/edit-token',
  'get /api/lessons',
  'get /api/sessions/{id}/connect',
  'get /api/lessons/{id}',
  'get /api/sessions/{id}/lesson',
  'post /api/sessions/{id}/lesson/steps/{stepId}/run',
  'post /api/sessions/{id}/classroom',
  'get /api/classrooms/{code}',
  'get /api/classrooms/{code}/state',
  'delete /api/classrooms/{code}',
  'put /api/classrooms/{code}/view',
  'post /api/classrooms/{code}/mode',
  'post /api/classrooms/{code}/forks',
  'post /api/classrooms/{code}/questions',
  'post /api/classrooms/{code}/questions/{qid}/answers',
  'post /api/classrooms/{code}/questions/{qid}/reveal',
];
/** Routes that answer 204 with no body. */
const NO_BODY = ['put /api/classrooms/{code}/view'];
/** Routes that answer with something else than JSON. */
const NOT_JSON = [
  'get /api/diagrams/{id}/image.svg',
  'get /api/lessons/{id}/image.svg',
  'get /schemas/topology-v1.json',
];

let app: FastifyInstance;
let operations: Map<string, Operation>;

beforeAll(async () => {
  app = await buildTestApp();
  const doc = (await app.inject('/docs/json')).json<{
    paths: Record<string, Record<string, Operation>>;
  }>();
  operations = new Map(
    Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => [`${method} ${path}`, op] as const),
    ),
  );
});
afterAll(async () => {
  await app.close();
});

const schemaOf = (op: Operation, status: string) =>
  op.responses[status]?.content?.['application/json']?.schema;

describe('OpenAPI document', () => {
  it('lists every route of the API', () => {
    expect([...operations.keys()].sort()).toEqual([...ROUTES, ...NOT_JSON].sort());
  });

  it('describes the success reply of every route that has a body', () => {
    for (const route of ROUTES.filter((r) => !r.startsWith('delete ') && !NO_BODY.includes(r))) {
      const op = operations.get(route);
      const created = [
        'post /api/sessions',
        'post /api/diagrams',
        'post /api/diagrams/{id}/fork',
        'post /api/sessions/{id}/classroom',
        'post /api/classrooms/{code}/forks',
        'post /api/classrooms/{code}/questions',
      ];
      const status = created.includes(route) ? '201' : '200';
      expect(schemaOf(op!, status), route).toMatchObject({ type: 'object' });
    }
    const producer = schemaOf(operations.get('get /api/sessions/{id}/producers')!, '200');
    expect(Object.keys(producer?.properties?.producers ?? {})).toContain('items');
  });

  it('gives every error reply the one error shape with the catalogue codes', () => {
    for (const route of ROUTES.filter((r) => r.startsWith('post /api/sessions/{id}/'))) {
      const op = operations.get(route)!;
      const refusals = Object.keys(op.responses).filter((s) => s.startsWith('4'));
      expect(refusals, route).toEqual(expect.arrayContaining(['400', '401', '404']));
      for (const status of refusals) {
        const code = schemaOf(op, status)?.properties?.error?.properties?.code;
        expect(code?.enum, `${route} ${status}`).toEqual(Object.keys(ERROR_CODES));
      }
    }
  });

  it('documents the params and bodies the routes validate', () => {
    const publish = operations.get('post /api/sessions/{id}/publish')!;
    expect(publish.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(['path:id']);
    expect(publish.requestBody?.content['application/json']?.schema).toMatchObject({
      required: ['exchange'],
      properties: { exchange: { maxLength: 255 }, mandatory: { type: 'boolean' } },
    });
  });
});
