import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type {
  CreateDiagramResponse,
  CreateSessionResponse,
  ErrorBody,
  SessionSummary,
} from '@warren/protocol';
import { binding, exchange, queue, topology } from '@warren/topology/testing';
import { appPerFile } from '../helpers';

/** A live session running a saved diagram, at its latest revision or one named. */

let app: FastifyInstance;
appPerFile((built) => (app = built));

const first = topology({
  exchanges: [exchange('orders', 'topic')],
  queues: [queue('paid')],
  bindings: [binding('orders', 'paid', 'order.paid')],
});
const second = topology({ ...first, queues: [...first.queues, queue('audit')] });

async function saved(): Promise<CreateDiagramResponse> {
  const made = await app.inject({
    method: 'POST',
    url: '/api/diagrams',
    payload: { name: 'Orders', document: first },
  });
  const diagram = made.json<CreateDiagramResponse>();
  const put = await app.inject({
    method: 'PUT',
    url: `/api/diagrams/${diagram.id}`,
    headers: { authorization: `Bearer ${diagram.editToken}` },
    payload: { document: second, baseRevision: 1 },
  });
  expect(put.statusCode, put.body).toBe(200);
  return diagram;
}

const start = (payload: object) => app.inject({ method: 'POST', url: '/api/sessions', payload });

describe('sessions from saved diagrams', () => {
  it('runs the latest revision, or the one asked for, and says which', async () => {
    const diagram = await saved();
    const latest = await start({ diagramId: diagram.id });
    expect(latest.statusCode, latest.body).toBe(201);
    const session = latest.json<CreateSessionResponse>();
    expect(session.diagram).toEqual({ id: diagram.id, revision: 2 });
    expect(session.topology.queues.map((q) => q.name).sort()).toEqual(['audit', 'paid']);
    const summary = await app.inject({ method: 'GET', url: `/api/sessions/${session.id}` });
    expect(summary.json<SessionSummary>().diagram).toEqual({ id: diagram.id, revision: 2 });

    const older = (
      await start({ diagramId: diagram.id, revision: 1 })
    ).json<CreateSessionResponse>();
    expect(older.diagram).toEqual({ id: diagram.id, revision: 1 });
    expect(older.topology.queues.map((q) => q.name)).toEqual(['paid']);
  });

  it('refuses a missing diagram or revision, and a second source, naming the field', async () => {
    const diagram = await saved();
    const missing = await start({ diagramId: 'no-such-diagram' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json<ErrorBody>().error.code).toBe('DIAGRAM_NOT_FOUND');
    const noRevision = await start({ diagramId: diagram.id, revision: 7 });
    expect(noRevision.statusCode).toBe(404);
    const both = await start({ diagramId: diagram.id, topology: first });
    expect(both.statusCode).toBe(400);
    expect(both.json<ErrorBody>().error.message).toContain('"topology" and "diagramId"');
    const stray = await start({ revision: 1 });
    expect(stray.json<ErrorBody>().error).toMatchObject({
      code: 'INVALID_REQUEST',
      path: '/revision',
    });
  });
});
