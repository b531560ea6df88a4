import type { CompiledExchange, CompiledTopology } from './compiled';
import type { Decisions } from './decisions';
import type { Decision, Destination } from './exchange-types';
import type { ExchangeHop } from './types';

/** Most combinations of consistent-hash picks listed before giving up on `outcomes`. */
const MAX_OUTCOMES = 64;
/** Most partial combinations tried on the way; several hash exchanges multiply quickly. */
const MAX_EXPLORED = 160;

/** What the broker may route to, once every consistent-hash exchange on the way picks. */
export interface HashOutcomes {
  /** Queues reached whatever the picks. */
  queues: string[];
  /** Every set of queues the picks may lead to; absent when there are too many to list. */
  outcomes?: string[][];
  hashChoices: {
    exchange: string;
    queues: string[];
    options: { destination: string; destinationType: 'queue' | 'exchange'; queues: string[] }[];
  }[];
  /** Set when the consistent-hash exchanges on the way leave too many combinations to list. */
  tooManyOutcomes?: boolean;
}

interface Outcome {
  queues: Set<string>;
  picks: Map<string, Destination>;
}

/** Lists what the broker may do once consistent-hash exchanges each pick one destination. */
export function withOutcomes(
  compiled: CompiledTopology,
  start: CompiledExchange,
  decisions: Decisions,
  hops: ExchangeHop[],
  unpicked: string[],
): HashOutcomes {
  const choosing = hops.filter((h) => (h.hashCandidates?.length ?? 0) > 1);
  const only = choosing.length === 1 ? choosing[0] : undefined;
  if (only?.hashCandidates?.every((c) => c.destinationType === 'queue')) {
    // The common case: one consistent-hash exchange picking among queues; each pick adds one.
    const certain = [...unpicked].sort();
    const sure = new Set(certain);
    const distinct = new Map<string, string[]>();
    for (const c of only.hashCandidates) {
      const list = sure.has(c.destination) ? certain : [...certain, c.destination].sort();
      distinct.set(list.join('\u0000'), list);
    }
    const keys = [...distinct.keys()].sort();
    return {
      queues: certain,
      outcomes: keys.map((k) => distinct.get(k) as string[]),
      hashChoices: [
        {
          exchange: only.exchange,
          queues: only.hashCandidates.map((c) => c.destination).sort(),
          options: only.hashCandidates.map((c) => ({
            destination: c.destination,
            destinationType: c.destinationType,
            queues: sure.has(c.destination) ? [] : [c.destination],
          })),
        },
      ],
    };
  }
  const outcomes: Outcome[] = [];
  // Every consistent-hash exchange the message may reach multiplies the combinations.
  let combinations = 1;
  for (const hop of hops) combinations *= Math.max(1, hop.hashCandidates?.length ?? 1);
  let tooMany = combinations > MAX_OUTCOMES;
  let explored = 0;
  const explore = (picks: Map<string, Destination>) => {
    if (tooMany) return;
    if (++explored > MAX_EXPLORED) {
      tooMany = true;
      return;
    }
    const queues = new Set<string>();
    const seen = new Set<string>([start.name]);
    const stack = [start];
    let pending: Decision | undefined;
    while (stack.length > 0) {
      const x = stack.pop() as CompiledExchange;
      const d = decisions.of(x);
      const next: Destination[] = [...d.destinations];
      if (d.alternate !== undefined) next.push({ type: 'exchange', name: d.alternate });
      if (d.choice) {
        const pick = picks.get(x.name);
        if (pick) next.push(pick);
        else pending ??= d;
      }
      for (const dest of next) {
        if (dest.type === 'queue') queues.add(dest.name);
        else if (!seen.has(dest.name)) {
          seen.add(dest.name);
          const target = compiled.exchanges.get(dest.name);
          if (target) stack.push(target);
        }
      }
    }
    if (pending?.choice) {
      for (const option of pending.choice) {
        const more = new Map(picks);
        more.set(pending.exchange.name, option);
        explore(more);
      }
      return;
    }
    if (outcomes.length >= MAX_OUTCOMES) tooMany = true;
    else outcomes.push({ queues, picks });
  };
  if (!tooMany) explore(new Map());

  const hashChoices: HashOutcomes['hashChoices'] = [];
  if (tooMany) {
    // Without the combinations, only what the walk reached with no pick on the way is certain.
    const queues = [...unpicked].sort();
    for (const hop of hops) {
      if (!hop.hashCandidates || hop.hashCandidates.length < 2) continue;
      hashChoices.push({ exchange: hop.exchange, queues: candidateQueues(hop), options: [] });
    }
    return { queues, hashChoices, tooManyOutcomes: true };
  }

  const certain = intersect(outcomes.map((o) => o.queues));
  for (const hop of hops) {
    if (!hop.hashCandidates || hop.hashCandidates.length < 2) continue;
    const options = hop.hashCandidates.map((c) => {
      const withPick = outcomes.filter((o) => {
        const pick = o.picks.get(hop.exchange);
        return pick?.name === c.destination && pick.type === c.destinationType;
      });
      const adds =
        withPick.length === 0 ? new Set<string>() : intersect(withPick.map((o) => o.queues));
      return {
        destination: c.destination,
        destinationType: c.destinationType,
        queues: [...adds].filter((q) => !certain.has(q)).sort(),
      };
    });
    hashChoices.push({ exchange: hop.exchange, queues: candidateQueues(hop), options });
  }
  const distinct = new Map<string, string[]>();
  for (const o of outcomes) {
    const list = [...o.queues].sort();
    distinct.set(list.join('\u0000'), list);
  }
  const keys = [...distinct.keys()].sort();
  return {
    queues: [...certain].sort(),
    outcomes: keys.map((k) => distinct.get(k) as string[]),
    hashChoices,
  };
}

/** The queues on a consistent-hash exchange's ring (not the exchanges), sorted. */
function candidateQueues(hop: ExchangeHop): string[] {
  return (hop.hashCandidates ?? [])
    .filter((c) => c.destinationType === 'queue')
    .map((c) => c.destination)
    .sort();
}

function intersect(sets: Set<string>[]): Set<string> {
  const [first, ...rest] = sets;
  if (!first) return new Set();
  return new Set([...first].filter((q) => rest.every((s) => s.has(q))));
}
