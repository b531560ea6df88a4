import amqp from 'amqplib';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo, Socket } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '@warren/protocol';
import { brokerReady, buildTestApp, createSession, topicTopology, until } from '../helpers';

/**
 * A browser that stops reading must not make the server hold every event for it: over a real
 * TCP connection whose reader is paused, the server drops animation events once the socket is
 * backed up, says how many, and still sends every state event; a client that reads again
 * accounts for every seq.
 */

let app: FastifyInstance;
let port: number;

beforeAll(async () => {
  app = await buildTestApp();
  await brokerReady(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await app.close();
});

describe('a slow client', () => {
  it('gets animation events dropped and counted, state events kept, every seq accounted for', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const frames: ServerFrame[] = [];
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/sessions/${session.id}/events`);
    socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString()) as ServerFrame));
    await until(() => frames.some((f) => f.type === 'hello'), 5000, 'hello');
    const hello = frames.find((f) => f.type === 'hello');
    const firstSeq = hello?.type === 'hello' ? hello.seq : 0;

    // The page stops reading: the server's writes back up in the TCP buffers, then in ws.
    // (ws keeps its TCP socket on a field its typings leave out.)
    const tcp = (socket as unknown as { _socket: Socket })._socket;
    tcp.pause();

    // Enough routed events (a long key into `orders`) to fill the socket's buffers many times over.
    const N = 30_000;
    const connection = await amqp.connect(session.amqp.url);
    const channel = await connection.createConfirmChannel();
    const key = 'order.created.' + 'x'.repeat(200);
    for (let i = 0; i < N; i++) {
      channel.publish('demo.topic', key, Buffer.from('{}'), { messageId: `m-${i}` });
      if (i % 2000 === 1999) await channel.waitForConfirms();
    }
    await channel.waitForConfirms();
    const running = app.sessions.get(session.id);
    await until(() => (running?.events.lastSeq ?? 0) - firstSeq >= N, 20_000, 'all routed');
    const lastSeq = running?.events.lastSeq ?? 0;

    // Reading again, it gets the rest: what it missed is counted, not lost silently.
    tcp.resume();
    const accounted = () => {
      let received = 0;
      let dropped = 0;
      let replaced = 0;
      for (const f of frames) {
        if (f.type !== 'events') continue;
        received += f.events.length;
        dropped += f.dropped;
        replaced += f.replaced ?? 0;
      }
      return { received, dropped, replaced };
    };
    await until(
      () => {
        const a = accounted();
        return a.received + a.dropped + a.replaced >= lastSeq - firstSeq;
      },
      20_000,
      'every seq accounted for',
    );
    const { received, dropped } = accounted();
    expect(dropped).toBeGreaterThan(0);
    expect(received).toBeLessThan(N);
    // Events that carry state are never dropped: the newest queue depths arrive.
    await until(
      () =>
        frames.some(
          (f) =>
            f.type === 'events' &&
            f.events.some(
              (e) =>
                e.type === 'queue-stats' &&
                e.queues.find((q) => q.name === 'orders')?.messages === N,
            ),
        ),
      10_000,
      'the queue depth of every message',
    );
    // Counters are exact whatever was dropped.
    const counters = await app.inject({
      method: 'GET',
      url: `/api/sessions/${session.id}/counters`,
    });
    expect(
      counters.json<{ exchanges: Record<string, { published: number }> }>().exchanges,
    ).toMatchObject({ 'demo.topic': { published: N } });
    socket.close();
    await connection.close();
  }, 90_000);
});
