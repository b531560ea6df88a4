import { getEventListeners } from 'node:events';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ReconnectingConnection } from '../../src/broker/connection';
import { closeFromBroker } from '../../src/broker/forced-close';
import { loadConfig } from '../../src/config';
import { management, scratchVhosts, until } from '../helpers';

const log = { warn: () => {}, debug: () => {} };
const vhost = scratchVhosts('connection');

/** A local port nothing listens on: every attempt there is refused at once. */
async function deadPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

function urlOf(name: string): string {
  const url = new URL(loadConfig(process.env).amqpUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.href;
}

describe('ReconnectingConnection', () => {
  it('retries with backoff and leaves no listener behind, however many attempts fail', async () => {
    const failures: Error[] = [];
    let mostListeners = 0;
    const connection = new ReconnectingConnection(
      `amqp://guest:guest@127.0.0.1:${await deadPort()}`,
      'refused',
      { onDisconnect: (error) => error && failures.push(error), log },
      { backoff: { initialMs: 1, maxMs: 2 } },
    );
    // The signal that cancels every wait lives as long as the connection: read it as it is.
    const closing = (connection as unknown as { closing: AbortController }).closing.signal;
    const watch = setInterval(() => {
      mostListeners = Math.max(mostListeners, getEventListeners(closing, 'abort').length);
    }, 1);
    connection.start();
    await until(() => failures.length >= 100, 15_000, '100 refused attempts');
    clearInterval(watch);
    expect(failures[0]?.message).toMatch(/ECONNREFUSED/);
    expect(mostListeners).toBeLessThanOrEqual(1);
    expect(getEventListeners(closing, 'abort').length).toBeLessThanOrEqual(1);
    const closed = performance.now();
    await connection.close();
    expect(performance.now() - closed).toBeLessThan(1000);
    expect(getEventListeners(closing, 'abort')).toHaveLength(0);
  });

  it('cuts a long backoff short for an attempt someone waits on, and reports its failure', async () => {
    const connection = new ReconnectingConnection(
      `amqp://guest:guest@127.0.0.1:${await deadPort()}`,
      'refused',
      { log },
      { backoff: { initialMs: 60_000, maxMs: 60_000 } },
    );
    try {
      await expect(connection.attempt()).rejects.toThrow(/ECONNREFUSED/);
      // The loop now waits a minute; a second attempt does not.
      const started = performance.now();
      await expect(connection.attempt()).rejects.toThrow(/ECONNREFUSED/);
      expect(performance.now() - started).toBeLessThan(5000);
      const stop = new AbortController();
      const waiting = connection.whenConnected(stop.signal);
      stop.abort();
      expect(await waiting).toBeUndefined();
    } finally {
      await connection.close();
    }
  });

  it('replays its setup on every reconnect, after a drop here or a close by the broker', async () => {
    const name = await vhost('replay');
    const setups: number[] = [];
    const losses: (string | undefined)[] = [];
    let connects = 0;
    const connection = new ReconnectingConnection(
      urlOf(name),
      'warren-test replayed setup',
      {
        setup: async (model) => {
          // A channel opened by the setup is opened again on every new connection.
          const channel = await model.createChannel();
          channel.on('error', () => {});
          setups.push((await channel.assertQueue('', { exclusive: true })).messageCount);
        },
        onConnect: () => (connects += 1),
        onDisconnect: (error, lost) => lost && losses.push(error?.message),
        log,
      },
      { backoff: { initialMs: 10, maxMs: 100 } },
    );
    try {
      expect(await connection.waitUntilConnected(10_000)).toBe(true);
      expect(setups).toHaveLength(1);

      expect(await connection.dropAndReconnect(0)).toBe(true);
      await until(() => connects === 2, 10_000, 'a reconnect after the drop');
      expect(setups).toHaveLength(2);

      const model = connection.current;
      if (!model) throw new Error('not connected');
      await closeFromBroker(model, {
        management: management(),
        vhost: name,
        connectionName: 'warren-test replayed setup',
        log,
      });
      await until(() => connects === 3, 10_000, 'a reconnect after the broker closed it');
      expect(setups).toHaveLength(3);
      expect(losses[0]).toBeUndefined();
      expect(losses[1]).toMatch(/CONNECTION_FORCED/);
      expect(connection.lastError).toBeUndefined();
    } finally {
      await connection.close();
    }
    expect(connection.connected).toBe(false);
  });
});
