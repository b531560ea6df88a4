import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { ErrorBody, ExplainResponse, PublishResponse } from '@warren/protocol';
import { topologyToDefinitions } from '@warren/topology';
import { appPerFile, auth, createSession, topicTopology } from '../helpers';

let app: FastifyInstance;

appPerFile((a) => (app = a));

const explain = (payload: object) => app.inject({ method: 'POST', url: '/api/explain', payload });
const message = { exchange: 'demo.topic', routingKey: 'order.create.critical' };

describe('POST /api/explain', () => {
  it('explains a route through a topology document, binding by binding', async () => {
    const response = await explain({ message, topology: topicTopology() });
    expect(response.statusCode, response.body).toBe(200);
    const explanation = response.json<ExplainResponse>();
    expect(explanation.queues).toEqual(['critical', 'orders']);
    expect(explanation.unroutable).toBe(false);
    expect(explanation.hops[0]?.exchange).toBe('demo.topic');
    expect(explanation.hops[0]?.bindings.map((b) => [b.destination, b.matched]).sort()).toEqual([
      ['critical', true],
      ['orders', true],
    ]);
    expect(explanation.summary).not.toBe('');
  });

  it('explains against definitions and against a session, and agrees with the broker', async () => {
    const unroutable = { exchange: 'demo.topic', routingKey: 'system.log', mandatory: true };
    const fromDefinitions = await explain({
      message: unroutable,
      definitions: topologyToDefinitions(topicTopology()),
    });
    expect(fromDefinitions.statusCode, fromDefinitions.body).toBe(200);
    expect(fromDefinitions.json<ExplainResponse>()).toMatchObject({
      queues: [],
      unroutable: true,
      returned: true,
    });

    const session = await createSession(app, { topology: topicTopology() });
    const predicted = await explain({ message, sessionId: session.id });
    expect(predicted.statusCode, predicted.body).toBe(200);
    const published = await app.inject({
      method: 'POST',
      url: `/api/sessions/${session.id}/publish`,
      headers: auth(session),
      payload: message,
    });
    expect(predicted.json<ExplainResponse>().queues).toEqual(
      published.json<PublishResponse>().routedQueues.sort(),
    );
  });

  it('needs exactly one source, and names what is wrong', async () => {
    const none = await explain({ message });
    expect(none.statusCode).toBe(400);
    expect(none.json<ErrorBody>().error.code).toBe('INVALID_REQUEST');
    const two = await explain({ message, topology: topicTopology(), sessionId: 'abc' });
    expect(two.statusCode).toBe(400);
    expect(two.json<ErrorBody>().error.message).toMatch(/only one of/);
    const missing = await explain({ message, sessionId: 'doesnotexist' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json<ErrorBody>().error).toMatchObject({
      code: 'SESSION_NOT_FOUND',
      path: '/sessionId',
    });
    const bad = topicTopology();
    bad.bindings[0]!.destination = 'nowhere';
    const invalid = await explain({ message, topology: bad });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json<ErrorBody>().error.details?.[0]?.path).toBe(
      '/topology/bindings/0/destination',
    );
    const noExchange = await explain({ message: { routingKey: 'x' }, topology: topicTopology() });
    expect(noExchange.statusCode).toBe(400);
    expect(noExchange.json<ErrorBody>().error.details?.[0]?.path).toBe('/message/exchange');
  });
});
