import type { Binding, Topology } from '../model';
import { numberedBindings } from '../testing/builders';
import { compileTopology } from './compile';
import { routerOf, type Decision } from './exchange-types';

/** Small builders for explainer tests: a topology reads like the diagram it stands for. */

export { exchange, policy, queue, topology } from '../testing/builders';

const numbered = numberedBindings();

/** A binding from `source` to a queue, or to an exchange when `to` starts with 'x:'. */
export function bind(
  source: string,
  to: string,
  routingKey = '',
  args?: Record<string, unknown>,
): Binding {
  const toExchange = to.startsWith('x:');
  return numbered(source, toExchange ? to.slice(2) : to, routingKey, {
    destinationType: toExchange ? 'exchange' : 'queue',
    ...(args ? { arguments: args } : {}),
  });
}

/**
 * What one exchange of `doc` decides for a message, as its type's route/2 does it: the routing
 * key (then CC and BCC keys) and the headers are given as the broker reads them.
 */
export function decisionOf(
  doc: Topology,
  exchangeName: string,
  routingKeys: string | string[],
  headers?: Record<string, unknown>,
): Decision {
  const compiled = compileTopology(doc);
  const x = compiled.exchanges.get(exchangeName);
  if (!x) throw new Error(`no exchange '${exchangeName}'`);
  const keys = typeof routingKeys === 'string' ? [routingKeys] : routingKeys;
  return routerOf(x).route(x, { routingKeys: keys, headers }, compiled);
}
