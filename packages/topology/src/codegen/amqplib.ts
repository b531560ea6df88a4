import type { Topology } from '../model';
import { policyNote, titleOf, type Connection } from './connection';
import { commentName, identifier, tsString, tsValue } from './literals';

const comment = (line: string) => `// ${line.replace(/[\r\n\u2028\u2029]/g, ' ')}`.trimEnd();
const args = (table: Record<string, unknown> | undefined) =>
  table !== undefined && Object.keys(table).length > 0 ? `, arguments: ${tsValue(table)}` : '';

/** A TypeScript ESM script for Node that declares the diagram with amqplib and runs its apps. */
export function amqplibCode(topology: Topology, connection: Connection): string {
  const serverNamed = new Set(
    topology.queues.filter((q) => q.serverNamed === true).map((q) => q.name),
  );
  const queueRef = (label: string) =>
    serverNamed.has(label) ? `queueName(${tsString(label)})` : tsString(label);
  const consumers = topology.consumers ?? [];
  const lines: string[] = [];
  const out = (...more: string[]) => lines.push(...more);

  out(
    comment(`${titleOf(topology)}, declared with amqplib, with its producers and consumers.`),
    comment(''),
    comment('  npm install amqplib        (it ships its own types)'),
    comment('  npx tsx this-file.ts [setup|publish|consume]'),
    comment(''),
    comment('setup (the default) declares the exchanges, queues and bindings; publish sends each'),
    comment("producer's message once and waits for the broker's confirms; consume runs the"),
    comment('consumers until Ctrl+C. Set AMQP_URL to use another broker or vhost.'),
  );
  const note = policyNote(topology, connection.vhost);
  if (note.length > 0) out(comment(''), ...note.map(comment));
  out(
    '',
    "import { once } from 'node:events';",
    "import { connect, type Channel, type ChannelModel, type ConfirmChannel, type Options } from 'amqplib';",
    '',
    `const AMQP_URL = process.env.AMQP_URL ?? ${tsString(connection.amqpUrl)};`,
    '',
  );
  if (serverNamed.size > 0) {
    out(
      '// The names the broker picked for server-named queues, by their label in the diagram.',
      'const serverNames = new Map<string, string>();',
      'const queueName = (label: string): string => serverNames.get(label) ?? label;',
      '',
    );
  }

  out('async function declareTopology(channel: Channel): Promise<void> {');
  for (const x of topology.exchanges) {
    out(
      `  await channel.assertExchange(${tsString(x.name)}, ${tsString(x.type)}, { durable: ${x.durable}, autoDelete: ${x.autoDelete}, internal: ${x.internal}${args(x.arguments)} });`,
    );
  }
  for (const q of topology.queues) {
    const options = `{ durable: ${q.durable}, exclusive: ${q.exclusive}, autoDelete: ${q.autoDelete}${args(q.arguments)} }`;
    if (q.serverNamed === true) {
      out(
        `  // ${commentName(q.name)} is server-named: declared with an empty name, the broker picks one.`,
        `  serverNames.set(${tsString(q.name)}, (await channel.assertQueue('', ${options})).queue);`,
      );
    } else {
      out(`  await channel.assertQueue(${tsString(q.name)}, ${options});`);
    }
    if (q.exclusive)
      out(`  // ${commentName(q.name)} is exclusive: it lasts only as long as this connection.`);
  }
  for (const b of topology.bindings) {
    const bindArgs =
      b.arguments !== undefined && Object.keys(b.arguments).length > 0
        ? `, ${tsValue(b.arguments)}`
        : '';
    if (b.destinationType === 'queue') {
      out(
        `  await channel.bindQueue(${queueRef(b.destination)}, ${tsString(b.source)}, ${tsString(b.routingKey)}${bindArgs});`,
      );
    } else {
      // amqplib names the destination first, as exchange.bind does.
      out(
        `  await channel.bindExchange(${tsString(b.destination)}, ${tsString(b.source)}, ${tsString(b.routingKey)}${bindArgs});`,
      );
    }
  }
  if (topology.exchanges.length + topology.queues.length + topology.bindings.length === 0)
    out('  // The diagram declares nothing.');
  out('}', '');

  const taken = new Set<string>();
  const publishers = topology.producers.map((p, i) => {
    const name = identifier('publish', p.name, 'camel', taken, `publish${i + 1}`);
    const options: string[] = [`mandatory: ${p.mandatory}`];
    if (p.headers !== undefined && Object.keys(p.headers).length > 0)
      options.push(`headers: ${tsValue(p.headers)}`);
    // Through the default exchange, the routing key is the queue's name.
    const routingKey =
      p.exchange === '' && serverNamed.has(p.routingKey)
        ? queueRef(p.routingKey)
        : tsString(p.routingKey);
    out(
      `// Producer ${commentName(p.name)}: publishes to ${p.exchange === '' ? 'the default exchange' : `exchange ${commentName(p.exchange)}`}.`,
      `async function ${name}(channel: ConfirmChannel): Promise<void> {`,
      `  await send(channel, ${tsString(p.exchange)}, ${routingKey}, ${tsString(p.payload)}, { ${options.join(', ')} });`,
      '}',
      '',
    );
    return name;
  });

  out(
    '// publish() returning false means its buffer is full: wait for drain before the next one.',
    'async function send(',
    '  channel: ConfirmChannel,',
    '  exchange: string,',
    '  routingKey: string,',
    '  body: string,',
    '  options: Options.Publish,',
    '): Promise<void> {',
    "  if (!channel.publish(exchange, routingKey, Buffer.from(body), options)) await once(channel, 'drain');",
    '}',
    '',
    'async function publishAll(channel: ConfirmChannel): Promise<void> {',
    '  // A mandatory message no queue matched comes back instead of being dropped.',
    "  channel.on('return', (message) => {",
    '    const { exchange, routingKey } = message.fields;',
    "    console.warn(`returned: no queue matched ${routingKey || '(empty key)'} on ${exchange || 'the default exchange'}`);",
    '  });',
  );
  for (const name of publishers) out(`  await ${name}(channel);`);
  out(
    '  // Rejects if the broker refused (nacked) any of them.',
    '  await channel.waitForConfirms();',
    `  console.log(${tsString(`published ${publishers.length} message${publishers.length === 1 ? '' : 's'}, all confirmed`)});`,
    '}',
    '',
  );

  const consumerNames = consumers.map((c, i) => {
    const name = identifier('consume', c.name, 'camel', taken, `consume${i + 1}`);
    out(
      `// Consumer ${commentName(c.name)}: reads ${commentName(c.queue)} with prefetch ${c.prefetch}${c.autoAck ? ', acknowledged on delivery (auto-ack)' : ', acknowledging each message once handled'}.`,
      `async function ${name}(connection: ChannelModel): Promise<void> {`,
      `  const label = ${tsString(c.name)};`,
      '  const channel = await connection.createChannel();',
      `  channel.on('error', (error: Error) => console.error(\`\${label}: channel closed: \${error.message}\`));`,
      `  await channel.prefetch(${c.prefetch});`,
      '  await channel.consume(',
      `    ${queueRef(c.queue)},`,
      '    (message) => {',
      '      if (message === null) {',
      `        console.warn(\`\${label}: the broker cancelled this consumer (was the queue deleted?)\`);`,
      '        return;',
      '      }',
      `      console.log(\`\${label} <- \${message.fields.routingKey}: \${message.content.toString()}\`);`,
      ...(c.autoAck ? [] : ['      channel.ack(message);']),
      '    },',
      `    { noAck: ${c.autoAck} },`,
      '  );',
      '}',
      '',
    );
    return name;
  });

  out('async function consumeAll(connection: ChannelModel): Promise<void> {');
  if (consumerNames.length === 0) out("  console.log('the diagram has no consumers');");
  for (const name of consumerNames) out(`  await ${name}(connection);`);
  out(
    '}',
    '',
    'async function main(command: string): Promise<void> {',
    "  if (!['setup', 'publish', 'consume'].includes(command)) {",
    "    console.error('usage: tsx this-file.ts [setup|publish|consume]');",
    '    process.exitCode = 2;',
    '    return;',
    '  }',
    '  const connection = await connect(AMQP_URL);',
    '  // An unhandled error event would end the process without saying why.',
    "  connection.on('error', (error: Error) => console.error(`connection error: ${error.message}`));",
    '  try {',
    '    const channel = await connection.createConfirmChannel();',
    '    // The broker closes a channel it refuses an operation on (404 not found, 406 a',
    '    // re-declaration with other settings); the awaited call rejects with the reason.',
    "    channel.on('error', (error: Error) => console.error(`channel closed: ${error.message}`));",
    '    await declareTopology(channel);',
    "    if (command === 'setup') {",
    `      console.log(${tsString(
      `declared ${topology.exchanges.length} exchanges, ${topology.queues.length} queues, ${topology.bindings.length} bindings`,
    )});`,
    "    } else if (command === 'publish') {",
    '      await publishAll(channel);',
    '    } else {',
    '      // Listening for Ctrl+C before the first message arrives, so none is cut off mid-way.',
    '      const stopped = new Promise<void>((resolve) => {',
    "        process.once('SIGINT', resolve);",
    "        process.once('SIGTERM', resolve);",
    '      });',
    '      await consumeAll(connection);',
    "      console.log('consuming; press Ctrl+C to stop');",
    '      await stopped;',
    '    }',
    '  } finally {',
    '    // Closing also returns unacknowledged messages to their queues.',
    '    await connection.close().catch(() => undefined);',
    '  }',
    '}',
    '',
    "main(process.argv[2] ?? 'setup').catch((error: unknown) => {",
    '  console.error(error instanceof Error ? error.message : error);',
    '  process.exitCode = 1;',
    '});',
  );
  return `${lines.join('\n')}\n`;
}
