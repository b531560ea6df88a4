import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CreateDiagramResponse,
  DiagramResponse,
  ErrorBody,
  RevisionResponse,
  RevisionsResponse,
} from '@warren/protocol';
import { documentFromSvg } from '@warren/diagram-image';
import { binding, exchange, queue, topology } from '@warren/topology/testing';
import { buildTestApp } from '../helpers';
import { STORE_KINDS, testStore, type TestStore } from './stores';

/** The saved-diagrams API, the same on SQLite and PostgreSQL. */

const orders = topology({
  exchanges: [exchange('orders', 'topic')],
  queues: [queue('paid')],
  bindings: [binding('orders', 'paid', 'order.paid')],
});
const withAudit = topology({
  exchanges: [exchange('orders', 'topic')],
  queues: [queue('paid'), queue('audit')],
  bindings: [binding('orders', 'paid', 'order.paid'), binding('orders', 'audit', '#')],
});
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe.each(STORE_KINDS)('saved diagrams on %s', (kind) => {
  let app: FastifyInstance;
  let store: TestStore;
  beforeAll(async () => {
    store = await testStore(kind);
    app = await buildTestApp(store.env);
  });
  afterAll(async () => {
    await app.close();
    await store.drop();
  });

  const create = async (name = 'Orders', document: unknown = orders) => {
    const reply = await app.inject({
      method: 'POST',
      url: '/api/diagrams',
      payload: { name, document },
    });
    expect(reply.statusCode, reply.body).toBe(201);
    return reply.json<CreateDiagramResponse>();
  };
  const read = (id: string) => app.inject({ method: 'GET', url: `/api/diagrams/${id}` });
  const save = (id: string, token: string, payload: object) =>
    app.inject({ method: 'PUT', url: `/api/diagrams/${id}`, headers: bearer(token), payload });
  const errorOf = (reply: { json: <T>() => T }) => reply.json<ErrorBody>().error;

  it('creates a diagram with its view and edit links, and anyone with the id reads it', async () => {
    const made = await create();
    expect(made).toMatchObject({ name: 'Orders', revision: 1 });
    expect(made.id).toMatch(/^[A-Za-z0-9_-]{10,}$/);
    expect(made.viewUrl).toMatch(new RegExp(`/d/${made.id}$`));
    expect(made.editUrl).toBe(`${made.viewUrl}#edit=${made.editToken}`);
    const reply = await read(made.id);
    expect(reply.statusCode).toBe(200);
    const diagram = reply.json<DiagramResponse>();
    expect(diagram).toMatchObject({ id: made.id, name: 'Orders', revision: 1, document: orders });
    expect(Date.parse(diagram.createdAt)).not.toBeNaN();
    expect(diagram.updatedAt).toBe(diagram.createdAt);
  });

  it('saves revisions on top of the latest, and refuses a stale base or a wrong token with nothing written', async () => {
    const made = await create();
    const second = await save(made.id, made.editToken, {
      document: withAudit,
      baseRevision: 1,
      name: 'Orders v2',
    });
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toEqual({ revision: 2 });

    const stale = await save(made.id, made.editToken, { document: orders, baseRevision: 1 });
    expect(stale.statusCode).toBe(409);
    expect(errorOf(stale)).toMatchObject({
      code: 'REVISION_CONFLICT',
      latestRevision: 2,
      details: [{ path: '/baseRevision', message: 'The latest revision is 2.' }],
    });
    const noToken = await app.inject({
      method: 'PUT',
      url: `/api/diagrams/${made.id}`,
      payload: { document: orders, baseRevision: 2 },
    });
    expect(noToken.statusCode).toBe(401);
    const wrong = await save(made.id, 'not-the-token', { document: orders, baseRevision: 2 });
    expect(wrong.statusCode).toBe(401);
    expect(errorOf(wrong).code).toBe('UNAUTHORIZED');

    const latest = (await read(made.id)).json<DiagramResponse>();
    expect(latest).toMatchObject({ revision: 2, name: 'Orders v2', document: withAudit });
    const history = await app.inject({ method: 'GET', url: `/api/diagrams/${made.id}/revisions` });
    expect(history.json<RevisionsResponse>().revisions.map((r) => [r.revision, r.name])).toEqual([
      [1, 'Orders'],
      [2, 'Orders v2'],
    ]);
    const first = await app.inject({ method: 'GET', url: `/api/diagrams/${made.id}/revisions/1` });
    expect(first.json<RevisionResponse>()).toMatchObject({
      revision: 1,
      name: 'Orders',
      document: orders,
    });
    const none = await app.inject({ method: 'GET', url: `/api/diagrams/${made.id}/revisions/9` });
    expect(none.statusCode).toBe(404);
    expect(errorOf(none).code).toBe('DIAGRAM_NOT_FOUND');
  });

  it('lets exactly one of many concurrent saves from the same base win', async () => {
    const made = await create();
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        save(made.id, made.editToken, { document: orders, baseRevision: 1, name: `writer ${i}` }),
      ),
    );
    const codes = replies.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    const winner = replies.find((r) => r.statusCode === 200)!;
    const index = replies.indexOf(winner);
    expect((await read(made.id)).json<DiagramResponse>()).toMatchObject({
      revision: 2,
      name: `writer ${index}`,
    });
  });

  it('forks a revision into a new diagram with its own edit token', async () => {
    const made = await create();
    await save(made.id, made.editToken, { document: withAudit, baseRevision: 1 });
    const fork = await app.inject({
      method: 'POST',
      url: `/api/diagrams/${made.id}/fork?revision=1`,
    });
    expect(fork.statusCode, fork.body).toBe(201);
    const copy = fork.json<CreateDiagramResponse>();
    expect(copy).toMatchObject({
      revision: 1,
      name: 'Orders',
      forkedFrom: { id: made.id, revision: 1 },
    });
    expect(copy.editToken).not.toBe(made.editToken);
    expect((await read(copy.id)).json<DiagramResponse>()).toMatchObject({
      document: orders,
      forkedFrom: { id: made.id, revision: 1 },
    });
    // The original's token does not edit the copy.
    expect(
      (await save(copy.id, made.editToken, { document: orders, baseRevision: 1 })).statusCode,
    ).toBe(401);
  });

  it('deletes a diagram with its token, and renews the edit link so old ones stop working', async () => {
    const made = await create();
    const renewed = await app.inject({
      method: 'POST',
      url: `/api/diagrams/${made.id}/edit-token`,
      headers: bearer(made.editToken),
    });
    expect(renewed.statusCode, renewed.body).toBe(200);
    const { editToken } = renewed.json<{ editToken: string }>();
    expect(
      (await save(made.id, made.editToken, { document: orders, baseRevision: 1 })).statusCode,
    ).toBe(401);
    expect((await save(made.id, editToken, { document: orders, baseRevision: 1 })).statusCode).toBe(
      200,
    );

    const refused = await app.inject({
      method: 'DELETE',
      url: `/api/diagrams/${made.id}`,
      headers: bearer(made.editToken),
    });
    expect(refused.statusCode).toBe(401);
    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/diagrams/${made.id}`,
      headers: bearer(editToken),
    });
    expect(deleted.statusCode).toBe(204);
    const gone = await read(made.id);
    expect(gone.statusCode).toBe(404);
    expect(errorOf(gone).code).toBe('DIAGRAM_NOT_FOUND');
  });

  it('refuses bad documents and names with a 4xx naming the field, and keeps markup as text', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/diagrams',
      payload: {
        name: 'Bad',
        document: { version: 1, exchanges: [{ id: 'x', name: 'e', type: 'topik' }] },
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).code).toBe('INVALID_TOPOLOGY');
    expect(errorOf(bad).details?.[0]?.path).toMatch(/^\/document\/exchanges\/0/);

    const noName = await app.inject({
      method: 'POST',
      url: '/api/diagrams',
      payload: { name: '', document: orders },
    });
    expect(noName.statusCode).toBe(400);
    expect(errorOf(noName).code).toBe('INVALID_REQUEST');

    const huge = topology({
      queues: Array.from({ length: 15_000 }, (_, i) => queue(`queue-number-${i}-with-a-long-name`)),
    });
    const tooLarge = await app.inject({
      method: 'POST',
      url: '/api/diagrams',
      payload: { name: 'Huge', document: huge },
    });
    expect(tooLarge.statusCode).toBe(413);
    expect(errorOf(tooLarge)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', path: '/document' });

    // Nested thousands deep: a clear 400 naming where, not a crash.
    const deep = `${'{"a":'.repeat(6000)}"x"${'}'.repeat(6000)}`;
    const nested = await app.inject({
      method: 'POST',
      url: '/api/diagrams',
      headers: { 'content-type': 'application/json' },
      payload: `{"name":"Deep","document":{"version":1,"queues":[{"id":"q","name":"q","arguments":{"x-deep":${deep}}}]}}`,
    });
    expect(nested.statusCode).toBe(400);
    expect(errorOf(nested).details?.[0]?.path).toMatch(
      /^\/document\/queues\/0\/arguments\/x-deep\//,
    );

    const markup = await create('<img src=x onerror=alert(1)>');
    expect((await read(markup.id)).json<DiagramResponse>().name).toBe(
      '<img src=x onerror=alert(1)>',
    );
    const missing = await read('no-such-diagram');
    expect(missing.statusCode).toBe(404);
  });
});

describe('diagram images and the document schema', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('draws a saved diagram as SVG, at any revision and in either theme, with the document inside', async () => {
    const made = (
      await app.inject({
        method: 'POST',
        url: '/api/diagrams',
        payload: { name: 'Orders <v1>', document: orders },
      })
    ).json<CreateDiagramResponse>();
    await app.inject({
      method: 'PUT',
      url: `/api/diagrams/${made.id}`,
      headers: bearer(made.editToken),
      payload: { document: withAudit, baseRevision: 1 },
    });
    const latest = await app.inject({
      method: 'GET',
      url: `/api/diagrams/${made.id}/image.svg?theme=dark`,
    });
    expect(latest.statusCode).toBe(200);
    expect(latest.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(latest.body.startsWith('<svg ')).toBe(true);
    expect(latest.body).toContain('>audit</text>');
    expect(latest.body).toContain('<title id="warren-title">Orders &lt;v1&gt;</title>');
    expect(documentFromSvg(latest.body)).toEqual(withAudit);
    const first = await app.inject({
      method: 'GET',
      url: `/api/diagrams/${made.id}/image.svg?revision=1`,
    });
    expect(first.body).not.toContain('>audit</text>');
    expect(first.headers['cache-control']).toContain('immutable');
    const badTheme = await app.inject({
      method: 'GET',
      url: `/api/diagrams/${made.id}/image.svg?theme=pink`,
    });
    expect(badTheme.statusCode).toBe(400);
    const none = await app.inject({ method: 'GET', url: '/api/diagrams/nope/image.svg' });
    expect(none.statusCode).toBe(404);
  });

  it('publishes the JSON Schema of the topology document', async () => {
    const reply = await app.inject({ method: 'GET', url: '/schemas/topology-v1.json' });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toContain('application/schema+json');
    const schema = reply.json<{
      $id: string;
      properties: Record<string, unknown>;
      required: string[];
    }>();
    expect(schema.$id).toBe('/schemas/topology-v1.json');
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['version', 'exchanges', 'queues', 'bindings', 'producers']),
    );
  });
});
