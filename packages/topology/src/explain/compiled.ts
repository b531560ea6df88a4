import type { SettingSource } from '../arguments';
import type { Binding, ExchangeType, Queue, Topology } from '../model';
import type { HeadersPattern } from './exchange-types/headers-pattern';
import type { TopicPattern } from './exchange-types/topic-pattern';

/**
 * A topology prepared for explaining many messages: exchanges by name with their bindings read
 * by their exchange type, queues with their effective settings. What compileTopology builds.
 */

export interface CompiledBinding {
  binding: Binding;
  /** Why the broker would not have this binding at all; such a binding routes nothing. */
  refused?: string;
  topic?: TopicPattern;
  headers?: HeadersPattern;
  /** Consistent-hash: the weight (the binding key as a whole number). */
  weight?: number;
  /** Consistent-hash: its destination is already on the ring through an earlier binding. */
  duplicateOnRing?: boolean;
}

export interface CompiledExchange {
  name: string;
  id?: string;
  type: ExchangeType | 'default';
  internal: boolean;
  builtIn: boolean;
  alternate?: { name: string; source: SettingSource };
  /** The arguments it is declared with (built-in exchanges have none). */
  arguments?: Record<string, unknown>;
  bindings: CompiledBinding[];
  /** Consistent-hash exchanges: the destinations on the ring, one binding each, in order. */
  ring?: CompiledBinding[];
  /** The ring as explanations show it (shared by every explanation; read-only). */
  candidates?: { destination: string; destinationType: 'queue' | 'exchange'; weight: number }[];
  /** Consistent-hash exchanges: what the broker hashes, in words. */
  hashOn?: string;
  /**
   * Scratch space of the walk in progress (walks never overlap): the walk's number when this
   * exchange was decided or visited, so that a walk needs no maps or sets of its own.
   */
  decidedIn: number;
  decision?: unknown;
  visitedIn: number;
  /**
   * What this exchange decided for the messages seen so far, by what it looks at (routing
   * keys, or the header values its bindings compare); the verdicts in it are shared, frozen.
   */
  decisions: Map<string, unknown>;
  /** Headers exchanges: every header name a binding compares, for the decision cache key. */
  headerKeys?: string[];
}

export type OverflowMode = 'drop-head' | 'reject-publish' | 'reject-publish-dlx';

/** What a queue does with messages once policies are applied, as the queue process reads it. */
export interface QueueSettings {
  type: string;
  ttl?: { ms: number; source: SettingSource };
  maxLength?: { value: number; source: SettingSource };
  maxBytes?: { value: number; source: SettingSource };
  overflow: { mode: OverflowMode; source?: SettingSource; note?: string };
  deadLetterExchange?: { name: string; source: SettingSource };
  deadLetterRoutingKey?: { key: string; source: SettingSource };
}

export interface CompiledQueue {
  queue: Queue;
  settings: QueueSettings;
  /** Scratch space of the walk in progress: when it reached this queue, and as which. */
  reachedIn: number;
  reachIndex: number;
}

export interface CompiledTopology {
  topology: Topology;
  exchanges: Map<string, CompiledExchange>;
  queues: Map<string, CompiledQueue>;
  /** Counts walks; see CompiledExchange.decidedIn. */
  walks: number;
}
