import amqp from 'amqplib';
import type { FastifyInstance } from 'fastify';
import type WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import type { ServerFrame, WarrenEvent } from '@warren/protocol';
import { appPerFile, auth, createSession, topicTopology, until } from '../helpers';

let app: FastifyInstance;

appPerFile((a) => (app = a));

/** Collects every frame a websocket receives. */
async function watch(url: string) {
  const frames: ServerFrame[] = [];
  const socket: WebSocket = await app.injectWS(
    url,
    {},
    {
      onInit: (ws) =>
        ws.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString()) as ServerFrame)),
    },
  );
  const events = () => frames.flatMap((f) => (f.type === 'events' ? f.events : []));
  return { socket, frames, events };
}

const routed = (events: WarrenEvent[]) =>
  events.filter((e): e is Extract<WarrenEvent, { type: 'routed' }> => e.type === 'routed');

describe('WS /api/sessions/:id/events', () => {
  it('starts with a hello snapshot and streams routed events with increasing seq', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const client = await watch(`/api/sessions/${session.id}/events`);
    await until(() => client.frames.some((f) => f.type === 'hello'), 5000, 'hello');
    const hello = client.frames[0];
    expect(hello).toMatchObject({ type: 'hello', sessionId: session.id, broker: { amqp: true } });

    await app.inject({
      method: 'POST',
      url: `/api/sessions/${session.id}/publish`,
      headers: auth(session),
      payload: { exchange: 'demo.topic', routingKey: 'order.create.critical', producerId: 'p1' },
    });
    await until(() => routed(client.events()).length > 0, 5000, 'routed event');
    expect(routed(client.events())[0]).toMatchObject({
      exchange: 'demo.topic',
      routingKey: 'order.create.critical',
      producerId: 'p1',
      outside: false,
    });
    expect(routed(client.events())[0]?.routedQueues.sort()).toEqual(['critical', 'orders']);
    await until(() => client.events().some((e) => e.type === 'queue-stats'), 5000, 'queue stats');

    const seqs = client.events().map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs[0]).toBeGreaterThan(hello?.type === 'hello' ? hello.seq : Infinity);
    client.socket.terminate();
  });

  it('answers a malformed frame with BAD_FRAME and keeps the socket open', async () => {
    const session = await createSession(app);
    const client = await watch(`/api/sessions/${session.id}/events`);
    client.socket.send('{not json');
    client.socket.send(JSON.stringify({ type: 'launch-rockets' }));
    client.socket.send(JSON.stringify({ type: 'ping', id: 'p-1' }));
    await until(() => client.frames.some((f) => f.type === 'pong'), 5000, 'pong');
    const errors = client.frames.filter((f) => f.type === 'error');
    expect(errors).toHaveLength(2);
    expect(errors.every((e) => e.type === 'error' && e.code === 'BAD_FRAME')).toBe(true);
    client.socket.terminate();
  });

  it('shows traffic of an outside client that uses the session credentials', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const client = await watch(`/api/sessions/${session.id}/events`);
    await until(() => client.frames.some((f) => f.type === 'hello'), 5000, 'hello');
    const outside = await amqp.connect(session.amqp.url);
    const channel = await outside.createConfirmChannel();
    channel.publish('demo.topic', 'order.paid', Buffer.from('{}'), { messageId: 'from-outside' });
    await channel.waitForConfirms();
    await until(
      () => routed(client.events()).some((e) => e.messageId === 'from-outside'),
      5000,
      'outside routed',
    );
    expect(routed(client.events()).find((e) => e.messageId === 'from-outside')).toMatchObject({
      outside: true,
      routedQueues: ['orders'],
    });
    await outside.close();
    client.socket.terminate();
  });

  it('closes with an error frame for an unknown session', async () => {
    const client = await watch('/api/sessions/nope/events');
    await until(() => client.frames.length > 0, 5000, 'error frame');
    expect(client.frames[0]).toMatchObject({ type: 'error', code: 'SESSION_NOT_FOUND' });
  });
});
