import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { ErrorBody } from '@warren/protocol';
import { appPerFile, until } from '../helpers';
import {
  api,
  depth,
  drain,
  exchange,
  lastState,
  producer,
  producerSession,
  queue,
} from './fixtures';

let app: FastifyInstance;

appPerFile((a) => (app = a));

const everything = {
  exchanges: [exchange('events', 'topic')],
  queues: [
    queue('all'),
    queue('tiny', { arguments: { 'x-max-length': 1, 'x-overflow': 'reject-publish' } }),
  ],
  bindings: [
    {
      id: 'b-all',
      source: 'events',
      destination: 'all',
      destinationType: 'queue' as const,
      routingKey: '#',
    },
  ],
};

describe('one-shot sends', () => {
  it('sends the keys of each strategy and every property to the broker', async () => {
    const { created } = await producerSession(app, {
      ...everything,
      producers: [
        producer('rr', {
          exchange: 'events',
          routingKeyStrategy: { kind: 'round-robin', keys: ['a', 'b', 'c'] },
          payload: '{"n":{{n}},"id":"{{messageId}}","key":"{{routingKey}}"}',
          headers: { tenant: 'acme', seq: 'n{{n}}', level: 3 },
          properties: {
            persistent: true,
            expiration: '60000',
            priority: 4,
            messageId: 'order-{{n}}',
            correlationId: 'corr-{{messageId}}',
            replyTo: 'replies',
            contentType: 'application/json',
            contentEncoding: 'utf-8',
            type: 'order.created',
            appId: 'shop',
            timestamp: true,
          },
        }),
        producer('rnd', {
          exchange: 'events',
          routingKeyStrategy: { kind: 'random', keys: ['x', 'y'] },
        }),
        producer('tpl', {
          exchange: 'events',
          routingKey: 'sensor.{{n}}',
          routingKeyStrategy: { kind: 'template' },
        }),
      ],
    });
    const producers = api(app, created);
    const before = Math.floor(Date.now() / 1000);
    const rr = await producers.send('rr', 4);
    expect(rr.status).toBe(200);
    expect(rr.body.results.map((r) => [r.messageId, r.routingKey, r.confirmed])).toEqual([
      ['order-1', 'a', true],
      ['order-2', 'b', true],
      ['order-3', 'c', true],
      ['order-4', 'a', true],
    ]);
    expect(rr.body.results.every((r) => r.routedQueues.join() === 'all')).toBe(true);

    const messages = await drain(created, 'all', 4);
    expect(messages.map((m) => m.fields.routingKey)).toEqual(['a', 'b', 'c', 'a']);
    const first = messages[0];
    expect(first?.content.toString()).toBe('{"n":1,"id":"order-1","key":"a"}');
    expect(first?.properties).toMatchObject({
      messageId: 'order-1',
      deliveryMode: 2,
      expiration: '60000',
      priority: 4,
      correlationId: 'corr-order-1',
      replyTo: 'replies',
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      type: 'order.created',
      appId: 'shop',
      headers: { tenant: 'acme', seq: 'n1', level: 3, 'x-warren-producer': 'rr' },
    });
    expect(first?.properties.timestamp).toBeGreaterThanOrEqual(before);

    const rnd = await producers.send('rnd', 20);
    const keys = new Set(rnd.body.results.map((r) => r.routingKey));
    expect([...keys].every((k) => k === 'x' || k === 'y')).toBe(true);
    const randomMessages = await drain(created, 'all', 20);
    expect(randomMessages.map((m) => m.fields.routingKey)).toEqual(
      rnd.body.results.map((r) => r.routingKey),
    );
    // Without a message id template, each message gets a fresh uuid.
    expect(new Set(randomMessages.map((m) => m.properties.messageId as string)).size).toBe(20);

    const tpl = await producers.send('tpl', 3);
    expect(tpl.body.results.map((r) => r.routingKey)).toEqual(['sensor.1', 'sensor.2', 'sensor.3']);
    expect((await drain(created, 'all', 3)).map((m) => m.fields.routingKey)).toEqual([
      'sensor.1',
      'sensor.2',
      'sensor.3',
    ]);
  });

  it('counts publisher confirms, and the nacks of a full reject-publish queue', async () => {
    const { created, events } = await producerSession(app, {
      ...everything,
      producers: [producer('p', { routingKey: 'tiny' })],
    });
    const producers = api(app, created);
    const sent = await producers.send('p', 4);
    expect(sent.body.results.map((r) => (r.confirmed ? 'ack' : r.nacked ? 'nack' : '?'))).toEqual([
      'ack',
      'nack',
      'nack',
      'nack',
    ]);
    expect(sent.body.producer).toMatchObject({
      sent: 4,
      confirmed: 1,
      nacked: 3,
      mode: 'confirms',
    });
    expect(await depth(created, 'tiny')).toBe(1);
    const confirmEvents = events.filter(
      (e) => (e.type === 'confirmed' || e.type === 'nacked') && e.producerId === 'p',
    );
    expect(confirmEvents.map((e) => e.type)).toEqual(['confirmed', 'nacked', 'nacked', 'nacked']);
    await until(() => lastState(events, 'p')?.nacked === 3, 2000, 'the final producer-state');
    expect(lastState(events, 'p')).toMatchObject({ sent: 4, confirmed: 1, nacked: 3, returned: 0 });
  });

  it('reports mandatory messages the broker returns', async () => {
    const { created, events } = await producerSession(app, {
      ...everything,
      producers: [producer('m', { exchange: 'events', routingKey: 'x', mandatory: true })],
      bindings: [],
    });
    const sent = await api(app, created).send('m', 2);
    expect(sent.body.results).toEqual([
      expect.objectContaining({
        routedQueues: [],
        returned: { replyCode: 312, replyText: 'NO_ROUTE' },
        confirmed: true,
      }),
      expect.objectContaining({ returned: { replyCode: 312, replyText: 'NO_ROUTE' } }),
    ]);
    expect(sent.body.producer).toMatchObject({ sent: 2, confirmed: 2, returned: 2 });
    expect(events.filter((e) => e.type === 'returned' && e.producerId === 'm')).toHaveLength(2);
  });

  it('publishes inside transactions when asked, and without confirms when they are off', async () => {
    const { created } = await producerSession(app, {
      ...everything,
      producers: [
        producer('tx', { routingKey: 'all', transactions: true }),
        producer('plain', { routingKey: 'all', confirms: false }),
      ],
    });
    const producers = api(app, created);
    const tx = await producers.send('tx', 3);
    expect(tx.body.results.map((r) => r.confirmed)).toEqual([true, true, true]);
    expect(tx.body.producer).toMatchObject({ mode: 'transactions', sent: 3, confirmed: 3 });
    expect(await depth(created, 'all')).toBe(3);

    const plain = await producers.send('plain', 2);
    expect(plain.body.results.map((r) => [r.confirmed, r.routedQueues])).toEqual([
      [false, ['all']],
      [false, ['all']],
    ]);
    expect(plain.body.producer).toMatchObject({ mode: 'plain', sent: 2, confirmed: 0 });
    expect(await depth(created, 'all')).toBe(5);
  });

  it('answers with the error shape for unknown producers, missing tokens and missing rates', async () => {
    const { created } = await producerSession(app, {
      ...everything,
      producers: [producer('p', { routingKey: 'all' })],
    });
    const producers = api(app, created);
    const unknown = await producers.send('nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body as unknown as ErrorBody).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const noRate = await producers.start('p');
    expect(noRate.status).toBe(400);
    expect((noRate.body as unknown as ErrorBody).error.path).toBe('/producers/0/ratePerSecond');
    const anonymous = await app.inject({
      method: 'POST',
      url: `/api/sessions/${created.id}/producers/p/send`,
    });
    expect(anonymous.statusCode).toBe(401);
    const tooMany = await producers.send('p', 5000);
    expect(tooMany.status).toBe(400);
    expect(await producers.list()).toEqual([
      expect.objectContaining({ producerId: 'p', status: 'idle', sent: 0, connected: false }),
    ]);
  });
});
