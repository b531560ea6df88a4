import type { Topology } from '../model';
import { titleOf, type Connection } from './connection';
import { commentName, hclString, hclValue, identifier } from './literals';

/** One line of a block: an attribute, a nested block, a comment, or a blank line. */
type Item =
  | { attribute: string; value: string }
  | { block: string; items: Item[] }
  | { comment: string }
  | 'blank';

const comment = (text: string): Item => ({ comment: text.replace(/[\r\n]/g, ' ') });

/** Writes items as `terraform fmt` would: two-space indents, `=` aligned within a run. */
function render(items: Item[], indent = ''): string[] {
  const lines: string[] = [];
  let run: { attribute: string; value: string }[] = [];
  const flush = () => {
    const width = Math.max(0, ...run.map((a) => a.attribute.length));
    for (const a of run) lines.push(`${indent}${a.attribute.padEnd(width)} = ${a.value}`);
    run = [];
  };
  for (const item of items) {
    if (typeof item === 'object' && 'attribute' in item) {
      run.push(item);
      continue;
    }
    flush();
    if (item === 'blank') lines.push('');
    else if ('comment' in item) lines.push(`${indent}# ${item.comment}`.trimEnd());
    else lines.push(`${indent}${item.block} {`, ...render(item.items, `${indent}  `), `${indent}}`);
  }
  flush();
  return lines;
}

const hasEntries = (table: Record<string, unknown> | undefined): table is Record<string, unknown> =>
  table !== undefined && Object.keys(table).length > 0;

/** HCL for the cyrilgdn/rabbitmq Terraform provider, which works through the management API. */
export function terraformCode(topology: Topology, connection: Connection): string {
  const items: Item[] = [
    comment(`${titleOf(topology)}: its exchanges, queues, bindings and policies, for Terraform`),
    comment('with the cyrilgdn/rabbitmq provider (it works through the management API).'),
    comment(''),
    comment('  terraform init && terraform apply'),
    comment(''),
    comment('Producers and consumers are applications: see the amqplib or pika export for them.'),
    'blank',
    {
      block: 'terraform',
      items: [
        {
          block: 'required_providers',
          items: [
            {
              block: 'rabbitmq =',
              items: [
                { attribute: 'source', value: '"cyrilgdn/rabbitmq"' },
                { attribute: 'version', value: '"~> 1.8"' },
              ],
            },
          ],
        },
      ],
    },
    'blank',
  ];
  const variable = (name: string, value: string, sensitive = false) => {
    items.push(
      {
        block: `variable "${name}"`,
        items: [
          { attribute: 'type', value: 'string' },
          { attribute: 'default', value: hclString(value) },
          ...(sensitive ? [{ attribute: 'sensitive', value: 'true' }] : []),
        ],
      },
      'blank',
    );
  };
  variable('rabbitmq_endpoint', connection.managementUrl);
  variable('rabbitmq_username', connection.user);
  variable('rabbitmq_password', connection.password, true);
  variable('vhost', connection.vhost);
  items.push(
    {
      block: 'provider "rabbitmq"',
      items: [
        { attribute: 'endpoint', value: 'var.rabbitmq_endpoint' },
        { attribute: 'username', value: 'var.rabbitmq_username' },
        { attribute: 'password', value: 'var.rabbitmq_password' },
      ],
    },
    'blank',
  );

  const taken = new Set<string>();
  const exchangeRefs = new Map<string, string>();
  for (const [i, x] of topology.exchanges.entries()) {
    const name = identifier('', x.name, 'snake', taken, `exchange_${i + 1}`);
    exchangeRefs.set(x.name, `rabbitmq_exchange.${name}.name`);
    const settings: Item[] = [
      { attribute: 'type', value: hclString(x.type) },
      { attribute: 'durable', value: String(x.durable) },
      { attribute: 'auto_delete', value: String(x.autoDelete) },
    ];
    const notes: Item[] = [];
    if (x.internal)
      notes.push(comment('Internal in the diagram: the provider has no setting for that.'));
    if (hasEntries(x.arguments)) {
      // The provider takes exchange arguments as strings only.
      const strings = Object.entries(x.arguments).filter(([, v]) => typeof v === 'string');
      const others = Object.keys(x.arguments).filter((k) => typeof x.arguments?.[k] !== 'string');
      if (strings.length > 0)
        settings.push({ attribute: 'arguments', value: hclValue(Object.fromEntries(strings)) });
      if (others.length > 0)
        notes.push(
          comment(
            `Left out: the provider takes exchange arguments as text, not ${others.map((k) => commentName(k)).join(', ')}.`,
          ),
        );
    }
    items.push(
      {
        block: `resource "rabbitmq_exchange" "${name}"`,
        items: [
          ...notes,
          { attribute: 'name', value: hclString(x.name) },
          { attribute: 'vhost', value: 'var.vhost' },
          'blank',
          { block: 'settings', items: settings },
        ],
      },
      'blank',
    );
  }

  const queueRefs = new Map<string, string>();
  for (const [i, q] of topology.queues.entries()) {
    if (q.serverNamed === true) {
      items.push(
        comment(
          `Queue ${commentName(q.name)} is server-named: only a client declaring it gets a name, so it and its bindings are left out.`,
        ),
        'blank',
      );
      continue;
    }
    const name = identifier('', q.name, 'snake', taken, `queue_${i + 1}`);
    queueRefs.set(q.name, `rabbitmq_queue.${name}.name`);
    const settings: Item[] = [
      { attribute: 'durable', value: String(q.durable) },
      { attribute: 'auto_delete', value: String(q.autoDelete) },
    ];
    // arguments_json keeps numbers and booleans typed; `arguments` would send them as text.
    if (hasEntries(q.arguments))
      settings.push({ attribute: 'arguments_json', value: `jsonencode(${hclValue(q.arguments)})` });
    items.push(
      {
        block: `resource "rabbitmq_queue" "${name}"`,
        items: [
          ...(q.exclusive
            ? [comment('Exclusive in the diagram: the management API declares ordinary queues.')]
            : []),
          { attribute: 'name', value: hclString(q.name) },
          { attribute: 'vhost', value: 'var.vhost' },
          'blank',
          { block: 'settings', items: settings },
        ],
      },
      'blank',
    );
  }

  for (const [i, b] of topology.bindings.entries()) {
    const destination =
      b.destinationType === 'queue'
        ? queueRefs.get(b.destination)
        : exchangeRefs.get(b.destination);
    const serverNamed =
      b.destinationType === 'queue' &&
      topology.queues.some((q) => q.name === b.destination && q.serverNamed === true);
    if (serverNamed) continue;
    // Referring to the declared resource orders the binding after it; amq.* exchanges exist already.
    const ref = (name: string, drawn: string | undefined) => drawn ?? hclString(name);
    const name = identifier(
      '',
      `${b.source} to ${b.destination}`,
      'snake',
      taken,
      `binding_${i + 1}`,
    );
    items.push(
      {
        block: `resource "rabbitmq_binding" "${name}"`,
        items: [
          { attribute: 'source', value: ref(b.source, exchangeRefs.get(b.source)) },
          { attribute: 'vhost', value: 'var.vhost' },
          { attribute: 'destination', value: ref(b.destination, destination) },
          { attribute: 'destination_type', value: hclString(b.destinationType) },
          { attribute: 'routing_key', value: hclString(b.routingKey) },
          ...(hasEntries(b.arguments)
            ? [{ attribute: 'arguments_json', value: `jsonencode(${hclValue(b.arguments)})` }]
            : []),
        ],
      },
      'blank',
    );
  }

  for (const [i, p] of (topology.policies ?? []).entries()) {
    const name = identifier('policy', p.name, 'snake', taken, `policy_${i + 1}`);
    items.push(
      {
        block: `resource "rabbitmq_policy" "${name}"`,
        items: [
          { attribute: 'name', value: hclString(p.name) },
          { attribute: 'vhost', value: 'var.vhost' },
          'blank',
          {
            block: 'policy',
            items: [
              { attribute: 'pattern', value: hclString(p.pattern) },
              { attribute: 'priority', value: String(p.priority) },
              { attribute: 'apply_to', value: hclString(p.applyTo) },
              // The provider sends whole numbers written here as numbers.
              { attribute: 'definition', value: hclValue(p.definition) },
            ],
          },
        ],
      },
      'blank',
    );
  }
  while (items.at(-1) === 'blank') items.pop();
  return `${render(items).join('\n')}\n`;
}
