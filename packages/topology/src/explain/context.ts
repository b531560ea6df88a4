import type { CompiledQueue, CompiledTopology } from './compiled';
import type { ExplainMessage, Explanation, LaterFate } from './types';

/**
 * The state of one explanation in progress, shared by the route (explain.ts) and the fates in
 * the queues (fates.ts, dead-letter.ts). A fate that dead-letters the message asks for the
 * copy's route through `explainCopy`, so the fates never import the route back.
 */

export type DeathReason = LaterFate['reason'];

/** One dead-lettering, as the broker records it in the `x-death` header. */
export interface Death {
  queue: string;
  reason: DeathReason;
  count: number;
  exchange: string;
  routingKeys: string[];
  originalExpiration?: string;
}

/** How the explainer got to this message: published by a client, or dead-lettered by a queue. */
export interface ExplainLevel {
  /** 0 for a publish; n for a copy dead-lettered n times. */
  depth: number;
  /** Dead-letter hops so far, most recent first, as the broker keeps them in `x-death`. */
  deaths: Death[];
  /** The routing keys of a dead-lettered copy (its own, CC and BCC included). */
  routingKeys?: string[];
}

export interface ExplainContext {
  compiled: CompiledTopology;
  maxDepth: number;
  maxRoutes: number;
  /**
   * Explains a dead-lettered copy from its dead-letter exchange on; queues it would cycle back
   * to are left out and listed in `cycle`.
   */
  explainCopy(
    message: ExplainMessage,
    level: ExplainLevel,
    work: RouteWork,
    cycle: string[],
  ): Explanation;
}

/** A queue the message reaches, and the exchanges it went through to get there. */
export interface QueueReach {
  queue: string;
  queueId?: string;
  path: string[];
  viaHashChoice?: string;
}

/** Dead-letter routes waiting to be worked out, nearest first, within one explanation. */
export interface RouteWork {
  pending: PendingRoute[];
  budget: number;
}

/** Where a fate takes the message, and the dead-letter route still to work out, if any. */
export interface Target {
  /** Follows "it": "is dead-lettered to 'dlx' ...", "is dropped ...". */
  text: string;
  deadLetter?: NonNullable<LaterFate['deadLetter']>;
  /** The dead-letter route still to work out, when there is one to follow. */
  follow?: FollowUp;
}

/** Everything needed to explain a dead-lettered copy later. */
export interface FollowUp {
  context: ExplainContext;
  message: ExplainMessage;
  queue: CompiledQueue;
  reason: DeathReason;
  level: ExplainLevel;
  work: RouteWork;
  keys: string[];
  override: boolean;
}

/** A dead-letter route waiting its turn, and the fate whose text it completes. */
export interface PendingRoute {
  fate: LaterFate;
  target: Target;
  before: string;
  after: string;
}
