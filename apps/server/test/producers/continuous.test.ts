import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { appPerFile, auth, until } from '../helpers';
import {
  api,
  deleteBehindWarren,
  depth,
  exchange,
  lastState,
  producer,
  producerConnected,
  producerSession,
  queue,
  topology,
} from './fixtures';

let app: FastifyInstance;

appPerFile((a) => (app = a));

describe('continuous producers', () => {
  it('sends at its rate until stopped, and its counts equal the queue depth', async () => {
    const { created, events } = await producerSession(app, {
      queues: [queue('work')],
      producers: [producer('fast', { routingKey: 'work', ratePerSecond: 200 })],
    });
    const producers = api(app, created);
    // From before the start request: the producer's rate is counted from when it is connected,
    // which may come before the reply reaches this test on a loaded machine.
    const t0 = performance.now();
    const started = await producers.start('fast');
    expect(started.status).toBe(200);
    expect(started.body.producer).toMatchObject({ status: 'running', running: true });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const stopped = await producers.stop('fast');
    const seconds = (performance.now() - t0) / 1000;
    expect(stopped.body.producer).toMatchObject({ status: 'idle', running: false });
    await until(
      async () => {
        const s = await producers.state('fast');
        return s.confirmed + s.nacked === s.sent;
      },
      5000,
      'every confirm',
    );
    const state = await producers.state('fast');
    // Printed, not asserted beyond sanity: timing on a shared machine varies.
    console.info(JSON.stringify({ rate: state.sent / seconds, sent: state.sent, seconds }));
    expect(state.sent).toBeGreaterThan(50);
    expect(state.sent).toBeLessThanOrEqual(Math.ceil(200 * seconds) + 2);
    expect(state).toMatchObject({ confirmed: state.sent, nacked: 0 });
    expect(await depth(created, 'work')).toBe(state.sent);
    await until(
      () => {
        const last = lastState(events, 'fast');
        return last?.running === false && last.confirmed === state.sent;
      },
      2000,
      'the final counts',
    );
    expect(lastState(events, 'fast')).toMatchObject({ sent: state.sent, nacked: 0, returned: 0 });
    // Throttled: at most about ten state events a second.
    const stateEvents = events.filter((e) => e.type === 'producer-state').length;
    expect(stateEvents).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 5);
  });

  it('sends bursts, follows a new rate, and stops when the diagram removes it', async () => {
    const base = {
      queues: [queue('work')],
      producers: [producer('b', { routingKey: 'work', ratePerSecond: 20, burst: 10 })],
    };
    const { created, events } = await producerSession(app, base);
    const producers = api(app, created);
    await producers.start('b');
    await until(() => producerConnected(created), 10_000, 'the producer connected');
    await until(async () => (await producers.state('b')).sent >= 10, 2000, 'the first burst');
    // A burst goes out whole at its tick.
    expect((await producers.state('b')).sent % 10).toBe(0);

    const faster = topology({
      ...base,
      producers: [producer('b', { routingKey: 'work', ratePerSecond: 500, burst: 10 })],
    });
    const put = await app.inject({
      method: 'PUT',
      url: `/api/sessions/${created.id}/topology`,
      headers: auth(created),
      payload: faster,
    });
    expect(put.statusCode).toBe(200);
    const before = (await producers.state('b')).sent;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await producers.state('b')).sent - before).toBeGreaterThan(30);

    const removed = await app.inject({
      method: 'PUT',
      url: `/api/sessions/${created.id}/topology`,
      headers: auth(created),
      payload: topology({ queues: [queue('work')] }),
    });
    expect(removed.statusCode).toBe(200);
    expect(await producers.list()).toEqual([]);
    // The broker sees its connection close: whatever it published is in `work` by then.
    await until(async () => !(await producerConnected(created)), 10_000, 'the producer gone');
    const routedByB = () =>
      events.filter((e) => e.type === 'routed' && e.producerId === 'b').length;
    await until(async () => routedByB() === (await depth(created, 'work')), 5000, 'all traced');
    const traced = routedByB();
    // A message after it, through Warren: once it is routed, nothing more came from the producer.
    const sentinel = await app.inject({
      method: 'POST',
      url: `/api/sessions/${created.id}/publish`,
      headers: auth(created),
      payload: { exchange: '', routingKey: 'work', payload: 'sentinel' },
    });
    expect(sentinel.json<{ routedQueues: string[] }>().routedQueues).toEqual(['work']);
    expect(routedByB()).toBe(traced);
    expect(await depth(created, 'work')).toBe(traced + 1);
  });

  it('stops with status error when the broker refuses its exchange', async () => {
    const { created, events } = await producerSession(app, {
      exchanges: [exchange('missing')],
      producers: [producer('lost', { exchange: 'missing', routingKey: 'k', ratePerSecond: 50 })],
    });
    await deleteBehindWarren(created, 'missing');
    const producers = api(app, created);
    await producers.start('lost');
    await until(async () => (await producers.state('lost')).status === 'error', 3000, 'the stop');
    const state = await producers.state('lost');
    expect(state.running).toBe(false);
    expect(state.error).toMatch(
      /Producer 'lost' cannot publish: exchange 'missing' does not exist/,
    );
    const nodeError = events.find((e) => e.type === 'node-error');
    expect(nodeError).toMatchObject({
      errors: [{ nodeId: 'lost', path: '/producers/0', code: 'BROKER_NOT_FOUND' }],
    });
  });

  it('connects again after its connection is closed as a fault', async () => {
    const { created, session } = await producerSession(app, {
      queues: [queue('work')],
      producers: [producer('p', { routingKey: 'work', ratePerSecond: 100 })],
    });
    const producers = api(app, created);
    await producers.start('p');
    await until(async () => (await producers.state('p')).connected, 2000, 'a connection');
    const t0 = performance.now();
    expect(await session.producers.closeConnection('p')).toBe(true);
    console.info(JSON.stringify({ closeConnectionMs: Math.round(performance.now() - t0) }));
    const after = (await producers.state('p')).sent;
    await until(async () => (await producers.state('p')).sent > after + 10, 3000, 'more messages');
    const state = await producers.state('p');
    expect(state).toMatchObject({ status: 'running', connected: true });
    await producers.stop('p');
  });
});
