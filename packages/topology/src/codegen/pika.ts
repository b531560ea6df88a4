import type { Topology } from '../model';
import { policyNote, titleOf, type Connection } from './connection';
import { commentName, identifier, pyValue } from './literals';

const comment = (line: string) => `# ${line.replace(/[\r\n]/g, ' ')}`.trimEnd();
const hasEntries = (table: Record<string, unknown> | undefined): table is Record<string, unknown> =>
  table !== undefined && Object.keys(table).length > 0;
const py = (value: unknown) => pyValue(value);

const isFloat = (value: unknown) => typeof value === 'number' && !Number.isInteger(value);

/**
 * pika (up to 1.3) has no encoding for floating-point table values and raises
 * UnsupportedAMQPFieldException; such entries are left out, with a comment saying so.
 */
function pikaTable(table: Record<string, unknown>): {
  value: Record<string, unknown>;
  leftOut: string[];
} {
  const leftOut: string[] = [];
  const strip = (value: unknown, path: string): unknown => {
    if (Array.isArray(value))
      return value.flatMap((item, i) => {
        if (isFloat(item)) {
          leftOut.push(`${path}[${i}] = ${String(item)}`);
          return [];
        }
        return [strip(item, `${path}[${i}]`)];
      });
    if (typeof value === 'object' && value !== null) {
      const kept: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        const at = path === '' ? commentName(key) : `${path}.${commentName(key)}`;
        if (isFloat(item)) leftOut.push(`${at} = ${String(item)}`);
        else kept[key] = strip(item, at);
      }
      return kept;
    }
    return value;
  };
  return { value: strip(table, '') as Record<string, unknown>, leftOut };
}

/** A Python 3 script that declares the diagram with pika 1.x (BlockingConnection). */
export function pikaCode(topology: Topology, connection: Connection): string {
  const serverNamed = new Set(
    topology.queues.filter((q) => q.serverNamed === true).map((q) => q.name),
  );
  const queueRef = (label: string) =>
    serverNamed.has(label) ? `queue_name(${py(label)})` : py(label);
  const consumers = topology.consumers ?? [];
  const lines: string[] = [];
  const out = (...more: string[]) => lines.push(...more);
  /** A table as a Python dict; a comment line goes out first when floats had to be left out. */
  const table = (value: Record<string, unknown>, indent: string): string => {
    const { value: kept, leftOut } = pikaTable(value);
    if (leftOut.length > 0)
      out(
        `${indent}${comment(`pika cannot send floating-point values; left out: ${leftOut.join(', ')}.`)}`,
      );
    return py(kept);
  };

  out(
    '#!/usr/bin/env python3',
    comment(`${titleOf(topology)}, declared with pika, with its producers and consumers.`),
    comment(''),
    comment('  pip install pika          (1.x)'),
    comment('  python3 this_file.py [setup|publish|consume]'),
    comment(''),
    comment('setup (the default) declares the exchanges, queues and bindings; publish sends each'),
    comment("producer's message once with publisher confirms; consume runs the consumers until"),
    comment('Ctrl+C. Set AMQP_URL to use another broker or vhost.'),
  );
  const note = policyNote(topology, connection.vhost);
  if (note.length > 0) out(comment(''), ...note.map(comment));
  out(
    '',
    'import os',
    'import sys',
    '',
    'import pika',
    'from pika.exceptions import AMQPError, NackError, UnroutableError',
    '',
    `AMQP_URL = os.environ.get("AMQP_URL", ${py(connection.amqpUrl)})`,
    '',
  );
  if (serverNamed.size > 0) {
    out(
      '# The names the broker picked for server-named queues, by their label in the diagram.',
      'server_names = {}',
      '',
      '',
      'def queue_name(label):',
      '    return server_names.get(label, label)',
      '',
    );
  }

  out('', 'def declare_topology(channel):');
  let declared = 0;
  for (const x of topology.exchanges) {
    declared++;
    out(
      '    channel.exchange_declare(',
      `        exchange=${py(x.name)},`,
      `        exchange_type=${py(x.type)},`,
      `        durable=${py(x.durable)},`,
      `        auto_delete=${py(x.autoDelete)},`,
      `        internal=${py(x.internal)},`,
      ...(hasEntries(x.arguments) ? [`        arguments=${table(x.arguments, '    ')},`] : []),
      '    )',
    );
  }
  for (const q of topology.queues) {
    declared++;
    const options = [
      `durable=${py(q.durable)}`,
      `exclusive=${py(q.exclusive)}`,
      `auto_delete=${py(q.autoDelete)}`,
      ...(hasEntries(q.arguments) ? [`arguments=${table(q.arguments, '    ')}`] : []),
    ];
    if (q.serverNamed === true) {
      out(
        `    # ${commentName(q.name)} is server-named: declared with an empty name, the broker picks one.`,
        `    result = channel.queue_declare(queue="", ${options.join(', ')})`,
        `    server_names[${py(q.name)}] = result.method.queue`,
      );
    } else {
      out(`    channel.queue_declare(queue=${py(q.name)}, ${options.join(', ')})`);
    }
    if (q.exclusive)
      out(`    # ${commentName(q.name)} is exclusive: it lasts only as long as this connection.`);
  }
  for (const b of topology.bindings) {
    declared++;
    const extra = hasEntries(b.arguments)
      ? [`        arguments=${table(b.arguments, '    ')},`]
      : [];
    if (b.destinationType === 'queue') {
      out(
        '    channel.queue_bind(',
        `        queue=${queueRef(b.destination)},`,
        `        exchange=${py(b.source)},`,
        `        routing_key=${py(b.routingKey)},`,
        ...extra,
        '    )',
      );
    } else {
      out(
        '    channel.exchange_bind(',
        `        destination=${py(b.destination)},`,
        `        source=${py(b.source)},`,
        `        routing_key=${py(b.routingKey)},`,
        ...extra,
        '    )',
      );
    }
  }
  if (declared === 0) out('    pass  # the diagram declares nothing');

  const taken = new Set<string>();
  const publishers = topology.producers.map((p, i) => {
    const name = identifier('publish', p.name, 'snake', taken, `publish_${i + 1}`);
    const routingKey =
      p.exchange === '' && serverNamed.has(p.routingKey)
        ? queueRef(p.routingKey)
        : py(p.routingKey);
    out('', '');
    const properties = hasEntries(p.headers)
      ? `pika.BasicProperties(headers=${table(p.headers, '')})`
      : 'pika.BasicProperties()';
    out(
      comment(
        `Producer ${commentName(p.name)}: publishes to ${p.exchange === '' ? 'the default exchange' : `exchange ${commentName(p.exchange)}`}.`,
      ),
      `def ${name}(channel):`,
      '    channel.basic_publish(',
      `        exchange=${py(p.exchange)},`,
      `        routing_key=${routingKey},`,
      `        body=${py(p.payload)}.encode(),`,
      `        properties=${properties},`,
      `        mandatory=${py(p.mandatory)},`,
      '    )',
    );
    return name;
  });

  out(
    '',
    '',
    'def publish_all(channel):',
    '    # With confirms, basic_publish returns once the broker has taken the message, and',
    '    # raises when it refuses it or (mandatory) when no queue matched.',
    '    channel.confirm_delivery()',
    `    for publish in (${publishers.join(', ')}${publishers.length === 1 ? ',' : ''}):`,
    '        try:',
    '            publish(channel)',
    '        except UnroutableError:',
    '            print(f"{publish.__name__}: returned, no queue matched", file=sys.stderr)',
    '        except NackError:',
    '            print(f"{publish.__name__}: the broker refused the message", file=sys.stderr)',
    `    print(${py(`published ${publishers.length} message${publishers.length === 1 ? '' : 's'}`)})`,
  );

  const consumerNames = consumers.map((c, i) => {
    const name = identifier('consume', c.name, 'snake', taken, `consume_${i + 1}`);
    out(
      '',
      '',
      comment(
        `Consumer ${commentName(c.name)}: reads ${commentName(c.queue)}${c.autoAck ? ' with auto-ack' : ', acknowledging each message once handled'}.`,
      ),
      `def ${name}(channel):`,
      `    label = ${py(c.name)}`,
      '',
      '    def on_message(ch, method, properties, body):',
      `        print(f"{label} <- {method.routing_key}: {body.decode(errors='replace')}")`,
      ...(c.autoAck ? [] : ['        ch.basic_ack(delivery_tag=method.delivery_tag)']),
      '',
      '    # Applies to the consumers started after it on this channel.',
      `    channel.basic_qos(prefetch_count=${c.prefetch})`,
      `    channel.basic_consume(queue=${queueRef(c.queue)}, on_message_callback=on_message, auto_ack=${py(c.autoAck)})`,
    );
    return name;
  });

  out(
    '',
    '',
    'def consume_all(channel):',
    ...(consumerNames.length === 0
      ? ['    print("the diagram has no consumers")', '    return']
      : consumerNames.map((n) => `    ${n}(channel)`)),
    '    print("consuming; press Ctrl+C to stop")',
    '    try:',
    '        channel.start_consuming()',
    '    except KeyboardInterrupt:',
    '        channel.stop_consuming()',
    '',
    '',
    'def main(command):',
    '    if command not in ("setup", "publish", "consume"):',
    '        print("usage: python3 this_file.py [setup|publish|consume]", file=sys.stderr)',
    '        return 2',
    '    connection = pika.BlockingConnection(pika.URLParameters(AMQP_URL))',
    '    try:',
    '        channel = connection.channel()',
    '        declare_topology(channel)',
    '        if command == "setup":',
    `            print(${py(`declared ${topology.exchanges.length} exchanges, ${topology.queues.length} queues, ${topology.bindings.length} bindings`)})`,
    '        elif command == "publish":',
    '            publish_all(channel)',
    '        else:',
    '            consume_all(channel)',
    '    except AMQPError as error:',
    '        # The broker closes the channel on a refused operation: 404 not found, or 406 for a',
    '        # re-declaration with other settings. The error says which.',
    '        print(f"error: {error!r}", file=sys.stderr)',
    '        return 1',
    '    finally:',
    '        # Closing also returns unacknowledged messages to their queues.',
    '        if connection.is_open:',
    '            connection.close()',
    '    return 0',
    '',
    '',
    'if __name__ == "__main__":',
    '    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "setup"))',
  );
  return `${lines.join('\n')}\n`;
}
