import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateSessionResponse, ErrorBody } from '@warren/protocol';
import type { Producer, Topology } from '@warren/topology';
import { brokerReady, buildTestApp, management, topicTopology } from '../helpers';

let app: FastifyInstance;

beforeAll(async () => {
  app = await buildTestApp({
    SESSION_CREATES_PER_MINUTE: '4',
    REQUESTS_PER_MINUTE: '1000',
    MAX_PRODUCERS_PER_SESSION: '3',
    MAX_SESSION_PUBLISH_RATE: '1000',
    MAX_SESSION_QUEUED_BYTES: String(500 * 1024 * 1024),
  });
  await brokerReady(app);
});
afterAll(async () => {
  await app.close();
});

const producer = (i: number, extra: Partial<Producer> = {}): Producer => ({
  id: `p${i}`,
  name: `p${i}`,
  exchange: 'demo.topic',
  routingKey: 'order.x',
  payload: 'x',
  mandatory: false,
  ...extra,
});

function withProducers(producers: Producer[]): Topology {
  return { ...topicTopology(), producers };
}

const created: CreateSessionResponse[] = [];

describe('per-session caps and broker limits', () => {
  it('refuses more producers, or a faster total rate, than a session may run', async () => {
    const many = await app.inject({
      method: 'POST',
      url: '/api/sessions',
      payload: { topology: withProducers([0, 1, 2, 3].map((i) => producer(i))) },
    });
    expect(many.statusCode, many.body).toBe(429);
    expect(many.json<ErrorBody>().error.code).toBe('LIMIT_REACHED');
    expect(many.json<ErrorBody>().error.path).toBe('/producers');

    const fast = await app.inject({
      method: 'POST',
      url: '/api/sessions',
      payload: {
        topology: withProducers([
          producer(0, { ratePerSecond: 500 }),
          producer(1, { ratePerSecond: 100, burst: 10 }),
        ]),
      },
    });
    expect(fast.statusCode, fast.body).toBe(429);
    expect(fast.json<ErrorBody>().error.message).toMatch(/1500 messages per second/);
  });

  it('refuses a payload template that can grow past 1 MiB', async () => {
    const big = await app.inject({
      method: 'POST',
      url: '/api/explain',
      payload: {
        topology: withProducers([producer(0, { payload: 'x'.repeat(2 * 1024 * 1024) })]),
        message: { exchange: 'demo.topic', routingKey: 'order.x' },
      },
    });
    expect(big.statusCode, big.body.slice(0, 300)).toBe(400);
    expect(big.json<ErrorBody>().error.details?.[0]?.path).toBe('/topology/producers/0/payload');
    const placeholders = await app.inject({
      method: 'POST',
      url: '/api/explain',
      payload: {
        topology: withProducers([producer(0, { payload: '{{routingKey}}'.repeat(5000) })]),
        message: { exchange: 'demo.topic', routingKey: 'order.x' },
      },
    });
    expect(placeholders.statusCode, placeholders.body.slice(0, 300)).toBe(400);
  });

  it("limits the session's vhost and user on the broker", async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/sessions',
      payload: { topology: topicTopology() },
    });
    expect(response.statusCode, response.body).toBe(201);
    const session = response.json<CreateSessionResponse>();
    created.push(session);
    // 128 random bits in base 36.
    expect(session.id).toMatch(/^[0-9a-z]{25}$/);
    const m = management();
    const v = encodeURIComponent(session.vhost);
    const limits = await m.request<{ value: Record<string, number> }[]>(
      'GET',
      `/vhost-limits/${v}`,
    );
    expect(limits[0]?.value).toEqual({ 'max-connections': 64, 'max-queues': 500 });
    const userLimits = await m.request<{ value: Record<string, number> }[]>(
      'GET',
      `/user-limits/${encodeURIComponent(session.amqp.username)}`,
    );
    expect(userLimits[0]?.value).toMatchObject({ 'max-channels': 512 });
    const operator = await m.request<{ name: string; definition: Record<string, number> }[]>(
      'GET',
      `/operator-policies/${v}`,
    );
    expect(operator).toEqual([
      expect.objectContaining({
        name: 'warren-session-queued-bytes',
        definition: { 'max-length-bytes': 1024 * 1024 },
      }),
    ]);
  });

  it('rate limits session creation per client, with Retry-After', async () => {
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof app.inject>> | undefined;
    // One session was created above; the limit is 4 a minute (refused ones count too).
    for (let i = 0; i < 6 && limited === undefined; i++) {
      const response = await app.inject({ method: 'POST', url: '/api/sessions', payload: {} });
      statuses.push(response.statusCode);
      if (response.statusCode === 201) created.push(response.json<CreateSessionResponse>());
      if (response.statusCode === 429) limited = response;
    }
    expect(limited, statuses.join(',')).toBeDefined();
    expect(limited?.json<ErrorBody>().error.code).toBe('RATE_LIMITED');
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
    // Other requests from the same client are counted apart.
    expect((await app.inject('/api/health')).statusCode).toBe(200);
  });

  it('rate limits every other request per client too', async () => {
    const limitedApp = await buildTestApp({ REQUESTS_PER_MINUTE: '20' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 21; i++)
        statuses.push((await limitedApp.inject('/api/lessons')).statusCode);
      expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
      expect(statuses[20]).toBe(429);
    } finally {
      await limitedApp.close();
    }
  });
});
