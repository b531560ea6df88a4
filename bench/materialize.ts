/**
 * How long Warren takes to make the broker match a diagram: 200 objects (exchanges, queues,
 * bindings) from scratch, then one edit at a time. Prints JSON.
 */
import { buildApp } from '@warren/server/app';
import { loadConfig } from '@warren/server/config';
import type { Topology } from '@warren/topology';
import type { CreateSessionResponse } from '@warren/protocol';

const EXCHANGES = 20;
const QUEUES = 80;
const BINDINGS = 100;
const EDITS = 9;

function topology(): Topology {
  const types = ['direct', 'topic', 'fanout', 'headers'] as const;
  const exchanges = Array.from({ length: EXCHANGES }, (_, i) => ({
    id: `x${i}`,
    name: `bench.x${i}`,
    type: types[i % types.length] ?? 'direct',
    durable: true,
    autoDelete: false,
    internal: false,
  }));
  const queues = Array.from({ length: QUEUES }, (_, i) => ({
    id: `q${i}`,
    name: `bench.q${i}`,
    durable: i % 2 === 0,
    exclusive: false,
    autoDelete: false,
    ...(i % 5 === 0 ? { arguments: { 'x-message-ttl': 60_000 } } : {}),
  }));
  const bindings = Array.from({ length: BINDINGS }, (_, i) => {
    const source = exchanges[i % EXCHANGES];
    const destination = queues[i % QUEUES];
    if (!source || !destination) throw new Error('unreachable');
    return {
      id: `b${i}`,
      source: source.name,
      destination: destination.name,
      destinationType: 'queue' as const,
      routingKey: source.type === 'topic' ? `key.${i}.#` : `key.${i}`,
      ...(source.type === 'headers' ? { arguments: { 'x-match': 'any', n: String(i) } } : {}),
    };
  });
  return { version: 1, exchanges, queues, bindings, producers: [] };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};
const round = (ms: number) => Math.round(ms * 10) / 10;

async function main(): Promise<void> {
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: 'warn',
    WARREN_VHOST_PREFIX: 'warren-bench-',
  });
  // Logs go to stderr: stdout is the JSON result.
  const app = await buildApp(config, { logger: { level: 'warn', stream: process.stderr } });
  await app.ready();
  const deadline = Date.now() + 15_000;
  while (!(app.broker.amqpReachable && (await app.broker.probeManagement()))) {
    if (Date.now() > deadline) throw new Error('RabbitMQ is not reachable');
    await new Promise((r) => setTimeout(r, 100));
  }
  const created = await app.inject({ method: 'POST', url: '/api/sessions', payload: {} });
  const session = created.json<CreateSessionResponse>();
  const headers = { authorization: `Bearer ${session.editToken}` };
  const put = async (doc: Topology) => {
    const started = performance.now();
    const response = await app.inject({
      method: 'PUT',
      url: `/api/sessions/${session.id}/topology`,
      headers,
      payload: doc,
    });
    const elapsed = performance.now() - started;
    if (response.statusCode !== 200)
      throw new Error(`apply: ${response.statusCode} ${response.body}`);
    return elapsed;
  };

  try {
    const doc = topology();
    const objects = doc.exchanges.length + doc.queues.length + doc.bindings.length;
    const fromScratchMs = await put(doc);

    // Each edit is what a person does on the canvas: add a queue and bind it, change a routing
    // key, remove a binding.
    const edits: number[] = [];
    const editKinds: string[] = [];
    for (let i = 0; i < EDITS; i++) {
      const kind = ['add-queue-and-binding', 'change-routing-key', 'remove-binding'][i % 3] ?? '';
      if (kind === 'add-queue-and-binding') {
        doc.queues.push({
          id: `extra-q${i}`,
          name: `bench.extra${i}`,
          durable: true,
          exclusive: false,
          autoDelete: false,
        });
        doc.bindings.push({
          id: `extra-b${i}`,
          source: 'bench.x0',
          destination: `bench.extra${i}`,
          destinationType: 'queue',
          routingKey: `extra.${i}`,
        });
      } else if (kind === 'change-routing-key') {
        const binding = doc.bindings[i];
        if (binding) binding.routingKey = `${binding.routingKey}.changed`;
      } else {
        doc.bindings.splice(i, 1);
      }
      editKinds.push(kind);
      edits.push(await put(doc));
    }
    const unchangedMs = await put(doc);

    // The part of every apply spent reading what the broker has (management API).
    const live = app.sessions.get(session.id);
    const reads: number[] = [];
    for (let i = 0; live && i < EDITS; i++) {
      const started = performance.now();
      await live.brokerTopology();
      reads.push(performance.now() - started);
    }

    console.log(
      JSON.stringify(
        {
          bench: 'materialize',
          objects,
          exchanges: EXCHANGES,
          queues: QUEUES,
          bindings: BINDINGS,
          fromScratchMs: round(fromScratchMs),
          fromScratchTargetMs: 2000,
          oneEditMs: round(median(edits)),
          oneEditTargetMs: 100,
          oneEditSamplesMs: edits.map(round),
          editKinds,
          unchangedApplyMs: round(unchangedMs),
          brokerReadMs: round(median(reads)),
        },
        null,
        2,
      ),
    );
  } finally {
    await app.inject({ method: 'DELETE', url: `/api/sessions/${session.id}`, headers });
    await app.close();
  }
}

await main();
