import amqp, { type ConsumeMessage } from 'amqplib';
import type { FastifyInstance } from 'fastify';
import type {
  CreateSessionResponse,
  ProducerOutboxResponse,
  ProducerSendResponse,
  ProducerState,
  WarrenEvent,
} from '@warren/protocol';
import type { Producer, Topology } from '@warren/topology';
import { auth, createSession, management, until } from '../helpers';
import { topology } from '../runtime-topology';

export { exchange, queue, topology } from '../runtime-topology';

export const producer = (id: string, extra: Partial<Producer> = {}): Producer => ({
  id,
  name: id,
  exchange: '',
  routingKey: '',
  payload: 'hello',
  mandatory: false,
  ...extra,
});

/** A session on the real broker with `parts` applied, and every event it emits recorded. */
export async function producerSession(app: FastifyInstance, parts: Partial<Topology>) {
  const created = await createSession(app, { topology: topology(parts) });
  const session = app.sessions.get(created.id);
  if (!session) throw new Error('session vanished');
  const events: WarrenEvent[] = [];
  session.events.listen((e) => events.push(e));
  return { created, session, events };
}

export function api(app: FastifyInstance, created: CreateSessionResponse) {
  const base = `/api/sessions/${created.id}/producers`;
  const post = async <T>(path: string, payload?: object) => {
    const response = await app.inject({
      method: 'POST',
      url: `${base}${path}`,
      headers: auth(created),
      ...(payload === undefined ? {} : { payload }),
    });
    return { status: response.statusCode, body: response.json<T>() };
  };
  return {
    send: (id: string, count = 1) => post<ProducerSendResponse>(`/${id}/send`, { count }),
    start: (id: string) => post<{ producer: ProducerState }>(`/${id}/start`),
    stop: (id: string) => post<{ producer: ProducerState }>(`/${id}/stop`),
    list: async () => (await app.inject(base)).json<{ producers: ProducerState[] }>().producers,
    state: async (id: string) => {
      const all = (await app.inject(base)).json<{ producers: ProducerState[] }>().producers;
      const found = all.find((p) => p.producerId === id);
      if (!found) throw new Error(`no producer ${id}`);
      return found;
    },
    outbox: async (id: string) =>
      (await app.inject(`${base}/${id}/outbox`)).json<ProducerOutboxResponse>(),
  };
}

/** Reads `count` messages from `queueName` as an outside client with the session's AMQP details. */
export async function drain(
  created: CreateSessionResponse,
  queueName: string,
  count: number,
): Promise<ConsumeMessage[]> {
  const connection = await amqp.connect(created.amqp.url);
  try {
    const channel = await connection.createChannel();
    const got: ConsumeMessage[] = [];
    await channel.consume(queueName, (m) => m && got.push(m), { noAck: true });
    await until(() => got.length >= count, 5000, `${count} messages in ${queueName}`);
    return got;
  } finally {
    await connection.close();
  }
}

/** Messages ready in a queue, as the broker counts them. */
export async function depth(created: CreateSessionResponse, queueName: string): Promise<number> {
  const connection = await amqp.connect(created.amqp.url);
  try {
    const channel = await connection.createChannel();
    return (await channel.checkQueue(queueName)).messageCount;
  } finally {
    await connection.close();
  }
}

/** Whether the broker lists a producer connection of the session (the management API's view). */
export async function producerConnected(created: CreateSessionResponse): Promise<boolean> {
  const listed = await management().request<{ client_properties?: { connection_name?: string } }[]>(
    'GET',
    `/vhosts/${encodeURIComponent(created.vhost)}/connections?columns=client_properties`,
  );
  return listed.some((c) => c.client_properties?.connection_name?.includes(':producer:') === true);
}

export function lastState(events: WarrenEvent[], producerId: string) {
  return events
    .filter(
      (e): e is Extract<WarrenEvent, { type: 'producer-state' }> =>
        e.type === 'producer-state' && e.producerId === producerId,
    )
    .at(-1);
}

/** Deletes an exchange the way an outside client would, without Warren knowing. */
export async function deleteBehindWarren(
  created: CreateSessionResponse,
  exchangeName: string,
): Promise<void> {
  const connection = await amqp.connect(created.amqp.url);
  try {
    const channel = await connection.createChannel();
    await channel.deleteExchange(exchangeName);
  } finally {
    await connection.close();
  }
}
