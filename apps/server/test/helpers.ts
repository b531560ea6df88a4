import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ChannelModel } from 'amqplib';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { CreateSessionResponse } from '@warren/protocol';
import { brokerSideOf, definitionsToTopology, type Topology } from '@warren/topology';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { ManagementClient } from '../src/broker/management';

export const TEST_PREFIX = 'warren-test-';

export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The app as server.ts builds it, on the real broker, with a test vhost prefix. */
export async function buildTestApp(env: Record<string, string> = {}): Promise<FastifyInstance> {
  const config = loadConfig({
    ...process.env,
    // Each app its own SQLite store, unless the test names one.
    WARREN_DATA_DIR: mkdtempSync(join(tmpdir(), 'warren-test-store-')),
    LOG_LEVEL: 'warn',
    WARREN_VHOST_PREFIX: TEST_PREFIX,
    STATS_INTERVAL_MS: '200',
    // Tests create sessions and poll faster than any person; the limits have their own tests.
    SESSION_CREATES_PER_MINUTE: '0',
    REQUESTS_PER_MINUTE: '0',
    // A restart stops the broker for everyone: only a test that asks for it may do one.
    WARREN_BROKER_RESTART: '',
    // The app's store is thrown away after the test: its sessions end with it.
    WARREN_KEEP_SESSIONS: 'false',
    ...env,
  });
  const app = await buildApp(config, { logger: { level: 'warn' } });
  await app.ready();
  return app;
}

export async function brokerReady(app: FastifyInstance): Promise<void> {
  await until(
    async () => app.broker.amqpReachable && (await app.broker.probeManagement()),
    15_000,
    'the broker',
  );
}

/** For a test file: the app on the real broker, built before its tests and closed after. */
export function appPerFile(use: (app: FastifyInstance) => void): void {
  let app: FastifyInstance | undefined;
  beforeAll(async () => {
    app = await buildTestApp();
    await brokerReady(app);
    use(app);
  });
  afterAll(async () => {
    await app?.close();
  });
}

/** For a test file: the client connections its tests open, each closed after its test. */
export function connectionsPerTest(): ChannelModel[] {
  const connections: ChannelModel[] = [];
  afterEach(async () => {
    await Promise.all(connections.splice(0).map((c) => c.close().catch(() => {})));
  });
  return connections;
}

export function management(): ManagementClient {
  const config = loadConfig(process.env);
  return new ManagementClient(
    config.managementUrl,
    config.managementUser,
    config.managementPassword,
  );
}

export async function createSession(
  app: FastifyInstance,
  body: object = {},
): Promise<CreateSessionResponse> {
  const response = await app.inject({ method: 'POST', url: '/api/sessions', payload: body });
  if (response.statusCode !== 201)
    throw new Error(`create session: ${response.statusCode} ${response.body}`);
  return response.json<CreateSessionResponse>();
}

export const auth = (session: CreateSessionResponse) => ({
  authorization: `Bearer ${session.editToken}`,
});

/** The story of the first lesson: a topic exchange with two queues. */
export function topicTopology(): Topology {
  return {
    version: 1,
    exchanges: [
      {
        id: 'x1',
        name: 'demo.topic',
        type: 'topic',
        durable: true,
        autoDelete: false,
        internal: false,
      },
    ],
    queues: [
      { id: 'q1', name: 'orders', durable: true, exclusive: false, autoDelete: false },
      { id: 'q2', name: 'critical', durable: true, exclusive: false, autoDelete: false },
    ],
    bindings: [
      {
        id: 'b1',
        source: 'demo.topic',
        destination: 'orders',
        destinationType: 'queue',
        routingKey: 'order.#',
      },
      {
        id: 'b2',
        source: 'demo.topic',
        destination: 'critical',
        destinationType: 'queue',
        routingKey: '#.critical',
      },
    ],
    producers: [
      {
        id: 'p1',
        name: 'shop',
        exchange: 'demo.topic',
        routingKey: 'order.create',
        payload: 'hello',
        mandatory: false,
      },
    ],
  };
}

/**
 * For a test file: `create(label)` makes a vhost of the test prefix the management user may
 * use; all of them are deleted after the file's tests.
 */
export function scratchVhosts(kind: string): (label?: string) => Promise<string> {
  const mgmt = management();
  const user = loadConfig(process.env).managementUser;
  const made: string[] = [];
  afterAll(async () => {
    await Promise.all(made.splice(0).map((v) => mgmt.deleteVhost(v)));
  });
  return async (label = '') => {
    const vhost = `${TEST_PREFIX}${kind}-${label === '' ? '' : `${label}-`}${randomBytes(4).toString('hex')}`;
    // The "created" stamp keeps a test server's orphan sweep off this vhost while it is in use.
    await mgmt.createVhost(vhost, `warren ${kind} test, created ${new Date().toISOString()}`);
    made.push(vhost);
    await mgmt.grantAll(vhost, user);
    return vhost;
  };
}

/** What a vhost holds on the broker, as the broker exports it, in the diagram's terms. */
export async function brokerSideOfVhost(vhost: string): Promise<ReturnType<typeof brokerSideOf>> {
  const imported = definitionsToTopology(await management().definitions(vhost), {
    vhost,
    layout: false,
  });
  if (!imported.ok) throw new Error(imported.message);
  return brokerSideOf(imported.topology);
}
