import type { FastifyInstance } from 'fastify';
import type { CreateSessionResponse, ProducerState } from '@warren/protocol';
import type { Topology } from '@warren/topology';
import { auth } from '../helpers';

/** One durable queue `work` and a producer `p1` that sends to it 20 times a second. */
export const tickerTopology: Topology = {
  version: 1,
  exchanges: [],
  queues: [{ id: 'q', name: 'work', durable: true, exclusive: false, autoDelete: false }],
  bindings: [],
  producers: [
    {
      id: 'p1',
      name: 'ticker',
      exchange: '',
      routingKey: 'work',
      payload: 'tick {{n}}',
      mandatory: false,
      ratePerSecond: 20,
    },
  ],
};

/** Starts the ticker of a session made from `tickerTopology`; answers with a way to read it. */
export async function startTicker(
  app: FastifyInstance,
  session: CreateSessionResponse,
): Promise<() => Promise<ProducerState>> {
  const started = await app.inject({
    method: 'POST',
    url: `/api/sessions/${session.id}/producers/p1/start`,
    headers: auth(session),
  });
  if (started.statusCode !== 200) throw new Error(`start: ${started.statusCode} ${started.body}`);
  return async () => {
    const response = await app.inject({
      url: `/api/sessions/${session.id}/producers`,
      headers: auth(session),
    });
    return response.json<{ producers: ProducerState[] }>().producers[0]!;
  };
}
