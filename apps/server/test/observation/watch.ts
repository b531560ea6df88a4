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

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
