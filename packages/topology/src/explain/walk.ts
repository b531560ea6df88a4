import type { CompiledExchange, CompiledTopology } from './compiled';
import type { QueueReach } from './context';
import { Decisions } from './decisions';
import type { Decision, Destination, RoutingMessage } from './exchange-types';
import { withOutcomes, type HashOutcomes } from './hash-outcomes';
import type { ExchangeHop, HopVia } from './types';

const quote = (s: string) => `'${s}'`;

export interface Walk extends HashOutcomes {
  hops: ExchangeHop[];
  /** Every queue the message may reach, in the order the walk found them. */
  reached: QueueReach[];
  /**
   * Names the first exchange routed to that no queue has (the default exchange's routing keys),
   * which the broker lists in `routed_queues` all the same.
   */
  unknownQueues?: string[];
}

/** An exchange on the work list: how the message came, by which exchanges, after which pick. */
interface Visit {
  x: CompiledExchange;
  via: HopVia;
  path: string[];
  /** The consistent-hash exchange whose pick leads here, if any. */
  hash: string | undefined;
}

interface WalkState {
  compiled: CompiledTopology;
  reached: QueueReach[];
  /** For each reached queue, the consistent-hash exchange whose pick it depends on. */
  reachHash: (string | undefined)[];
  /** This walk's number, for the marks it leaves on exchanges and queues. */
  walk: number;
  work: Visit[];
}

/** Takes one destination of an exchange: a queue is reached, an exchange goes on the work list. */
function follow(
  state: WalkState,
  d: Decision,
  path: string[],
  dest: Destination,
  nextVia: HopVia,
  destHash: string | undefined,
): void {
  if (dest.type === 'queue') {
    const queue = state.compiled.queues.get(dest.name);
    // Bindings only lead to queues of the diagram (the default exchange's names are its own).
    if (!queue) return;
    if (queue.reachedIn === state.walk) {
      if (destHash === undefined) state.reachHash[queue.reachIndex] = undefined;
      return;
    }
    queue.reachedIn = state.walk;
    queue.reachIndex = state.reached.length;
    state.reached.push({ queue: dest.name, queueId: queue.queue.id, path });
    state.reachHash.push(destHash);
    return;
  }
  const target = state.compiled.exchanges.get(dest.name);
  // A missing exchange (an alternate exchange nobody declared) routes nothing.
  if (!target) return;
  if (target.visitedIn === state.walk) {
    d.notes.push(
      `${quote(dest.name)} was already visited; the broker passes a message through each exchange at most once.`,
    );
    return;
  }
  target.visitedIn = state.walk;
  state.work.push({ x: target, via: nextVia, path: [...path, dest.name], hash: destHash });
}

/**
 * Follows the message from `start` as rabbit_exchange:route/2 does: each exchange is visited
 * at most once, an exchange whose bindings match nothing hands the message to its alternate
 * exchange, and queues are collected without duplicates.
 */
export function walk(
  compiled: CompiledTopology,
  start: CompiledExchange,
  message: RoutingMessage,
): Walk {
  const walkNumber = ++compiled.walks;
  const decisions = new Decisions(compiled, message, walkNumber);
  start.visitedIn = walkNumber;
  const hops: ExchangeHop[] = [];
  const hopHash: (string | undefined)[] = [];
  const state: WalkState = {
    compiled,
    reached: [],
    reachHash: [],
    walk: walkNumber,
    // The broker pushes new exchanges on the front of its work list: a stack, in its order.
    work: [{ x: start, via: { kind: 'publish' }, path: [start.name], hash: undefined }],
  };
  const { reached, reachHash, work } = state;
  let anyChoice = false;
  let unknownQueues: string[] | undefined;
  while (work.length > 0) {
    const { x, via, path, hash } = work.pop() as Visit;
    const d = decisions.of(x);
    const hop: ExchangeHop = {
      exchange: x.name,
      type: x.type,
      via,
      bindings: d.verdicts,
      notes: d.notes,
    };
    if (x.candidates) hop.hashCandidates = x.candidates;
    // rabbit_exchange:route/2 names queues without looking only for the exchange it is given;
    // further on, the default exchange routes by its bindings like a direct exchange.
    if (x === start && d.unknownQueues) unknownQueues = d.unknownQueues;
    hops.push(hop);
    hopHash.push(hash);
    if (d.choice) anyChoice = true;

    if (d.alternate !== undefined) {
      hop.alternate = d.alternate;
      const source = x.alternate?.source;
      const from = source?.from === 'policy' ? ` (set by policy '${source.policy}')` : '';
      d.notes.push(
        compiled.exchanges.has(d.alternate)
          ? `No binding matched, so the message goes to the alternate exchange ${quote(d.alternate)}${from}.`
          : `No binding matched, and the alternate exchange ${quote(d.alternate)}${from} does not exist, so the message goes nowhere from here.`,
      );
      follow(
        state,
        d,
        path,
        { type: 'exchange', name: d.alternate },
        { kind: 'alternate', from: x.name },
        hash,
      );
    } else if (d.destinations.length === 0 && d.choice === undefined && x.type !== 'default') {
      d.notes.push(
        x.bindings.length === 0
          ? `${quote(x.name)} has no bindings, and no alternate exchange, so the message goes nowhere from here.`
          : `No binding matched, and ${quote(x.name)} has no alternate exchange, so the message goes nowhere from here.`,
      );
    }
    for (const dest of d.destinations) follow(state, d, path, dest, bindingVia(x.name, dest), hash);
    if (d.choice)
      for (const dest of d.choice)
        follow(state, d, path, dest, bindingVia(x.name, dest), hash ?? x.name);
  }

  if (!anyChoice) {
    const queues =
      reached.length === 1 ? [reached[0]?.queue as string] : reached.map((r) => r.queue).sort();
    return { hops, reached, queues, hashChoices: [], ...(unknownQueues ? { unknownQueues } : {}) };
  }

  // Exchanges reached whatever the consistent-hash exchanges pick are not marked as conditional.
  const certain = new Set<string>([start.name]);
  const stack = [start];
  while (stack.length > 0) {
    const d = decisions.of(stack.pop() as CompiledExchange);
    for (const name of d.alternate === undefined ? [] : [d.alternate]) reachCertain(name);
    for (const dest of d.destinations) if (dest.type === 'exchange') reachCertain(dest.name);
  }
  function reachCertain(name: string): void {
    if (certain.has(name)) return;
    certain.add(name);
    const target = compiled.exchanges.get(name);
    if (target) stack.push(target);
  }
  hops.forEach((hop, i) => {
    const hash = hopHash[i];
    if (hash !== undefined && !certain.has(hop.exchange)) hop.viaHashChoice = hash;
  });
  const unpicked = reached.filter((_, i) => reachHash[i] === undefined).map((r) => r.queue);
  const result = withOutcomes(compiled, start, decisions, hops, unpicked);
  const sure = new Set(result.queues);
  reached.forEach((reach, i) => {
    const hash = reachHash[i];
    if (hash !== undefined && !sure.has(reach.queue)) reach.viaHashChoice = hash;
  });
  return { ...result, hops, reached, ...(unknownQueues ? { unknownQueues } : {}) };
}

function bindingVia(from: string, dest: Destination): HopVia {
  return dest.bindingId === undefined
    ? { kind: 'binding', from }
    : { kind: 'binding', from, bindingId: dest.bindingId };
}
