import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes } from '../../src/app';
import { ROUTE_EXAMPLES } from '../../src/routes/api/examples';
import { brokerReady, buildTestApp } from '../helpers';

/**
 * The scripting API's coverage: every route the server registers is in the OpenAPI document at
 * /docs with a summary, a described success reply and examples, and every example is one its
 * route accepts. A route added without them fails here, whoever adds it.
 */

interface Media {
  schema?: unknown;
  example?: unknown;
}
interface Operation {
  summary?: string;
  parameters?: { name: string; in: string; example?: unknown }[];
  requestBody?: { content?: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
}

/**
 * Routes that are not part of the API: the docs themselves, the web app's files, and what Warren
 * servers ask each other (answered to peers only).
 */
const NOT_API = (url: string) =>
  url === '/docs' || url.startsWith('/docs/') || url === '/*' || url.startsWith('/api/internal/');

let app: FastifyInstance;
let operations: Map<string, Operation>;

/** `/api/sessions/:id` as OpenAPI writes it: `/api/sessions/{id}`. */
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

beforeAll(async () => {
  app = await buildTestApp();
  await brokerReady(app);
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

/** The API's routes as registered: no HEAD twins, no websockets, nothing outside the API. */
function apiRoutes(): string[] {
  return registeredRoutes(app)
    .filter((r) => r.method !== 'head' && !r.websocket && !NOT_API(r.url))
    .map((r) => `${r.method} ${openApiPath(r.url)}`);
}

describe('every registered route is documented', () => {
  it('finds the routes the server registers', () => {
    expect(apiRoutes()).toContain('post /api/sessions');
    expect(apiRoutes()).toContain('get /api/lessons/{id}');
    expect(apiRoutes().length).toBeGreaterThan(40);
  });

  it('hides nothing of the API from the document', () => {
    const hidden = registeredRoutes(app).filter(
      (r) => r.schema?.hide === true && !r.websocket && !NOT_API(r.url),
    );
    expect(hidden.map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });

  it('gives every route a summary, a described success reply and examples', () => {
    const problems: string[] = [];
    for (const route of apiRoutes()) {
      const op = operations.get(route);
      if (!op) {
        problems.push(`${route}: not in the OpenAPI document (no schema?)`);
        continue;
      }
      if (!op.summary?.trim()) problems.push(`${route}: no summary`);
      const success = Object.entries(op.responses).filter(([status]) => status.startsWith('2'));
      const described = success.some(
        ([status, reply]) =>
          status === '204' || Object.values(reply.content ?? {}).some((m) => m.schema),
      );
      if (!described) problems.push(`${route}: no schema for its success reply`);
      if (!ROUTE_EXAMPLES[route]) problems.push(`${route}: no entry in ROUTE_EXAMPLES`);
      for (const parameter of op.parameters ?? []) {
        if (parameter.in === 'path' && parameter.example === undefined)
          problems.push(`${route}: no example for path parameter "${parameter.name}"`);
      }
      const bodies = Object.values(op.requestBody?.content ?? {});
      if (bodies.some((m) => m.example === undefined))
        problems.push(`${route}: no example of its request body`);
      const hasExample =
        (op.parameters ?? []).some((p) => p.example !== undefined) ||
        bodies.some((m) => m.example !== undefined) ||
        success.some(([, reply]) =>
          Object.values(reply.content ?? {}).some((m) => m.example !== undefined),
        );
      if (!hasExample) problems.push(`${route}: no example at all`);
    }
    expect(problems).toEqual([]);
  });

  it('lists examples only for routes that exist', () => {
    const routes = new Set(apiRoutes());
    expect(Object.keys(ROUTE_EXAMPLES).filter((key) => !routes.has(key))).toEqual([]);
  });
});

describe('every example is one its route accepts', () => {
  it('sends each example to its route without a validation error', async () => {
    const refused: string[] = [];
    for (const [route, example] of Object.entries(ROUTE_EXAMPLES)) {
      const [method, path] = route.split(' ') as [string, string];
      const params = { ...example.params };
      const url = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
        const value = params[name];
        delete params[name];
        return encodeURIComponent(String(value));
      });
      const query = new URLSearchParams(
        Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]),
      ).toString();
      const reply = await app.inject({
        method: method.toUpperCase() as 'GET',
        url: query ? `${url}?${query}` : url,
        ...(example.body !== undefined ? { payload: example.body as object } : {}),
      });
      const body = String(reply.headers['content-type'] ?? '').includes('json')
        ? reply.json<{
            error?: { code?: string; message?: string };
            id?: string;
            editToken?: string;
          }>()
        : {};
      if (reply.statusCode === 400) refused.push(`${route}: ${body.error?.message ?? reply.body}`);
      // The session the create example made goes again.
      if (route === 'post /api/sessions' && body.id) {
        await app.inject({
          method: 'DELETE',
          url: `/api/sessions/${body.id}`,
          headers: { authorization: `Bearer ${body.editToken ?? ''}` },
        });
      }
    }
    expect(refused).toEqual([]);
  });
});
