import { spawnSync } from 'node:child_process';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { Topology } from '../model';
import { CODE_FORMATS, generateCode, type CodeFormat } from './index';

const WEIRD = `it's a "queue" ü 🐇 $HOME \${x} %{y} \\ back`;

const diagram: Topology = {
  version: 1,
  name: 'Shop',
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
  ],
  queues: [
    {
      id: 'q1',
      name: 'orders.eu',
      durable: true,
      exclusive: false,
      autoDelete: false,
      arguments: { 'x-message-ttl': 60000, 'x-single-active-consumer': true },
    },
    { id: 'q2', name: WEIRD, durable: true, exclusive: false, autoDelete: false },
    {
      id: 'q3',
      name: 'replies',
      durable: false,
      exclusive: true,
      autoDelete: true,
      serverNamed: true,
    },
  ],
  bindings: [
    {
      id: 'b1',
      source: 'orders',
      destination: 'orders.eu',
      destinationType: 'queue',
      routingKey: 'order.*',
    },
    {
      id: 'b2',
      source: 'orders',
      destination: WEIRD,
      destinationType: 'queue',
      routingKey: "it's.#",
    },
    {
      id: 'b3',
      source: 'orders',
      destination: 'audit',
      destinationType: 'exchange',
      routingKey: '#',
    },
    {
      id: 'b4',
      source: 'audit',
      destination: 'orders.eu',
      destinationType: 'queue',
      routingKey: '',
      arguments: { 'x-match': 'any', ratio: 1.25, urgent: true },
    },
    {
      id: 'b5',
      source: 'orders',
      destination: 'replies',
      destinationType: 'queue',
      routingKey: 'reply.#',
    },
  ],
  producers: [
    {
      id: 'p1',
      name: 'checkout',
      exchange: 'orders',
      routingKey: 'order.created',
      payload: `{"note":"it's \${fine}"}`,
      mandatory: true,
      headers: { attempt: 1 },
    },
  ],
  consumers: [
    { id: 'c1', name: 'billing', queue: 'orders.eu', prefetch: 10, autoAck: false },
    { id: 'c2', name: 'replies reader', queue: 'replies', prefetch: 1, autoAck: true },
  ],
  policies: [
    {
      id: 'po1',
      name: "cap it's",
      pattern: '^orders\\.',
      applyTo: 'queues',
      priority: 2,
      definition: { 'max-length': 1000 },
    },
  ],
};

const code = (format: CodeFormat, options = {}) => generateCode(diagram, format, options).code;
const lines = (text: string) => text.split('\n').map((l) => l.trim());

function typescriptProblems(text: string): string[] {
  const file = ts.createSourceFile('x.ts', text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  // parseDiagnostics is internal to the compiler API, but it is exactly the syntax check.
  const diagnostics = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

const bashProblems = (text: string) =>
  spawnSync('bash', ['-n'], { input: text, encoding: 'utf8' }).stderr;

const pythonProblems = (text: string) =>
  spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], {
    input: text,
    encoding: 'utf8',
  }).stderr;

describe('generateCode', () => {
  it('names a file and a language for every format', () => {
    expect(CODE_FORMATS.map((f) => generateCode(diagram, f))).toMatchObject([
      { format: 'amqplib', filename: 'warren-topology.ts', language: 'typescript' },
      { format: 'pika', filename: 'warren_topology.py', language: 'python' },
      { format: 'rabbitmqadmin', filename: 'declare-with-rabbitmqadmin.sh', language: 'bash' },
      { format: 'curl', filename: 'declare-with-curl.sh', language: 'bash' },
      { format: 'terraform', filename: 'main.tf', language: 'hcl' },
    ]);
  });

  it('refuses a format it does not know', () => {
    expect(() => generateCode(diagram, 'java' as CodeFormat)).toThrow(
      "Unknown code format 'java': use one of amqplib, pika, rabbitmqadmin, curl, terraform.",
    );
  });

  it('writes valid code for an empty diagram', () => {
    const empty: Topology = { version: 1, exchanges: [], queues: [], bindings: [], producers: [] };
    expect(typescriptProblems(generateCode(empty, 'amqplib').code)).toEqual([]);
    expect(pythonProblems(generateCode(empty, 'pika').code)).toBe('');
    expect(bashProblems(generateCode(empty, 'curl').code)).toBe('');
    expect(bashProblems(generateCode(empty, 'rabbitmqadmin').code)).toBe('');
  });
});

describe('amqplib', () => {
  const text = code('amqplib');

  it('is syntactically valid TypeScript', () => {
    expect(typescriptProblems(text)).toEqual([]);
  });

  it('declares every object, the server-named queue with an empty name', () => {
    const all = lines(text);
    expect(all).toContain(
      "await channel.assertExchange('orders', 'topic', { durable: true, autoDelete: false, internal: false, arguments: { 'alternate-exchange': 'unrouted' } });",
    );
    expect(all).toContain(
      "await channel.assertQueue('it\\'s a \"queue\" ü 🐇 $HOME ${x} %{y} \\\\ back', { durable: true, exclusive: false, autoDelete: false });",
    );
    expect(all).toContain(
      "serverNames.set('replies', (await channel.assertQueue('', { durable: false, exclusive: true, autoDelete: true })).queue);",
    );
    expect(all).toContain("await channel.bindQueue(queueName('replies'), 'orders', 'reply.#');");
    expect(all).toContain("await channel.bindExchange('audit', 'orders', '#');");
    expect(all).toContain(
      "await channel.bindQueue('orders.eu', 'audit', '', { 'x-match': 'any', ratio: 1.25, urgent: true });",
    );
  });

  it('has a publisher per producer, a consumer per consumer, and confirms', () => {
    expect(text).toContain('async function publishCheckout(channel: ConfirmChannel)');
    expect(text).toContain(
      `await send(channel, 'orders', 'order.created', '{"note":"it\\'s \${fine}"}', { mandatory: true, headers: { attempt: 1 } });`,
    );
    expect(text).toContain('async function consumeBilling(connection: ChannelModel)');
    expect(text).toContain('await channel.prefetch(10);');
    expect(text).toContain('async function consumeRepliesReader(connection: ChannelModel)');
    expect(text).toContain('{ noAck: true }');
    expect(text).toContain('await connection.createConfirmChannel();');
    expect(text).toContain('await channel.waitForConfirms();');
    expect(text).toContain("main(process.argv[2] ?? 'setup')");
  });

  it('says policies need an operator, with the command that sets them', () => {
    expect(text).toContain(
      `//   rabbitmqctl set_policy -p / --priority 2 --apply-to queues 'cap it'\\''s' '^orders\\.' '{"max-length":1000}'`,
    );
  });

  it('connects where it is told, the vhost encoded', () => {
    expect(code('amqplib')).toContain(
      "process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672/%2F'",
    );
    expect(code('amqplib', { vhost: 'shop/eu', user: 'ann', password: 'p@ss' })).toContain(
      "'amqp://ann:p%40ss@127.0.0.1:5672/shop%2Feu'",
    );
  });
});

describe('pika', () => {
  const text = code('pika');

  it('is syntactically valid Python', () => {
    expect(pythonProblems(text)).toBe('');
  });

  it('declares every object and binds with explicit routing keys', () => {
    const all = lines(text);
    expect(all).toContain('exchange="orders",');
    expect(all).toContain('exchange_type="topic",');
    expect(all).toContain('arguments={"alternate-exchange": "unrouted"},');
    expect(text).toContain(
      'result = channel.queue_declare(queue="", durable=False, exclusive=True, auto_delete=True)',
    );
    expect(all).toContain('server_names["replies"] = result.method.queue');
    expect(all).toContain('queue=queue_name("replies"),');
    expect(all).toContain('queue="it\'s a \\"queue\\" ü 🐇 $HOME ${x} %{y} \\\\ back",');
    expect(text).toContain('channel.exchange_bind(');
  });

  it('leaves out the floats pika cannot encode, and says so', () => {
    expect(text).toContain('# pika cannot send floating-point values; left out: "ratio" = 1.25.');
    expect(lines(text)).toContain('arguments={"x-match": "any", "urgent": True},');
  });

  it('publishes with confirms and consumes with acks', () => {
    expect(text).toContain('def publish_checkout(channel):');
    expect(text).toContain('channel.confirm_delivery()');
    expect(text).toContain('except UnroutableError:');
    expect(text).toContain('def consume_billing(channel):');
    expect(text).toContain('channel.basic_qos(prefetch_count=10)');
    expect(text).toContain('ch.basic_ack(delivery_tag=method.delivery_tag)');
    expect(text).toContain(
      "#   rabbitmqctl set_policy -p / --priority 2 --apply-to queues 'cap it'\\''s'",
    );
  });
});

describe('rabbitmqadmin', () => {
  const text = code('rabbitmqadmin');

  it('is syntactically valid bash', () => {
    expect(bashProblems(text)).toBe('');
  });

  it('declares each object with one quoted word per field', () => {
    const all = lines(text);
    expect(all).toContain(
      `"\${admin[@]}" declare exchange name=orders type=topic durable=true auto_delete=false internal=false 'arguments={"alternate-exchange":"unrouted"}'`,
    );
    expect(all).toContain(
      `"\${admin[@]}" declare queue 'name=it'\\''s a "queue" ü 🐇 $HOME \${x} %{y} \\ back' durable=true auto_delete=false 'arguments={}'`,
    );
    expect(all).toContain(
      `"\${admin[@]}" declare binding source=orders destination_type=exchange destination=audit 'routing_key=#' 'arguments={}'`,
    );
    expect(all).toContain(
      `"\${admin[@]}" declare policy 'name=cap it'\\''s' 'pattern=^orders\\.' 'definition={"max-length":1000}' priority=2 apply-to=queues`,
    );
  });

  it('leaves out the server-named queue and its binding, and says so', () => {
    expect(text).not.toContain("replies'");
    expect(text).not.toContain('reply.#');
    expect(text).toContain(
      '# Queue "replies" is server-named: only a client declaring it gets a name, so it and its bindings are left out.',
    );
  });
});

describe('curl', () => {
  const text = code('curl', { vhost: 'shop/eu' });

  it('is syntactically valid bash', () => {
    expect(bashProblems(text)).toBe('');
  });

  it('calls the management API with encoded names and JSON bodies', () => {
    const all = lines(text);
    expect(all).toContain(
      `api PUT "exchanges/$vhost/orders" '{"type":"topic","durable":true,"auto_delete":false,"internal":false,"arguments":{"alternate-exchange":"unrouted"}}'`,
    );
    expect(all).toContain(
      `api PUT "queues/$vhost/it%27s%20a%20%22queue%22%20%C3%BC%20%F0%9F%90%87%20%24HOME%20%24%7Bx%7D%20%25%7By%7D%20%5C%20back" '{"durable":true,"auto_delete":false,"arguments":{}}'`,
    );
    expect(all).toContain(
      `api POST "bindings/$vhost/e/audit/q/orders.eu" '{"routing_key":"","arguments":{"x-match":"any","ratio":1.25,"urgent":true}}'`,
    );
    expect(all).toContain(
      `api PUT "policies/$vhost/cap%20it%27s" '{"pattern":"^orders\\\\.","definition":{"max-length":1000},"priority":2,"apply-to":"queues"}'`,
    );
    expect(all).toContain('RABBITMQ_VHOST=${RABBITMQ_VHOST:-shop/eu}');
  });
});

describe('terraform', () => {
  const text = code('terraform');

  it('balances its braces and escapes template openers', () => {
    let depth = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
        else if (c === '$' && text[i + 1] === '{') expect(text[i - 1]).toBe('$');
        continue;
      }
      if (c === '#') i = text.indexOf('\n', i);
      else if (c === '"') inString = true;
      else if (c === '{') depth++;
      else if (c === '}') depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
  });

  it('declares resources for the cyrilgdn/rabbitmq provider', () => {
    const all = lines(text);
    expect(all).toContain('source  = "cyrilgdn/rabbitmq"');
    expect(all).toContain('resource "rabbitmq_exchange" "orders" {');
    expect(all).toContain('arguments   = { "alternate-exchange" = "unrouted" }');
    expect(all).toContain(
      'arguments_json = jsonencode({ "x-message-ttl" = 60000, "x-single-active-consumer" = true })',
    );
    expect(all).toContain('name  = "it\'s a \\"queue\\" ü 🐇 $HOME $${x} %%{y} \\\\ back"');
    expect(all).toContain('resource "rabbitmq_binding" "orders_to_audit" {');
    expect(all).toContain('destination      = rabbitmq_exchange.audit.name');
    expect(all).toContain(
      'arguments_json   = jsonencode({ "x-match" = "any", "ratio" = 1.25, "urgent" = true })',
    );
    expect(all).toContain('resource "rabbitmq_policy" "policy_cap_it_s" {');
    expect(all).toContain('definition = { "max-length" = 1000 }');
    expect(all).toContain('# Internal in the diagram: the provider has no setting for that.');
    expect(text).not.toContain('reply.#');
  });
});
