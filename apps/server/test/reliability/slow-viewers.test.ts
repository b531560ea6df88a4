import amqp from 'amqplib';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo, Socket } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '@warren/protocol';
import type { Topology } from '@warren/topology';
import { brokerReady, buildTestApp, createSession, until } from '../helpers';

/**
 * Viewers that never read must not make the server hold every topology for them: 20 websockets
 * whose readers are paused, while a client outside Warren keeps changing the vhost (each change
 * a new topology of hundreds of kB), leave the server's memory bounded.
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

/** A diagram whose topology event is a few hundred kB. */
function bigTopology(queues: number): Topology {
  const names = Array.from({ length: queues }, (_, i) => `orders.region-${i}.${'q'.repeat(150)}`);
  return {
    version: 1,
    exchanges: [
      { id: 'x', name: 'shop', type: 'topic', durable: true, autoDelete: false, internal: false },
    ],
    queues: names.map((name, i) => ({
      id: `q${i}`,
      name,
      durable: false,
      exclusive: false,
      autoDelete: false,
      position: { x: i, y: i },
    })),
    bindings: names.map((name, i) => ({
      id: `b${i}`,
      source: 'shop',
      destination: name,
      destinationType: 'queue' as const,
      routingKey: `order.region-${i}.#`,
    })),
    producers: [],
  };
}

const rssMb = () => process.memoryUsage().rss / 2 ** 20;

describe('viewers that never read', () => {
  it('leave memory bounded while outside changes send new topologies', async () => {
    const session = await createSession(app, { topology: bigTopology(300) });
    const running = app.sessions.get(session.id)!;
    const topologySize = JSON.stringify(running.topology).length;

    const sockets: WebSocket[] = [];
    for (let i = 0; i < 20; i++) {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/api/sessions/${session.id}/events`);
      let hello = false;
      socket.on('message', (data: Buffer) => {
        if ((JSON.parse(data.toString()) as ServerFrame).type === 'hello') hello = true;
      });
      await until(() => hello, 10_000, 'hello');
      // The page stops reading (ws keeps its TCP socket on a field its typings leave out).
      (socket as unknown as { _socket: Socket })._socket.pause();
      sockets.push(socket);
    }
    const closed = sockets.map(
      (socket) => new Promise<number>((resolve) => socket.on('close', (code) => resolve(code))),
    );

    global.gc?.();
    const before = rssMb();
    let topologies = 0;
    const stop = running.events.listen((event) => {
      if (event.type === 'topology') topologies += 1;
    });
    const connection = await amqp.connect(session.amqp.url);
    const channel = await connection.createChannel();
    let peak = before;
    const deadline = Date.now() + 12_000;
    for (let i = 0; Date.now() < deadline; i++) {
      await channel.assertQueue(`outside.${i}`, { durable: false });
      await new Promise((r) => setTimeout(r, 150));
      await channel.deleteQueue(`outside.${i}`);
      await new Promise((r) => setTimeout(r, 150));
      peak = Math.max(peak, rssMb());
    }
    await connection.close();
    stop();
    const grown = peak - before;
    console.log(
      `topology ${Math.round(topologySize / 1024)} kB, ${topologies} topology events to 20 paused viewers: rss ${Math.round(before)} → peak ${Math.round(peak)} MB (+${Math.round(grown)} MB)`,
    );
    expect(topologies).toBeGreaterThanOrEqual(20);
    // Unbounded, every viewer would hold every topology: 20 × events × size.
    expect(grown).toBeLessThan(100);
    for (const socket of sockets) socket.terminate();
    await Promise.all(closed);
  }, 60_000);
});
