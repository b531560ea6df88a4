import { execFile, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerSideOf, generateCode, type Topology } from '@warren/topology';
import { loadConfig } from '../src/config';
import { brokerSideOfVhost, management, scratchVhosts, until } from './helpers';

const run = promisify(execFile);
const serverDir = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Inside the server package, so the generated script's `import 'amqplib'` resolves. */
const scratch = join(serverDir, '.codegen-tmp', randomBytes(4).toString('hex'));
const config = loadConfig(process.env);
const mgmt = management();

const WEIRD = `it's a "queue" ü 🐇 $HOME \${x} %{y} \\ back`;

/** Several exchange types, typed arguments, e2e bindings, a policy and hostile names. */
const diagram: Topology = {
  version: 1,
  name: 'Shop "orders"',
  exchanges: [
    {
      id: 'x1',
      name: 'orders',
      type: 'topic',
      durable: true,
      autoDelete: false,
      internal: false,
      arguments: { 'alternate-exchange': 'unrouted' },
    },
    {
      id: 'x2',
      name: 'unrouted',
      type: 'fanout',
      durable: true,
      autoDelete: false,
      internal: false,
    },
    { id: 'x3', name: 'audit', type: 'headers', durable: false, autoDelete: false, internal: true },
    {
      id: 'x4',
      name: 'shards',
      type: 'x-consistent-hash',
      durable: true,
      autoDelete: false,
      internal: false,
      arguments: { 'hash-header': 'customer' },
    },
    {
      id: 'x5',
      name: 'direct ü',
      type: 'direct',
      durable: true,
      autoDelete: true,
      internal: false,
    },
  ],
  queues: [
    {
      id: 'q1',
      name: 'orders.eu',
      durable: true,
      exclusive: false,
      autoDelete: false,
      arguments: {
        'x-message-ttl': 60000,
        'x-dead-letter-exchange': 'unrouted',
        'x-overflow': 'reject-publish',
        'x-max-length': 100,
      },
    },
    {
      id: 'q2',
      name: WEIRD,
      durable: true,
      exclusive: false,
      autoDelete: false,
      arguments: { 'x-queue-type': 'quorum' },
    },
    { id: 'q3', name: 'lost', durable: false, exclusive: false, autoDelete: true },
    { id: 'q4', name: 'shard-1', durable: true, exclusive: false, autoDelete: false },
    {
      id: 'q5',
      name: 'replies',
      durable: false,
      exclusive: true,
      autoDelete: true,
      serverNamed: true,
    },
    { id: 'q6', name: 'audit-all', durable: true, exclusive: false, autoDelete: false },
  ],
  bindings: [
    {
      id: 'b1',
      source: 'orders',
      destination: 'orders.eu',
      destinationType: 'queue',
      routingKey: 'order.eu.*',
    },
    {
      id: 'b2',
      source: 'orders',
      destination: WEIRD,
      destinationType: 'queue',
      routingKey: "it's.#",
    },
    { id: 'b3', source: 'unrouted', destination: 'lost', destinationType: 'queue', routingKey: '' },
    {
      id: 'b4',
      source: 'orders',
      destination: 'audit',
      destinationType: 'exchange',
      routingKey: '#',
    },
    {
      id: 'b5',
      source: 'audit',
      destination: 'audit-all',
      destinationType: 'queue',
      routingKey: '',
      arguments: { 'x-match': 'any', priority: 5, urgent: true, ratio: 1.25, region: 'eu' },
    },
    {
      id: 'b6',
      source: 'shards',
      destination: 'shard-1',
      destinationType: 'queue',
      routingKey: '1',
    },
    {
      id: 'b7',
      source: 'orders',
      destination: 'replies',
      destinationType: 'queue',
      routingKey: 'reply.#',
    },
    {
      id: 'b8',
      source: 'amq.topic',
      destination: 'orders',
      destinationType: 'exchange',
      routingKey: 'legacy.#',
    },
    {
      id: 'b9',
      source: 'direct ü',
      destination: 'orders.eu',
      destinationType: 'queue',
      routingKey: 'k ü',
    },
  ],
  producers: [
    {
      id: 'p1',
      name: 'checkout',
      exchange: 'orders',
      routingKey: 'order.eu.created',
      payload: '{"id":1,"note":"it\'s"}',
      mandatory: true,
      headers: { source: 'web', attempt: 1 },
    },
  ],
  consumers: [
    { id: 'c1', name: 'billing', queue: 'orders.eu', prefetch: 10, autoAck: false },
    { id: 'c2', name: 'replies reader', queue: 'replies', prefetch: 1, autoAck: true },
  ],
  policies: [
    {
      id: 'po1',
      name: 'cap lost',
      pattern: '^lost$',
      applyTo: 'queues',
      priority: 1,
      definition: { 'max-length': 1000, 'message-ttl': 5000 },
    },
  ],
};

/**
 * What a vhost should hold after a script ran: the broker names server-named queues (and
 * an exclusive one is gone with the script's connection), so they and their bindings are out.
 */
function expected(options: {
  policies: boolean;
  floats: boolean;
}): ReturnType<typeof brokerSideOf> {
  const serverNamed = new Set(diagram.queues.filter((q) => q.serverNamed).map((q) => q.name));
  const dropFloats = (args: Record<string, unknown> | undefined) =>
    args &&
    Object.fromEntries(
      Object.entries(args).filter(
        ([, v]) => options.floats || typeof v !== 'number' || Number.isInteger(v),
      ),
    );
  return brokerSideOf({
    ...diagram,
    queues: diagram.queues.filter((q) => !serverNamed.has(q.name)),
    bindings: diagram.bindings
      .filter((b) => !(b.destinationType === 'queue' && serverNamed.has(b.destination)))
      .map((b) => ({ ...b, arguments: dropFloats(b.arguments) })),
    policies: options.policies ? diagram.policies : [],
  });
}

const scratchVhost = scratchVhosts('codegen');

function amqpUrl(vhost: string): string {
  const url = new URL(config.amqpUrl);
  url.pathname = `/${encodeURIComponent(vhost)}`;
  return url.href;
}

async function write(format: Parameters<typeof generateCode>[1], vhost: string): Promise<string> {
  const generated = generateCode(diagram, format, {
    vhost,
    amqpUrl: amqpUrl(vhost),
    managementUrl: config.managementUrl,
    user: config.managementUser,
    password: config.managementPassword,
  });
  const file = join(scratch, generated.filename);
  await writeFile(file, generated.code);
  return file;
}

const managementEnv = (vhost: string) => ({
  ...process.env,
  RABBITMQ_MANAGEMENT_URL: config.managementUrl,
  RABBITMQ_USER: config.managementUser,
  RABBITMQ_PASSWORD: config.managementPassword,
  RABBITMQ_VHOST: vhost,
});

beforeAll(async () => {
  await mkdir(scratch, { recursive: true });
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('generated amqplib TypeScript', () => {
  it('type-checks under strict settings', async () => {
    const file = await write('amqplib', 'unused');
    const program = ts.createProgram([file], {
      strict: true,
      noUncheckedIndexedAccess: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
      skipLibCheck: true,
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  }, 60_000);

  it('declares the diagram, publishes and consumes', async () => {
    const vhost = await scratchVhost('amqplib');
    const file = await write('amqplib', vhost);
    const env = { ...process.env, AMQP_URL: amqpUrl(vhost) };
    const setup = await run('pnpm', ['exec', 'tsx', file, 'setup'], { cwd: serverDir, env });
    expect(setup.stdout).toContain('declared 5 exchanges, 6 queues, 9 bindings');
    expect(await brokerSideOfVhost(vhost)).toEqual(expected({ policies: false, floats: true }));

    const published = await run('pnpm', ['exec', 'tsx', file, 'publish'], { cwd: serverDir, env });
    expect(published.stdout).toContain('published 1 message, all confirmed');

    // tsx itself (not pnpm) relays SIGINT to the script, which then closes its connection.
    const consumer = spawn(join(serverDir, 'node_modules/.bin/tsx'), [file, 'consume'], {
      cwd: serverDir,
      env,
    });
    let output = '';
    consumer.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    consumer.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => consumer.on('exit', resolve));
    try {
      await until(
        () =>
          output.includes(`billing <- order.eu.created: {"id":1,"note":"it's"}`) &&
          output.includes('consuming; press Ctrl+C to stop'),
        20_000,
        `the consumer's output (so far: ${output})`,
      );
      await until(
        async () => {
          const queues = await mgmt.listQueues(vhost, { stats: true });
          return queues.find((q) => q.name === 'orders.eu')?.messages === 0;
        },
        10_000,
        'orders.eu to be drained',
      );
    } finally {
      consumer.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 60_000);
});

describe('generated pika script', () => {
  it('declares the diagram, leaving out the floats pika cannot send', async () => {
    const probe = spawnSync('/usr/bin/python3', ['-c', 'import pika'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      throw new Error(
        `pika is missing for /usr/bin/python3 (apt-get install -y python3-pika): ${probe.stderr}`,
      );
    }
    const vhost = await scratchVhost('pika');
    const file = await write('pika', vhost);
    const setup = await run('/usr/bin/python3', [file, 'setup'], {
      env: { ...process.env, AMQP_URL: amqpUrl(vhost) },
    });
    expect(setup.stdout).toContain('declared 5 exchanges, 6 queues, 9 bindings');
    expect(await brokerSideOfVhost(vhost)).toEqual(expected({ policies: false, floats: false }));
  }, 60_000);
});

describe('generated management scripts', () => {
  it('rabbitmqadmin declares the diagram and its policy', async () => {
    const vhost = await scratchVhost('rabbitmqadmin');
    const file = await write('rabbitmqadmin', vhost);
    await run('bash', [file], { env: managementEnv(vhost) });
    expect(await brokerSideOfVhost(vhost)).toEqual(expected({ policies: true, floats: true }));
  }, 60_000);

  it('curl declares the diagram and its policy', async () => {
    const vhost = await scratchVhost('curl');
    const file = await write('curl', vhost);
    await run('bash', [file], { env: managementEnv(vhost) });
    expect(await brokerSideOfVhost(vhost)).toEqual(expected({ policies: true, floats: true }));
  }, 60_000);
});

describe('generated Terraform', () => {
  // The cyrilgdn/rabbitmq provider cannot be downloaded here, so `terraform plan` is out of
  // reach; `terraform fmt` works offline and checks the syntax and the layout.
  const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  it.runIf(terraform.status === 0)('is what terraform fmt would write', async () => {
    const dir = join(scratch, 'terraform');
    await mkdir(dir, { recursive: true });
    const generated = generateCode(diagram, 'terraform', { vhost: 'shop' });
    await writeFile(join(dir, generated.filename), generated.code);
    const check = spawnSync('terraform', ['fmt', '-check', '-diff', '-no-color', dir], {
      encoding: 'utf8',
    });
    expect(check.stdout).toBe('');
    expect(check.status).toBe(0);
  });

  it.runIf(terraform.status === 0)(
    'quotes names so Terraform reads them back exactly',
    async () => {
      const names = [
        ...diagram.exchanges,
        ...diagram.queues.filter((q) => !q.serverNamed),
        ...(diagram.policies ?? []),
      ].map((n) => n.name);
      // Each resource's `name = "…"`, as the generated file quotes it, evaluated by Terraform.
      const quoted = generateCode(diagram, 'terraform')
        .code.split('\n')
        .flatMap((line) => /^\s*name\s+= (".*")$/.exec(line)?.slice(1) ?? []);
      const dir = join(scratch, 'console');
      await mkdir(dir, { recursive: true });
      const result = spawnSync('terraform', ['console'], {
        cwd: dir,
        input: `jsonencode([${quoted.join(', ')}])\n`,
        encoding: 'utf8',
      });
      expect(result.status).toBe(0);
      expect(JSON.parse(JSON.parse(result.stdout.trim()) as string)).toEqual(names);
    },
  );
});
