import type { CompiledBinding, CompiledExchange, CompiledTopology } from './compile';
import { headersMatch } from './headers';
import { topicMatch, topicReason, topicSteps, topicWords } from './topic';
import type { BindingVerdict, ExchangeHop, HopVia } from './types';

/** The parts of a message routing looks at. */
export interface RoutingMessage {
  /** The routing key first, then the keys of the CC and BCC headers. */
  routingKeys: string[];
  headers: Record<string, unknown> | undefined;
}

export interface Destination {
  type: 'queue' | 'exchange';
  name: string;
  bindingId?: string;
}

/** What one exchange does with the message, whichever way the message came. */
export interface Decision {
  exchange: CompiledExchange;
  verdicts: BindingVerdict[];
  /** Destinations it certainly routes to. */
  destinations: Destination[];
  /** Consistent-hash with several destinations on the ring: exactly one of these. */
  choice?: Destination[];
  /** Its alternate exchange takes the message: no binding matched. */
  alternate?: string;
  notes: string[];
}

const quote = (s: string) => `'${s}'`;
const quoteAll = (list: readonly string[]) => list.map(quote).join(', ');

function destinationOf(b: CompiledBinding): Destination {
  return { type: b.binding.destinationType, name: b.binding.destination, bindingId: b.binding.id };
}

function verdictOf(b: CompiledBinding, matched: boolean, reason: string): BindingVerdict {
  return {
    bindingId: b.binding.id,
    source: b.binding.source,
    destination: b.binding.destination,
    destinationType: b.binding.destinationType,
    routingKey: b.binding.routingKey,
    matched,
    reason,
  };
}

/** Runs one exchange's own matching (rabbit_exchange_type_*:route) and records every verdict. */
export function decide(
  compiled: CompiledTopology,
  exchange: CompiledExchange,
  message: RoutingMessage,
): Decision {
  const verdicts: BindingVerdict[] = [];
  const destinations: Destination[] = [];
  const notes: string[] = [];
  const decision: Decision = { exchange, verdicts, destinations, notes };
  const keys = message.routingKeys;
  const key = keys[0] ?? '';
  switch (exchange.type) {
    case 'default':
      defaultRoute(compiled, message, decision);
      break;
    case 'fanout':
      for (const b of exchange.bindings) {
        if (b.refused !== undefined) {
          verdicts.push(verdictOf(b, false, refusedReason(b)));
          continue;
        }
        verdicts.push(
          verdictOf(
            b,
            true,
            'A fanout exchange sends every message to all its bindings; the routing key does not matter',
          ),
        );
        destinations.push(destinationOf(b));
      }
      break;
    case 'direct': {
      for (const b of exchange.bindings) {
        if (b.refused !== undefined) {
          verdicts.push(verdictOf(b, false, refusedReason(b)));
          continue;
        }
        const bindingKey = b.binding.routingKey;
        const matched = keys.length === 1 ? bindingKey === key : keys.includes(bindingKey);
        let reason: string;
        if (matched) reason = `binding key ${quote(bindingKey)} = routing key ${quote(bindingKey)}`;
        else if (keys.length > 1)
          reason = `binding key ${quote(bindingKey)} is none of the routing keys ${quoteAll(keys)}`;
        else reason = `binding key ${quote(bindingKey)} ≠ routing key ${quote(key)}`;
        verdicts.push(verdictOf(b, matched, reason));
        if (matched) destinations.push(destinationOf(b));
      }
      break;
    }
    case 'topic': {
      const words = keys.map(topicWords);
      for (const b of exchange.bindings) {
        const pattern = b.topic;
        if (b.refused !== undefined || !pattern) {
          verdicts.push(verdictOf(b, false, refusedReason(b)));
          continue;
        }
        let hit = -1;
        for (let i = 0; i < words.length; i++) {
          if (topicMatch(pattern, words[i] as string[])) {
            hit = i;
            break;
          }
        }
        const shown = hit >= 0 ? hit : 0;
        const steps = topicSteps(pattern, words[shown] ?? []);
        const verdict = verdictOf(
          b,
          hit >= 0,
          topicReason(pattern.text, keys[shown] ?? '', hit >= 0, steps),
        );
        verdict.topic = steps;
        verdicts.push(verdict);
        if (hit >= 0) destinations.push(destinationOf(b));
      }
      break;
    }
    case 'headers':
      for (const b of exchange.bindings) {
        if (!b.headers || (b.refused !== undefined && b.headers.invalid === undefined)) {
          verdicts.push(verdictOf(b, false, refusedReason(b)));
          continue;
        }
        const result = headersMatch(b.headers, message.headers);
        const verdict = verdictOf(b, result.matched, result.reason);
        verdict.headers = { mode: b.headers.mode, checks: result.checks };
        verdicts.push(verdict);
        if (result.matched) destinations.push(destinationOf(b));
      }
      break;
    case 'x-consistent-hash': {
      const ring = exchange.ring ?? [];
      const total = ring.reduce((sum, b) => sum + (b.weight ?? 0), 0);
      const subject =
        exchange.hashOn === 'the routing key' ? `the routing key ${quote(key)}` : exchange.hashOn;
      for (const b of exchange.bindings) {
        if (b.refused !== undefined) {
          verdicts.push(verdictOf(b, false, refusedReason(b)));
        } else if (b.duplicateOnRing === true) {
          verdicts.push(
            verdictOf(
              b,
              false,
              `${quote(b.binding.destination)} is already on the hash ring through an earlier binding; the broker ignores this one`,
            ),
          );
        } else if (ring.length === 1) {
          verdicts.push(
            verdictOf(b, true, `the only destination on the hash ring receives every message`),
          );
        } else {
          const verdict = verdictOf(
            b,
            false,
            `the broker hashes ${subject} and picks exactly one destination; this one holds ${b.weight} of ${total} buckets`,
          );
          verdict.candidate = true;
          verdicts.push(verdict);
        }
      }
      if (ring.length === 1) destinations.push(destinationOf(ring[0] as CompiledBinding));
      else if (ring.length > 1) decision.choice = ring.map(destinationOf);
      break;
    }
  }
  if (destinations.length === 0 && decision.choice === undefined && exchange.alternate)
    decision.alternate = exchange.alternate.name;
  return decision;
}

/**
 * The default exchange does not look at bindings: rabbit_exchange:route/2 turns each routing
 * key into the queue of that name, and a name no queue has is dropped at delivery.
 */
function defaultRoute(compiled: CompiledTopology, message: RoutingMessage, decision: Decision) {
  const keys =
    message.routingKeys.length > 1 ? [...new Set(message.routingKeys)].sort() : message.routingKeys;
  for (const key of keys) {
    if (key.startsWith('amq.rabbitmq.reply-to.')) {
      decision.notes.push(
        `${quote(key)} is a direct reply-to address: the broker hands the message to the client waiting for the reply.`,
      );
    } else if (compiled.queues.has(key)) {
      decision.verdicts.push({
        source: '',
        destination: key,
        destinationType: 'queue',
        routingKey: key,
        matched: true,
        reason: `the default exchange delivers to the queue named by the routing key, ${quote(key)}`,
      });
      decision.destinations.push({ type: 'queue', name: key });
    } else {
      decision.notes.push(
        key === ''
          ? `The routing key is empty, and the default exchange only delivers to the queue the routing key names, so the message goes nowhere.`
          : `The default exchange delivers to the queue the routing key names, and there is no queue ${quote(key)}, so the message goes nowhere.`,
      );
    }
  }
}

function refusedReason(b: CompiledBinding): string {
  return b.refused ?? 'the broker has no such binding';
}

/** A queue the message reaches, and the exchanges it went through to get there. */
export interface QueueReach {
  queue: string;
  queueId?: string;
  path: string[];
  viaHashChoice?: string;
}

export interface Walk {
  hops: ExchangeHop[];
  /** Every queue the message may reach, in the order the walk found them. */
  reached: QueueReach[];
  /** Queues certain to receive the message. */
  queues: string[];
  outcomes?: string[][];
  hashChoices: {
    exchange: string;
    queues: string[];
    options: { destination: string; destinationType: 'queue' | 'exchange'; queues: string[] }[];
  }[];
  /** Set when the consistent-hash exchanges on the way leave too many combinations to list. */
  tooManyOutcomes?: boolean;
}

/** Most combinations of consistent-hash picks listed before giving up on `outcomes`. */
const MAX_OUTCOMES = 64;
/** Most partial combinations tried on the way; several hash exchanges multiply quickly. */
const MAX_EXPLORED = 160;

/** Decisions already made for this message, one per exchange. */
class Decisions {
  constructor(
    private readonly compiled: CompiledTopology,
    private readonly message: RoutingMessage,
    private readonly walk: number,
  ) {}

  of(x: CompiledExchange): Decision {
    if (x.decidedIn === this.walk) return x.decision as Decision;
    const d = cachedDecision(this.compiled, x, this.message);
    x.decidedIn = this.walk;
    x.decision = d;
    return d;
  }
}

/** Decisions kept per exchange; beyond this many distinct messages the cache starts over. */
const DECISION_CACHE_SIZE = 512;

/**
 * An exchange decides the same way for every message that agrees on what it looks at, so the
 * verdicts are made once per routing key (or header values) and shared, frozen, by every
 * explanation; only the notes a walk adds are its own.
 */
function cachedDecision(
  compiled: CompiledTopology,
  x: CompiledExchange,
  message: RoutingMessage,
): Decision {
  const key = decisionKey(x, message);
  if (key === undefined) return decide(compiled, x, message);
  let cached = x.decisions.get(key) as Decision | undefined;
  if (cached === undefined) {
    cached = decide(compiled, x, message);
    for (const verdict of cached.verdicts) {
      if (verdict.topic) for (const step of verdict.topic) Object.freeze(step.words);
      if (verdict.headers) Object.freeze(verdict.headers.checks);
      Object.freeze(verdict);
    }
    Object.freeze(cached.verdicts);
    if (x.decisions.size >= DECISION_CACHE_SIZE) x.decisions.clear();
    x.decisions.set(key, cached);
  }
  return {
    exchange: x,
    verdicts: cached.verdicts,
    destinations: cached.destinations,
    ...(cached.choice ? { choice: cached.choice } : {}),
    ...(cached.alternate === undefined ? {} : { alternate: cached.alternate }),
    notes: cached.notes.slice(),
  };
}

/** What the exchange's decision depends on, as text; undefined when it cannot be put so. */
function decisionKey(x: CompiledExchange, message: RoutingMessage): string | undefined {
  const keys = message.routingKeys;
  switch (x.type) {
    case 'fanout':
      return '';
    case 'headers': {
      let key = '';
      for (const name of x.headerKeys ?? []) {
        const part = valueKey(message.headers?.[name]);
        if (part === undefined) return undefined;
        key += `${part}\u0001`;
      }
      return key;
    }
    default:
      return keys.length === 1 ? keys[0] : keys.join('\u0001');
  }
}

function valueKey(value: unknown): string | undefined {
  switch (typeof value) {
    case 'undefined':
      return '-';
    case 'string':
      return `s${value.length}:${value}`;
    case 'number':
      return `n${value}`;
    case 'boolean':
      return value ? 't' : 'f';
    default:
      try {
        return `j${JSON.stringify(value)}`;
      } catch {
        return undefined;
      }
  }
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
    // Bindings only lead to queues of the diagram; the default exchange checks before routing.
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
    return { hops, reached, queues, hashChoices: [] };
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
  return { ...result, reached };
}

function bindingVia(from: string, dest: Destination): HopVia {
  return dest.bindingId === undefined
    ? { kind: 'binding', from }
    : { kind: 'binding', from, bindingId: dest.bindingId };
}

interface Outcome {
  queues: Set<string>;
  picks: Map<string, Destination>;
}

/** Lists what the broker may do once consistent-hash exchanges each pick one destination. */
function withOutcomes(
  compiled: CompiledTopology,
  start: CompiledExchange,
  decisions: Decisions,
  hops: ExchangeHop[],
  unpicked: string[],
): Omit<Walk, 'reached'> {
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
      hops,
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

  const hashChoices: Walk['hashChoices'] = [];
  if (tooMany) {
    // Without the combinations, only what the walk reached with no pick on the way is certain.
    const queues = [...unpicked].sort();
    for (const hop of hops) {
      if (!hop.hashCandidates || hop.hashCandidates.length < 2) continue;
      hashChoices.push({
        exchange: hop.exchange,
        queues: hop.hashCandidates
          .filter((c) => c.destinationType === 'queue')
          .map((c) => c.destination)
          .sort(),
        options: [],
      });
    }
    return { hops, queues, hashChoices, tooManyOutcomes: true };
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
    hashChoices.push({
      exchange: hop.exchange,
      queues: hop.hashCandidates
        .filter((c) => c.destinationType === 'queue')
        .map((c) => c.destination)
        .sort(),
      options,
    });
  }
  const distinct = new Map<string, string[]>();
  for (const o of outcomes) {
    const list = [...o.queues].sort();
    distinct.set(list.join('\u0000'), list);
  }
  const keys = [...distinct.keys()].sort();
  return {
    hops,
    queues: [...certain].sort(),
    outcomes: keys.map((k) => distinct.get(k) as string[]),
    hashChoices,
  };
}

function intersect(sets: Set<string>[]): Set<string> {
  const [first, ...rest] = sets;
  if (!first) return new Set();
  return new Set([...first].filter((q) => rest.every((s) => s.has(q))));
}
