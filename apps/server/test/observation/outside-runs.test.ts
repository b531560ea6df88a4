import { spawn, spawnSync } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerReady, buildTestApp, createSession, topicTopology, until } from '../helpers';
import { watch } from './watch';

/**
 * A small pika publishing script run again and again, as a learner does, is one node on the
 * canvas with a run count, labelled by its product (it sets no connection name), and it goes
 * soon after the last run.
 */

let app: FastifyInstance;

beforeAll(async () => {
  app = await buildTestApp();
  await brokerReady(app);
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import pika'], { encoding: 'utf8' });
  if (probe.status !== 0)
    throw new Error(`pika is missing for /usr/bin/python3 (apt-get install -y python3-pika)`);
});
afterAll(async () => {
  await app.close();
});

const SCRIPT = `
import pika, sys
connection = pika.BlockingConnection(pika.URLParameters(sys.argv[1]))
channel = connection.channel()
channel.confirm_delivery()
channel.basic_publish('demo.topic', 'order.new', b'hello', pika.BasicProperties(correlation_id=sys.argv[2]))
print(' [x] Sent hello', flush=True)
connection.close()
`;

/** Runs the script once (not blocking the server in this process) and waits for its end. */
function run(url: string, n: number): Promise<void> {
  const child = spawn('/usr/bin/python3', ['-c', SCRIPT, url, `run-${n}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`)))),
  );
}

describe('repeated runs of one program', () => {
  it('fold into one node with a run count, which leaves soon after the last run', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const client = await watch(app, session.id);
    for (let n = 1; n <= 5; n += 1) await run(session.amqp.url, n);
    const ended = Date.now();

    const routed = () =>
      client.of('routed').filter((e) => e.properties?.correlationId?.startsWith('run-'));
    await until(() => routed().length === 5, 5000, 'five messages');
    const ids = new Set(client.of('outside-client').map((e) => e.client.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    expect(routed().every((e) => e.outside && e.outsideClientId === id)).toBe(true);
    const shown = client.of('outside-client').filter((e) => !e.gone);
    expect(shown.at(-1)?.client).toMatchObject({
      id,
      role: 'producer',
      exchanges: ['demo.topic'],
      queues: [],
      product: 'Pika Python Client Library',
      runs: 5,
    });
    expect(shown.at(-1)?.client.label).toMatch(/^Pika Python Client Library #[0-9a-f]{6}$/);
    expect(shown.every((e) => e.client.role === 'producer')).toBe(true);

    await until(
      () => client.of('outside-client').some((e) => e.gone),
      2500,
      'the node gone after the last run',
    );
    expect(Date.now() - ended).toBeLessThan(2500);
    expect(client.of('outside-client').filter((e) => e.gone)).toHaveLength(1);
    client.close();
  });
});
