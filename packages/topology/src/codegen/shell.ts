import type { Binding, Queue, Topology } from '../model';
import { titleOf, type Connection } from './connection';
import { commentName, shellQuote, urlSegment } from './literals';

const comment = (line: string) => `# ${line.replace(/[\r\n]/g, ' ')}`.trimEnd();

/** The settings both shell scripts read from the environment, with the diagram's defaults. */
function environment(connection: Connection): string[] {
  return [
    `RABBITMQ_MANAGEMENT_URL=\${RABBITMQ_MANAGEMENT_URL:-${shellQuote(connection.managementUrl)}}`,
    `RABBITMQ_USER=\${RABBITMQ_USER:-${shellQuote(connection.user)}}`,
    `RABBITMQ_PASSWORD=\${RABBITMQ_PASSWORD:-${shellQuote(connection.password)}}`,
    `RABBITMQ_VHOST=\${RABBITMQ_VHOST:-${shellQuote(connection.vhost)}}`,
  ];
}

/**
 * What the management API cannot declare: server-named queues (and their bindings) have no
 * name to PUT, and exclusive queues belong to a connection.
 */
function managementLimits(topology: Topology): {
  skipQueue: (q: Queue) => boolean;
  skipBinding: (b: Binding) => boolean;
  notes: string[];
} {
  const serverNamed = new Set(
    topology.queues.filter((q) => q.serverNamed === true).map((q) => q.name),
  );
  const notes: string[] = [];
  for (const q of topology.queues) {
    if (q.serverNamed === true)
      notes.push(
        `Queue ${commentName(q.name)} is server-named: only a client declaring it gets a name, so it and its bindings are left out.`,
      );
    else if (q.exclusive)
      notes.push(
        `Queue ${commentName(q.name)} is exclusive in the diagram; the management API cannot make it so, and declares an ordinary queue.`,
      );
  }
  return {
    skipQueue: (q) => q.serverNamed === true,
    skipBinding: (b) => b.destinationType === 'queue' && serverNamed.has(b.destination),
    notes,
  };
}

function header(topology: Topology, tool: string, run: string): string[] {
  return [
    '#!/usr/bin/env bash',
    comment(
      `${titleOf(topology)}: its exchanges, queues, bindings and policies, declared with ${tool}.`,
    ),
    comment(''),
    comment(`  ${run}`),
    comment(''),
    comment(
      'Set RABBITMQ_MANAGEMENT_URL, RABBITMQ_USER, RABBITMQ_PASSWORD and RABBITMQ_VHOST to use',
    ),
    comment(
      'another broker. Declaring what already exists with the same settings changes nothing.',
    ),
    comment('Producers and consumers are applications: see the amqplib or pika export for them.'),
  ];
}

/**
 * How both management scripts open: the header, what the management API leaves out, strict
 * bash, and the connection's variables.
 */
function bashOpening(
  topology: Topology,
  tool: string,
  notes: readonly string[],
  connection: Connection,
): string[] {
  return [
    ...header(topology, tool, 'bash this-file.sh'),
    ...(notes.length > 0 ? [comment(''), ...notes.map(comment)] : []),
    '',
    'set -euo pipefail',
    '',
    ...environment(connection),
    '',
  ];
}

/** A bash script of `rabbitmqadmin declare …` commands. */
export function rabbitmqadminCode(topology: Topology, connection: Connection): string {
  const limits = managementLimits(topology);
  const lines = [
    ...bashOpening(topology, 'rabbitmqadmin (the management plugin CLI)', limits.notes, connection),
    'admin=(',
    '  rabbitmqadmin',
    '  --base-uri="$RABBITMQ_MANAGEMENT_URL"',
    '  --username="$RABBITMQ_USER"',
    '  --password="$RABBITMQ_PASSWORD"',
    '  --vhost="$RABBITMQ_VHOST"',
    ')',
  ];
  const declare = (kind: string, fields: [string, string][]) =>
    `"\${admin[@]}" declare ${kind} ${fields.map(([k, v]) => shellQuote(`${k}=${v}`)).join(' ')}`;
  const json = (table: Record<string, unknown> | undefined) => JSON.stringify(table ?? {});

  /** A commented section of one `declare` line per item, when there are any. */
  const section = <T>(
    title: string,
    kind: string,
    items: readonly T[],
    fields: (item: T) => [string, string][],
  ) => {
    if (items.length > 0) lines.push('', comment(title));
    for (const item of items) lines.push(declare(kind, fields(item)));
  };

  section('Exchanges', 'exchange', topology.exchanges, (x) => [
    ['name', x.name],
    ['type', x.type],
    ['durable', String(x.durable)],
    ['auto_delete', String(x.autoDelete)],
    ['internal', String(x.internal)],
    ['arguments', json(x.arguments)],
  ]);
  const queues = topology.queues.filter((q) => !limits.skipQueue(q));
  section('Queues', 'queue', queues, (q) => [
    ['name', q.name],
    ['durable', String(q.durable)],
    ['auto_delete', String(q.autoDelete)],
    ['arguments', json(q.arguments)],
  ]);
  const bindings = topology.bindings.filter((b) => !limits.skipBinding(b));
  section('Bindings', 'binding', bindings, (b) => [
    ['source', b.source],
    ['destination_type', b.destinationType],
    ['destination', b.destination],
    ['routing_key', b.routingKey],
    ['arguments', json(b.arguments)],
  ]);
  section('Policies', 'policy', topology.policies ?? [], (p) => [
    ['name', p.name],
    ['pattern', p.pattern],
    ['definition', JSON.stringify(p.definition)],
    ['priority', String(p.priority)],
    ['apply-to', p.applyTo],
  ]);
  return `${lines.join('\n')}\n`;
}

/** A bash script of management HTTP API calls made with curl. */
export function curlCode(topology: Topology, connection: Connection): string {
  const limits = managementLimits(topology);
  const lines = [
    ...bashOpening(topology, 'curl and the management HTTP API', limits.notes, connection),
    "# Percent-encodes one URL path segment, byte by byte ('/' is a vhost name too).",
    'urlencode() {',
    '  local LC_ALL=C text=$1 i c',
    '  for ((i = 0; i < ${#text}; i++)); do',
    '    c=${text:i:1}',
    '    case $c in',
    '      [a-zA-Z0-9.~_-]) printf \'%s\' "$c" ;;',
    "      *) printf '%%%02X' \"'$c\" ;;",
    '    esac',
    '  done',
    '}',
    'vhost=$(urlencode "$RABBITMQ_VHOST")',
    '',
    '# api METHOD PATH JSON: one management API call; a refusal stops the script with its reason.',
    'api() {',
    '  echo "$1 /api/$2"',
    '  curl --fail-with-body --silent --show-error \\',
    '    --user "$RABBITMQ_USER:$RABBITMQ_PASSWORD" \\',
    '    --request "$1" --header "content-type: application/json" \\',
    '    --data-raw "$3" "$RABBITMQ_MANAGEMENT_URL/api/$2"',
    '}',
  ];
  const call = (method: string, path: string, body: unknown) =>
    `api ${method} "${path}" ${shellQuote(JSON.stringify(body))}`;

  if (topology.exchanges.length > 0) lines.push('', comment('Exchanges'));
  for (const x of topology.exchanges) {
    lines.push(
      call('PUT', `exchanges/$vhost/${urlSegment(x.name)}`, {
        type: x.type,
        durable: x.durable,
        auto_delete: x.autoDelete,
        internal: x.internal,
        arguments: x.arguments ?? {},
      }),
    );
  }
  const queues = topology.queues.filter((q) => !limits.skipQueue(q));
  if (queues.length > 0) lines.push('', comment('Queues'));
  for (const q of queues) {
    lines.push(
      call('PUT', `queues/$vhost/${urlSegment(q.name)}`, {
        durable: q.durable,
        auto_delete: q.autoDelete,
        arguments: q.arguments ?? {},
      }),
    );
  }
  const bindings = topology.bindings.filter((b) => !limits.skipBinding(b));
  if (bindings.length > 0) lines.push('', comment('Bindings'));
  for (const b of bindings) {
    const kind = b.destinationType === 'queue' ? 'q' : 'e';
    lines.push(
      call(
        'POST',
        `bindings/$vhost/e/${urlSegment(b.source)}/${kind}/${urlSegment(b.destination)}`,
        {
          routing_key: b.routingKey,
          arguments: b.arguments ?? {},
        },
      ),
    );
  }
  const policies = topology.policies ?? [];
  if (policies.length > 0) lines.push('', comment('Policies'));
  for (const p of policies) {
    lines.push(
      call('PUT', `policies/$vhost/${urlSegment(p.name)}`, {
        pattern: p.pattern,
        definition: p.definition,
        priority: p.priority,
        'apply-to': p.applyTo,
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}
