import type { ConsumerStatus, ConsumerTally, ProducerTally } from '@warren/protocol';
import type { CounterSnapshot, Topology } from '@warren/topology';

/** Which of a session's producers were sending, and what each consumer was doing. */
export interface SessionRuntimeState {
  /** Ids of the producers that were running. */
  producers: string[];
  /** Consumer id → its status. */
  consumers: Record<string, ConsumerStatus>;
  /** Producer id → its own counters (sent, confirmed…), which go on after a restart. */
  producerCounts?: Record<string, ProducerTally>;
  /** Consumer id → its own counters (received, acked…), which go on after a restart. */
  consumerCounts?: Record<string, ConsumerTally>;
  /** Ids of the lesson's steps done, when the session runs a lesson. */
  lessonDone?: string[];
}

/** Everything a server needs to rebuild a session it did not create (or created before a restart). */
export interface SessionRecord {
  id: string;
  vhost: string;
  user: string;
  password: string;
  editTokenHash: string;
  createdAt: Date;
  /** Milliseconds since the epoch, as Date.now(). */
  lastActivity: number;
  diagram?: { id: string; revision: number };
  lessonId?: string;
  topology: Topology;
  runtime: SessionRuntimeState;
  counters?: CounterSnapshot;
  /** The server observing it, and until when its lease holds. */
  owner?: string;
  leaseUntil?: Date;
}

/** What a session's counters save writes. */
export interface CountersRow {
  id: string;
  counters: CounterSnapshot;
  /** Milliseconds since the epoch, as Date.now(). */
  lastActivity: number;
  runtime: SessionRuntimeState;
}

/**
 * Where sessions are kept between restarts (the store). Every change a client is told about is
 * written first, so an acknowledged change survives the server being killed right after.
 */
export interface SessionRecords {
  insert(record: SessionRecord): Promise<void>;
  /** The diagram and what runs in it, after an apply or an outside change. */
  saveState(id: string, topology: Topology, runtime: SessionRuntimeState): Promise<void>;
  saveRuntime(id: string, runtime: SessionRuntimeState): Promise<void>;
  /**
   * The counters, last activity and what runs (with producers' and consumers' own counts) of
   * several sessions, in one transaction: one write to disk however many sessions changed.
   */
  saveCounters(rows: CountersRow[]): Promise<void>;
  delete(id: string): Promise<void>;
  /** Ids of every kept session, whoever observes it. */
  ids(): Promise<string[]>;
  /** Sessions `owner` may take: its own, and those whose lease ran out (or that have none). */
  claimable(owner: string, now: Date): Promise<SessionRecord[]>;
  /** Takes (or keeps) the lease of one session; false when another server holds it. */
  takeLease(id: string, owner: string, until: Date, now: Date): Promise<boolean>;
  /** Extends the leases `owner` holds on `ids`; says which it still holds. */
  renewLeases(owner: string, ids: string[], until: Date): Promise<string[]>;
  /** Gives up `owner`'s leases at once (a clean shutdown), so another server need not wait. */
  releaseLeases(owner: string): Promise<void>;
}
