import fc from 'fast-check';
import { createExplainer, type Explanation } from '@warren/topology';
import { routingCaseArbitrary, type RoutingCase } from '@warren/topology/testing';

export interface CaseOptions {
  seed: number;
  topologies: number;
  messagesPerTopology: number;
}

/** The random diagrams and messages of one run; the same seed always gives the same cases. */
export function differentialCases(options: CaseOptions): RoutingCase[] {
  return fc.sample(routingCaseArbitrary({ messages: options.messagesPerTopology }), {
    seed: options.seed,
    numRuns: options.topologies,
  });
}

/** How much of the routing rules the cases exercise, by the explainer's own account of each. */
export function coverage(cases: readonly RoutingCase[]): Record<string, number> {
  const counts: Record<string, number> = {};
  const add = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  for (const c of cases) {
    const explain = createExplainer(c.topology);
    for (const m of c.messages) {
      const e: Explanation = explain(m);
      add('cases');
      if (e.error) add(`error ${e.error.code}`);
      else if (e.outcomes) add('hash outcomes');
      else if (e.queues.length === 0) add('unroutable');
      else add(e.queues.length === 1 ? 'one queue' : 'several queues');
      if (e.returned) add('returned');
      if (e.routedQueues) add('routed to a queue that does not exist');
      if (c.topology.policies) add('policies');
      for (const hop of e.hops) {
        add(`hop ${hop.type}`);
        if (hop.via.kind === 'alternate') add('via alternate exchange');
        if (hop.via.kind === 'binding' && hop.via.from !== m.exchange) add('via exchange binding');
        if (hop.notes.some((n) => n.includes('already'))) add('visited once');
        for (const b of hop.bindings) {
          if (!b.matched) continue;
          if (b.headers) add(`headers match ${b.headers.mode}`);
          if (b.topic?.some((s) => s.pattern === '#')) add('topic # match');
          if (b.topic?.some((s) => s.pattern === '*')) add('topic * match');
        }
      }
    }
  }
  return counts;
}
