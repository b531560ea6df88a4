import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { ErrorBody } from '@warren/protocol';

import { consumer, queue, type SessionDriver, topology, drivenSession } from './fixtures';

let app: FastifyInstance;
let driver: SessionDriver;
drivenSession((a, d) => ((app = a), (driver = d)));

describe('competing consumers (scenario 2)', () => {
  const workers = (prefetch: number) =>
    topology({
      queues: [queue('tasks')],
      consumers: [
        consumer('fast', 'tasks', { prefetch, processingMs: { min: 2, max: 2 } }),
        consumer('slow', 'tasks', { prefetch, processingMs: { min: 60, max: 60 } }),
      ],
    });

  async function publishTasks(count: number) {
    const channel = await driver.channel();
    for (let i = 0; i < count; i++) channel.sendToQueue('tasks', Buffer.from(`task ${i}`));
    await channel.close();
  }

  it('unlimited prefetch deals messages round-robin; prefetch 1 gives the slow one fewer', async () => {
    await driver.apply(workers(0));
    const [fast, slow] = [await driver.consumer('fast'), await driver.consumer('slow')];
    expect([fast.status, slow.status]).toEqual(['running', 'running']);
    await publishTasks(20);
    const doneA = async () =>
      (await driver.consumers()).reduce((sum, c) => sum + c.acked, 0) === 20;
    await expect.poll(doneA, { timeout: 10_000 }).toBe(true);
    const roundRobin = await driver.consumers();
    expect(roundRobin.map((c) => [c.consumerId, c.received, c.acked, c.inFlight])).toEqual([
      ['fast', 10, 10, 0],
      ['slow', 10, 10, 0],
    ]);

    // A changed prefetch reconnects both consumers; counters carry on.
    await driver.apply(workers(1));
    await publishTasks(20);
    await expect
      .poll(async () => (await driver.consumers()).reduce((sum, c) => sum + c.acked, 0), {
        timeout: 10_000,
      })
      .toBe(40);
    const fair = await driver.consumers();
    const fastShare = fair[0]!.acked - 10;
    const slowShare = fair[1]!.acked - 10;
    console.log(JSON.stringify({ roundRobin: [10, 10], prefetch1: [fastShare, slowShare] }));
    expect(fastShare + slowShare).toBe(20);
    expect(slowShare).toBeLessThanOrEqual(5);
    expect(fastShare).toBeGreaterThan(slowShare);
    // Exact counters: every delivery ended in an ack.
    for (const c of fair) expect(c.received).toBe(c.acked);
  });
});

describe('idempotent consumer (scenario 22)', () => {
  it('acks and counts duplicate message ids without processing them again', async () => {
    await driver.apply(
      topology({
        queues: [queue('payments')],
        consumers: [consumer('once', 'payments', { idempotent: true })],
      }),
    );
    for (const messageId of ['pay-1', 'pay-1', 'pay-2', 'pay-1', 'pay-2'])
      await driver.publish({ exchange: '', routingKey: 'payments', messageId, payload: 'x' });
    const state = await driver.consumerUntil('once', (c) => c.acked === 5);
    expect(state).toMatchObject({ received: 5, acked: 5, duplicates: 3, inFlight: 0 });
    expect(driver.of('duplicate', 'once').map((e) => e.messageId)).toEqual([
      'pay-1',
      'pay-1',
      'pay-2',
    ]);
    const skipped = driver.of('acked', 'once').filter((e) => e.reason?.includes('duplicate'));
    expect(skipped).toHaveLength(3);
    expect(skipped.every((e) => e.method === 'basic.ack')).toBe(true);
    // consumer-state events are throttled, and the last one carries the final counts.
    await expect
      .poll(() => driver.of('consumer-state', 'once').at(-1), { timeout: 2000 })
      .toMatchObject({ received: 5, acked: 5, duplicates: 3, inFlight: 0 });
  });
});

describe('control', () => {
  it('pauses (basic.cancel), resumes, and starts a consumer that waits for it', async () => {
    await driver.apply(
      topology({
        queues: [queue('inbox')],
        consumers: [consumer('reader', 'inbox', { autoStart: false })],
      }),
    );
    expect(await driver.consumer('reader')).toMatchObject({ status: 'stopped', received: 0 });
    const pauseStopped = await driver.action('reader', 'pause');
    expect(pauseStopped.statusCode).toBe(409);

    const started = await driver.action('reader', 'start');
    expect(started.statusCode).toBe(200);
    expect(started.json()).toMatchObject({ status: 'running', consumerId: 'reader' });

    expect((await driver.action('reader', 'pause')).json()).toMatchObject({ status: 'paused' });
    for (let i = 0; i < 3; i++) await driver.publish({ exchange: '', routingKey: 'inbox' });
    expect(await driver.queueState('inbox')).toMatchObject({ messages: 3, consumers: 0 });
    expect((await driver.consumer('reader')).received).toBe(0);

    expect((await driver.action('reader', 'resume')).json()).toMatchObject({ status: 'running' });
    await driver.consumerUntil('reader', (c) => c.acked === 3);
    expect(await driver.queueState('inbox')).toMatchObject({ messages: 0, consumers: 1 });
  });

  it('answers 404 naming an unknown consumer, and 401 without the edit token', async () => {
    const response = await driver.action('nobody', 'start');
    expect(response.statusCode).toBe(404);
    expect(response.json<ErrorBody>().error.message).toContain("'nobody'");
    const anonymous = await app.inject({
      method: 'POST',
      url: `/api/sessions/${driver.session.id}/consumers/reader/kill`,
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('stops consumers that leave the diagram', async () => {
    await driver.apply(topology({ queues: [queue('inbox')] }));
    expect(await driver.consumers()).toEqual([]);
    await expect
      .poll(async () => (await driver.queueState('inbox'))?.consumers, { timeout: 5000 })
      .toBe(0);
  });
});
