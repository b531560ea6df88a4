import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { appPerFile, until } from '../helpers';
import {
  api,
  deleteBehindWarren,
  depth,
  exchange,
  lastState,
  producer,
  producerSession,
  queue,
} from './fixtures';

let app: FastifyInstance;

appPerFile((a) => (app = a));

const outbox = { timeoutMs: 1000, maxAttempts: 3 };

describe('reliable producer (outbox)', () => {
  it('logs every message as sending, then confirmed', async () => {
    const { created, events } = await producerSession(app, {
      queues: [queue('work')],
      producers: [producer('r', { routingKey: 'work', outbox })],
    });
    const producers = api(app, created);
    const sent = await producers.send('r', 5);
    expect(sent.body.results.every((r) => r.confirmed)).toBe(true);
    const table = await producers.outbox('r');
    expect(table.reliable).toBe(true);
    expect(table.counts).toEqual({ sending: 0, confirmed: 5, failed: 0 });
    expect(table.entries.map((e) => [e.messageId, e.status, e.attempts])).toEqual(
      sent.body.results.map((r) => [r.messageId, 'confirmed', 1]),
    );
    expect(Date.parse(table.entries[0]?.updatedAt ?? '')).toBeGreaterThan(0);
    await until(() => lastState(events, 'r')?.outbox?.confirmed === 5, 2000, 'the outbox counts');
    expect(lastState(events, 'r')?.outbox).toEqual({ sending: 0, confirmed: 5, failed: 0 });
    expect(await depth(created, 'work')).toBe(5);
  });

  it('re-sends what the broker refuses and gives up after maxAttempts', async () => {
    const { created, events } = await producerSession(app, {
      exchanges: [exchange('orders')],
      producers: [producer('r', { exchange: 'orders', routingKey: 'k', outbox })],
    });
    await deleteBehindWarren(created, 'orders');
    const producers = api(app, created);
    const sent = await producers.send('r', 2);
    expect(sent.status).toBe(200);
    expect(sent.body.results.map((r) => r.confirmed)).toEqual([false, false]);
    expect(sent.body.results[0]?.error).toMatch(/NOT_FOUND - no exchange 'orders'/);
    await until(
      async () => (await producers.outbox('r')).counts.failed === 2,
      5000,
      'both messages failed',
    );
    const table = await producers.outbox('r');
    expect(table.counts).toEqual({ sending: 0, confirmed: 0, failed: 2 });
    for (const entry of table.entries) {
      expect(entry).toMatchObject({ status: 'failed', attempts: 3 });
      expect(entry.lastError).toMatch(/no exchange 'orders'/);
    }
    const state = await producers.state('r');
    expect(state).toMatchObject({ status: 'error', confirmed: 0 });
    expect(state.sent).toBe(6);
    expect(state.error).toMatch(/Producer 'r' cannot publish: exchange 'orders' does not exist/);
    const nodeErrors = events.filter((e) => e.type === 'node-error');
    // The same refusal is told once, not once per attempt.
    expect(nodeErrors).toHaveLength(1);
    expect(nodeErrors[0]).toMatchObject({ errors: [{ nodeId: 'r', code: 'BROKER_NOT_FOUND' }] });
  });

  it('re-sends a nacked message, and fails it when every attempt is nacked', async () => {
    const { created } = await producerSession(app, {
      queues: [queue('tiny', { arguments: { 'x-max-length': 1, 'x-overflow': 'reject-publish' } })],
      producers: [producer('r', { routingKey: 'tiny', outbox })],
    });
    const producers = api(app, created);
    await producers.send('r', 2);
    await until(async () => (await producers.outbox('r')).counts.failed === 1, 5000, 'a failure');
    const table = await producers.outbox('r');
    expect(table.entries.map((e) => [e.status, e.attempts, e.lastError])).toEqual([
      ['confirmed', 1, undefined],
      ['failed', 3, 'nacked by the broker'],
    ]);
    expect(await producers.state('r')).toMatchObject({ sent: 4, confirmed: 1, nacked: 3 });
  });

  it('re-sends what a closed connection left unconfirmed, and loses nothing', async () => {
    const { created, session } = await producerSession(app, {
      queues: [queue('work')],
      producers: [producer('r', { routingKey: 'work', ratePerSecond: 200, outbox })],
    });
    const producers = api(app, created);
    await producers.start('r');
    await until(async () => (await producers.state('r')).sent > 20, 2000, 'traffic');
    await session.producers.closeConnection('r');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await producers.stop('r');
    await until(
      async () => (await producers.outbox('r')).counts.sending === 0,
      5000,
      'every message settled',
    );
    const table = await producers.outbox('r');
    expect(table.counts.failed).toBe(0);
    const state = await producers.state('r');
    const unique = new Set(table.entries.map((e) => e.messageId)).size;
    expect(table.counts.confirmed).toBe(unique);
    // A message whose confirm was lost with the connection may be in the queue twice.
    expect(await depth(created, 'work')).toBeGreaterThanOrEqual(unique);
    expect(await depth(created, 'work')).toBeLessThanOrEqual(state.sent);
    console.info(
      JSON.stringify({
        sent: state.sent,
        confirmed: state.confirmed,
        messages: unique,
        resent: table.entries.filter((e) => e.attempts > 1).length,
      }),
    );
  });
});
