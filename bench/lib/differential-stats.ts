import { createExplainer, type Explanation } from '@warren/topology';
import { differentialCases, type DifferentialOptions } from './differential-harness';

/** How much of the routing rules a run exercises, from the explainer's own account of each case. */
export function coverage(options: DifferentialOptions): Record<string, number> {
  const counts: Record<string, number> = {};
  const add = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  for (const c of differentialCases(options)) {
    const explain = createExplainer(c.topology);
    for (const m of c.messages) {
      const e: Explanation = explain(m);
      add('cases');
      if (e.error) add(`error ${e.error.code}`);
      else if (e.outcomes) add('hash outcomes');
      else if (e.queues.length === 0) add('unroutable');
      else add(e.queues.length === 1 ? 'one queue' : 'several queues');
      if (e.returned) add('returned');
      for (const hop of e.hops) {
        add(`hop ${hop.type}`);
        if (hop.via.kind === 'alternate') add('via alternate exchange');
        if (hop.via.kind === 'binding' && hop.via.from !== m.exchange) add('via exchange binding');
        if (hop.notes.some((n) => n.includes('already'))) add('visited once');
        if (hop.notes.some((n) => n.includes('does not exist'))) add('missing alternate');
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
