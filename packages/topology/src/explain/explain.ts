import type { Topology } from '../model';
import type { Explanation, ExplainMessage } from './types';

/**
 * The full route of `message` through `topology`: every exchange hop, every binding with
 * whether and why it matched, the queues reached, and what may happen to it there later.
 */
export function explainRoute(topology: Topology, message: ExplainMessage): Explanation {
  void topology;
  void message;
  throw new Error('explainRoute: not implemented yet');
}
