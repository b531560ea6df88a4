import amqp, { type Channel, type ChannelModel, type GetMessage } from 'amqplib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import type {
  ApplyTopologyResponse,
  ConsumerState,
  ConsumersResponse,
  CreateSessionResponse,
  PublishResponse,
  WarrenEvent,
} from '@warren/protocol';
import type { Consumer, Topology } from '@warren/topology';
import { loadConfig } from '../../src/config';
import { auth, brokerReady, buildTestApp, createSession, until } from '../helpers';

export { exchange, queue, binding, topology } from '../runtime-topology';

export const consumer = (
  id: string,
  queueName: string,
  more: Partial<Consumer> = {},
): Consumer => ({
  id,
  name: id,
  queue: queueName,
  prefetch: 1,
  autoAck: false,
  ...more,
});

/** A session's endpoints and events, as a test drives them. */
export class SessionDriver {
  readonly events: WarrenEvent[] = [];
  private readonly stop: () => void;
  private model: ChannelModel | undefined;

  constructor(
    readonly app: FastifyInstance,
    readonly session: CreateSessionResponse,
  ) {
    const running = app.sessions.get(session.id);
    if (!running) throw new Error(`no session ${session.id}`);
    this.stop = running.events.listen((e) => this.events.push(e));
  }

  async apply(next: Topology): Promise<ApplyTopologyResponse> {
    const response = await this.app.inject({
      method: 'PUT',
      url: `/api/sessions/${this.session.id}/topology`,
      headers: auth(this.session),
      payload: next,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ApplyTopologyResponse>();
  }

  async publish(body: object): Promise<PublishResponse> {
    const response = await this.app.inject({
      method: 'POST',
      url: `/api/sessions/${this.session.id}/publish`,
      headers: auth(this.session),
      payload: body,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<PublishResponse>();
  }

  async consumers(): Promise<ConsumerState[]> {
    const response = await this.app.inject({
      method: 'GET',
      url: `/api/sessions/${this.session.id}/consumers`,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ConsumersResponse>().consumers;
  }

  async consumer(id: string): Promise<ConsumerState> {
    const found = (await this.consumers()).find((c) => c.consumerId === id);
    if (!found) throw new Error(`no consumer ${id}`);
    return found;
  }

  /** Waits until the consumer's state passes `check`, and returns it. */
  async consumerUntil(
    id: string,
    check: (state: ConsumerState) => boolean,
    timeoutMs = 10_000,
  ): Promise<ConsumerState> {
    let last: ConsumerState | undefined;
    await until(
      async () => check((last = await this.consumer(id))),
      timeoutMs,
      `consumer ${id} (last: ${JSON.stringify(last)})`,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; last state ${JSON.stringify(last)}`);
    });
    return last!;
  }

  async action(id: string, action: 'start' | 'pause' | 'resume' | 'kill') {
    return this.app.inject({
      method: 'POST',
      url: `/api/sessions/${this.session.id}/consumers/${id}/${action}`,
      headers: auth(this.session),
    });
  }

  async queueState(name: string) {
    const response = await this.app.inject({
      method: 'GET',
      url: `/api/sessions/${this.session.id}/queues`,
    });
    return response
      .json<{ queues: { name: string; messages: number; consumers: number }[] }>()
      .queues.find((q) => q.name === name);
  }

  /** A plain AMQP connection with the session's own credentials, as an outside client has. */
  async connect(): Promise<ChannelModel> {
    this.model ??= await amqp.connect(this.session.amqp.url);
    return this.model;
  }

  async channel(): Promise<Channel> {
    return (await this.connect()).createChannel();
  }

  /** basic.get until a message arrives. */
  async getOne(queueName: string, timeoutMs = 5000): Promise<GetMessage> {
    const channel = await this.channel();
    let message: GetMessage | false = false;
    await until(
      async () => (message = await channel.get(queueName, { noAck: true })) !== false,
      timeoutMs,
      `a message in ${queueName}`,
    );
    await channel.close();
    return message as unknown as GetMessage;
  }

  of<T extends WarrenEvent['type']>(type: T, consumerId?: string) {
    return this.events.filter(
      (e): e is WarrenEvent & { type: T } =>
        e.type === type &&
        (consumerId === undefined || ('consumerId' in e && e.consumerId === consumerId)),
    );
  }

  /** The client-given names of the connections on the session's vhost, per the management API. */
  async connectionNames(): Promise<string[]> {
    const config = loadConfig(process.env);
    const url = new URL(config.managementUrl);
    const vhost = encodeURIComponent(this.session.vhost);
    url.pathname = `${url.pathname.replace(/\/$/, '')}/api/vhosts/${vhost}/connections`;
    url.search = 'columns=client_properties';
    const basic = Buffer.from(`${config.managementUser}:${config.managementPassword}`);
    const response = await fetch(url, {
      headers: { authorization: `Basic ${basic.toString('base64')}` },
    });
    const rows = (await response.json()) as { client_properties?: { connection_name?: string } }[];
    return rows.map((r) => r.client_properties?.connection_name ?? '').sort();
  }

  async close(): Promise<void> {
    this.stop();
    await this.model?.close().catch(() => {});
  }
}

/**
 * For a test file: before its tests, a test app on the real broker and one session driven
 * through it, handed to `use`; both closed after.
 */
export function drivenSession(use: (app: FastifyInstance, driver: SessionDriver) => void): void {
  let app: FastifyInstance | undefined;
  let driver: SessionDriver | undefined;
  beforeAll(async () => {
    app = await buildTestApp();
    await brokerReady(app);
    driver = new SessionDriver(app, await createSession(app));
    use(app, driver);
  });
  afterAll(async () => {
    await driver?.close();
    await app?.close();
  });
}
