import type { Policy, Topology } from '../model';
import type { CodegenOptions } from './index';
import { shellQuote } from './literals';

/** Where generated code connects when the caller says nothing: the local broker, as guest. */
export interface Connection {
  amqpUrl: string;
  managementUrl: string;
  vhost: string;
  user: string;
  password: string;
}

export function connectionOf(options: CodegenOptions): Connection {
  const vhost = options.vhost ?? '/';
  const user = options.user ?? 'guest';
  const password = options.password ?? 'guest';
  const amqpUrl =
    options.amqpUrl ??
    `amqp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:5672/${encodeURIComponent(vhost)}`;
  return {
    amqpUrl,
    managementUrl: (options.managementUrl ?? 'http://127.0.0.1:15672').replace(/\/+$/, ''),
    vhost,
    user,
    password,
  };
}

/** The diagram's name for a header comment, on one line. */
export function titleOf(topology: Topology): string {
  const name = topology.name?.replace(/\s+/g, ' ').trim();
  return name === undefined || name === '' ? 'A Warren diagram' : name;
}

/** The `rabbitmqctl set_policy` command that sets `policy` on `vhost`. */
export function setPolicyCommand(policy: Policy, vhost: string): string {
  return [
    'rabbitmqctl set_policy',
    `-p ${shellQuote(vhost)}`,
    `--priority ${policy.priority}`,
    `--apply-to ${policy.applyTo}`,
    shellQuote(policy.name),
    shellQuote(policy.pattern),
    shellQuote(JSON.stringify(policy.definition)),
  ].join(' ');
}

/**
 * Lines (without comment markers) telling a reader that client libraries cannot set policies,
 * with the commands that do. Empty when the diagram has no policy.
 */
export function policyNote(topology: Topology, vhost: string): string[] {
  const policies = topology.policies ?? [];
  if (policies.length === 0) return [];
  return [
    'Policies are set by an operator, not by a client: AMQP has no method for them, so this',
    'code cannot declare them. Set them with rabbitmqctl (or the management API / UI):',
    ...policies.map((p) => `  ${setPolicyCommand(p, vhost)}`),
  ];
}
