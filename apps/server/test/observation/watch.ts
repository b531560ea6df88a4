import amqp from 'amqplib';
import type { FastifyInstance } from 'fastify';
import type WebSocket from 'ws';
import type { ServerFrame, WarrenEvent } from '@warren/protocol';
import type { Topology } from '@warren/topology';
import { binding, exchange, queue, topology } from '@warren/topology/testing';
import { until } from '../helpers';

/** A websocket client of a session's event stream that keeps every frame. */
export async function watch(app: FastifyInstance, sessionId: string) {
  const frames: ServerFrame[] = [];
  const socket: WebSocket = await app.injectWS(
    `/api/sessions/${sessionId}/events`,
    {},
    {
      onInit: (ws) =>
        ws.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString()) as ServerFrame)),
    },
  );
  await until(() => frames.some((f) => f.type === 'hello'), 5000, 'hello');
  const events = () => frames.flatMap((f) => (f.type === 'events' ? f.events : []));
  /** Events of one type (`expired` and `dropped` share one interface, hence the intersection). */
  function of<T extends WarrenEvent['type']>(type: T): (WarrenEvent & { type: T })[] {
    return events().filter((e): e is WarrenEvent & { type: T } => e.type === type);
  }
  return { socket, frames, events, of, close: () => socket.terminate() };
}

/** A work queue whose dead-letters go through the fanout `dlx` into `dlq`. */
export function deadLetterTopology(workArgs: Record<string, unknown>): Topology {
  return topology({
    exchanges: [exchange('dlx', 'fanout')],
    queues: [
      queue('work', { arguments: { 'x-dead-letter-exchange': 'dlx', ...workArgs } }),
      queue('dlq'),
    ],
    bindings: [binding('dlx', 'dlq', '', { id: 'b-dlq' })],
  });
}

export type Watcher = Awaited<ReturnType<typeof watch>>;

/**
 * A queue whose messages expire at once and that has no dead-letter exchange: Warren can only
 * infer their expiry, from the queue's depth, once a loss has lasted its settle window.
 */
export const SENTINEL_QUEUE = 'sentinel';

/** The diagram with the sentinel queue added. */
export function withSentinel(diagram: Topology): Topology {
  return {
    ...diagram,
    queues: [...diagram.queues, queue(SENTINEL_QUEUE, { arguments: { 'x-message-ttl': 0 } })],
  };
}

/** Events about the diagram's own queues, the sentinel's left out. */
export const besideSentinel = <E extends { queue: string }>(events: E[]): E[] =>
  events.filter((e) => e.queue !== SENTINEL_QUEUE);

/**
 * Publishes a message into the sentinel queue and waits for Warren to report it expired. The
 * discard inference reads the diagram's queues in the same rounds and reports a loss once it has
 * lasted a settle window: when the sentinel's expiry arrives, every queue has its baseline, and
 * whatever the inference had to say about them before the sentinel was published has been said.
 * A sentinel that expires while the baselines are being taken is part of them and never
 * reported (a baseline may hide a loss, never invent one), so another follows every 1.5 s
 * until one is.
 */
export async function sentinelExpired(client: Watcher, amqpUrl: string): Promise<void> {
  const reported = () =>
    client
      .of('expired')
      .filter((e) => e.queue === SENTINEL_QUEUE)
      .reduce((n, e) => n + e.count, 0);
  const before = reported();
  const connection = await amqp.connect(amqpUrl);
  try {
    const channel = await connection.createConfirmChannel();
    const deadline = Date.now() + 10_000;
    let next = 0;
    while (reported() === before) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the sentinel to expire');
      if (Date.now() >= next) {
        channel.sendToQueue(SENTINEL_QUEUE, Buffer.from('sentinel'));
        await channel.waitForConfirms();
        next = Date.now() + 1500;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await connection.close();
  }
}
