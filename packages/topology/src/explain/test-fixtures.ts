import type { Binding } from '../model';
import { numberedBindings } from '../testing/builders';

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
