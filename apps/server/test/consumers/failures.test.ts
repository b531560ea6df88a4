import { describe, expect, it } from 'vitest';
import { rejectedCount, deathRecords } from '@warren/topology';
import {
  binding,
  consumer,
  exchange,
  queue,
  type SessionDriver,
  topology,
  drivenSession,
} from './fixtures';

let driver: SessionDriver;
drivenSession((_app, d) => (driver = d));

describe('dead-letter on reject (scenario 14)', () => {
  it('a rejected message lands in the DLQ with x-death reason rejected', async () => {
    await driver.apply(
      topology({
        exchanges: [exchange('work.dlx', 'fanout')],
        queues: [
          queue('work', { arguments: { 'x-dead-letter-exchange': 'work.dlx' } }),
          queue('work.dlq'),
        ],
        bindings: [binding('work.dlx', 'work.dlq')],
        consumers: [consumer('refuser', 'work', { failureRate: 1, onFailure: { kind: 'reject' } })],
      }),
    );
    const sent = await driver.publish({ exchange: '', routingKey: 'work', payload: 'bad order' });
    const state = await driver.consumerUntil('refuser', (c) => c.rejected === 1);
    expect(state).toMatchObject({ received: 1, acked: 0, rejected: 1, requeued: 0, inFlight: 0 });
    expect(driver.of('rejected', 'refuser')).toMatchObject([
      { messageId: sent.messageId, method: 'basic.reject', queue: 'work' },
    ]);

    const dead = await driver.getOne('work.dlq');
    expect(dead.content.toString()).toBe('bad order');
    expect(deathRecords(dead.properties.headers)).toMatchObject([
      { queue: 'work', reason: 'rejected', count: 1, exchange: '' },
    ]);
  });

  it('requeue gives the message back (basic.nack) and it is redelivered', async () => {
    await driver.apply(
      topology({
        queues: [queue('flaky')],
        consumers: [consumer('requeuer', 'flaky', { failureRate: 1 })],
      }),
    );
    await driver.publish({ exchange: '', routingKey: 'flaky' });
    const state = await driver.consumerUntil('requeuer', (c) => c.requeued >= 3);
    await driver.action('requeuer', 'kill');
    expect(state.nacked).toBe(state.requeued);
    const requeued = driver.of('requeued', 'requeuer');
    expect(requeued.length).toBeGreaterThanOrEqual(3);
    expect(requeued.every((e) => e.method === 'basic.nack')).toBe(true);
    expect(
      driver
        .of('delivered')
        .filter((e) => e.queue === 'flaky')
        .slice(1)
        .every((e) => e.redelivered),
    ).toBe(true);
  });
});

describe('delayed retry through a TTL retry queue (scenario 15)', () => {
  it('visits the work queue 1 + 3 times, then is parked', async () => {
    await driver.apply(
      topology({
        exchanges: [
          exchange('orders.x'),
          exchange('orders.retry.x', 'fanout'),
          exchange('orders.parking.x', 'fanout'),
        ],
        queues: [
          queue('orders.work', { arguments: { 'x-dead-letter-exchange': 'orders.retry.x' } }),
          queue('orders.retry', {
            arguments: { 'x-message-ttl': 100, 'x-dead-letter-exchange': 'orders.x' },
          }),
          queue('orders.parking'),
        ],
        bindings: [
          binding('orders.x', 'orders.work', 'order'),
          binding('orders.retry.x', 'orders.retry'),
          binding('orders.parking.x', 'orders.parking'),
        ],
        consumers: [
          consumer('retrier', 'orders.work', {
            failureRate: 1,
            onFailure: {
              kind: 'delayed-retry',
              maxRetries: 3,
              parkingExchange: 'orders.parking.x',
            },
          }),
        ],
      }),
    );
    const started = Date.now();
    const sent = await driver.publish({
      exchange: 'orders.x',
      routingKey: 'order',
      payload: 'o-1',
    });
    const state = await driver.consumerUntil('retrier', (c) => c.acked === 1);
    const elapsedMs = Date.now() - started;
    expect(state).toMatchObject({ received: 4, rejected: 3, acked: 1, inFlight: 0 });
    const visits = driver
      .of('delivered')
      .filter((e) => e.queue === 'orders.work' && e.messageId === sent.messageId);
    expect(visits).toHaveLength(4);
    expect(driver.of('rejected', 'retrier').map((e) => e.reason)).toEqual([
      expect.stringContaining('retry 1 of 3'),
      expect.stringContaining('retry 2 of 3'),
      expect.stringContaining('retry 3 of 3'),
    ]);
    expect(driver.of('acked', 'retrier')[0]?.reason).toContain('parked');

    const parked = await driver.getOne('orders.parking');
    expect(parked.content.toString()).toBe('o-1');
    expect(parked.properties.messageId).toBe(sent.messageId);
    expect(parked.fields.routingKey).toBe('order');
    expect(rejectedCount(parked.properties.headers, 'orders.work')).toBe(3);
    // Three trips through the 100 ms retry queue.
    expect(elapsedMs).toBeGreaterThanOrEqual(300);
    console.log(JSON.stringify({ scenario: 15, visits: visits.length, elapsedMs }));
  });
});

describe('reliable consumer: local retry with backoff, then a recoverer (scenario 21)', () => {
  it('retries with growing waits, then republishes to the error exchange or rejects to the DLQ', async () => {
    const retry = { kind: 'retry', initialIntervalMs: 40, multiplier: 2, maxAttempts: 3 } as const;
    await driver.apply(
      topology({
        exchanges: [exchange('error.direct'), exchange('payments.dlx', 'fanout')],
        queues: [
          queue('payments.in'),
          queue('refunds.in', { arguments: { 'x-dead-letter-exchange': 'payments.dlx' } }),
          queue('error.queue'),
          queue('payments.dlq'),
        ],
        bindings: [
          binding('error.direct', 'error.queue', 'error'),
          binding('payments.dlx', 'payments.dlq'),
        ],
        consumers: [
          consumer('republisher', 'payments.in', {
            failureRate: 1,
            onFailure: {
              ...retry,
              recoverer: 'republish',
              errorExchange: 'error.direct',
              errorRoutingKey: 'error',
            },
          }),
          consumer('rejecter', 'refunds.in', {
            failureRate: 1,
            onFailure: { ...retry, recoverer: 'reject' },
          }),
        ],
      }),
    );
    const started = Date.now();
    const payment = await driver.publish({ exchange: '', routingKey: 'payments.in', payload: 'p' });
    const refund = await driver.publish({ exchange: '', routingKey: 'refunds.in', payload: 'r' });
    const republisher = await driver.consumerUntil('republisher', (c) => c.acked === 1);
    const rejecter = await driver.consumerUntil('rejecter', (c) => c.rejected === 1);
    const elapsedMs = Date.now() - started;
    // One delivery each: the retries happen inside the consumer.
    expect(republisher).toMatchObject({ received: 1, acked: 1, rejected: 0, inFlight: 0 });
    expect(rejecter).toMatchObject({ received: 1, acked: 0, rejected: 1, inFlight: 0 });
    for (const id of ['republisher', 'rejecter']) {
      expect(driver.of('retrying', id).map((e) => [e.attempt, e.delayMs])).toEqual([
        [2, 40],
        [3, 80],
      ]);
    }
    expect(driver.of('acked', 'republisher')).toMatchObject([
      { messageId: payment.messageId, attempt: 3, method: 'basic.ack' },
    ]);
    expect(driver.of('rejected', 'rejecter')).toMatchObject([
      { messageId: refund.messageId, attempt: 3, method: 'basic.reject' },
    ]);
    expect(elapsedMs).toBeGreaterThanOrEqual(120);

    const failed = await driver.getOne('error.queue');
    expect(failed.properties.messageId).toBe(payment.messageId);
    expect(failed.properties.headers?.['x-exception']).toContain('3 times');
    expect(failed.properties.headers?.['x-original-routingKey']).toBe('payments.in');
    const dead = await driver.getOne('payments.dlq');
    expect(dead.properties.messageId).toBe(refund.messageId);
    expect(deathRecords(dead.properties.headers)[0]).toMatchObject({ reason: 'rejected' });
    console.log(JSON.stringify({ scenario: 21, backoffMs: [40, 80], elapsedMs }));
  });

  it('a missing error exchange becomes an error on the consumer node, and the message is rejected', async () => {
    await driver.apply(
      topology({
        queues: [queue('lonely')],
        consumers: [
          consumer('misrouted', 'lonely', {
            failureRate: 1,
            onFailure: {
              kind: 'retry',
              initialIntervalMs: 0,
              multiplier: 1,
              maxAttempts: 1,
              recoverer: 'republish',
              errorExchange: 'no.such.exchange',
            },
          }),
        ],
      }),
    );
    await driver.publish({ exchange: '', routingKey: 'lonely' });
    await driver.consumerUntil('misrouted', (c) => c.rejected === 1);
    const errors = driver.of('node-error').flatMap((e) => e.errors);
    expect(errors).toContainEqual(
      expect.objectContaining({
        nodeId: 'misrouted',
        path: '/consumers/0/onFailure/errorExchange',
        code: 'BROKER_NOT_FOUND',
        message: expect.stringContaining("'no.such.exchange' does not exist") as unknown,
      }),
    );
    // The consumer itself carries on.
    expect((await driver.consumer('misrouted')).status).toBe('running');
  });
});
