import type { ExpressionBuilder, Kysely } from 'kysely';
import type { ConsumerStatus, ConsumerTally, ProducerTally } from '@warren/protocol';
import type { CounterSnapshot, Topology } from '@warren/topology';
import type { SessionRow, StoreTables } from './schema';

/**
 * Running sessions as the store keeps them, for a restarted server (or, once a lease ran out,
 * another server) to rebuild: identity, diagram, what ran in it, counters, and who observes it.
 */

export interface KeptRuntime {
  producers: string[];
  consumers: Record<string, ConsumerStatus>;
  /** Producer id → its own counters, as last saved. */
  producerCounts?: Record<string, ProducerTally>;
  /** Consumer id → its own counters, as last saved. */
  consumerCounts?: Record<string, ConsumerTally>;
  /** Ids of the lesson's steps done, as last saved. */
  lessonDone?: string[];
}

export interface KeptSession {
  id: string;
  vhost: string;
  user: string;
  password: string;
  editTokenHash: string;
  createdAt: Date;
  lastActivity: number;
  diagram?: { id: string; revision: number };
  lessonId?: string;
  topology: Topology;
  runtime: KeptRuntime;
  counters?: CounterSnapshot;
  owner?: string;
  leaseUntil?: Date;
}

/** A session `owner` may take: held by nobody, already its own, or its lease run out. */
function leaseFree(eb: ExpressionBuilder<StoreTables, 'sessions'>, owner: string, now: Date) {
  return eb.or([
    eb('owner', 'is', null),
    eb('owner', '=', owner),
    eb('lease_until', 'is', null),
    eb('lease_until', '<', now.toISOString()),
  ]);
}

function keptOf(row: SessionRow): KeptSession {
  return {
    id: row.id,
    vhost: row.vhost,
    user: row.broker_user,
    password: row.broker_password,
    editTokenHash: row.edit_token_hash,
    createdAt: new Date(row.created_at),
    lastActivity: Date.parse(row.last_activity_at),
    ...(row.diagram_id !== null && row.diagram_revision !== null
      ? { diagram: { id: row.diagram_id, revision: Number(row.diagram_revision) } }
      : {}),
    ...(row.lesson_id !== null ? { lessonId: row.lesson_id } : {}),
    topology: JSON.parse(row.topology) as Topology,
    runtime: JSON.parse(row.runtime) as KeptRuntime,
    ...(row.counters !== null ? { counters: JSON.parse(row.counters) as CounterSnapshot } : {}),
    ...(row.owner !== null ? { owner: row.owner } : {}),
    ...(row.lease_until !== null ? { leaseUntil: new Date(row.lease_until) } : {}),
  };
}

export class SessionStore {
  constructor(private readonly db: Kysely<StoreTables>) {}

  async insert(session: KeptSession): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        id: session.id,
        vhost: session.vhost,
        broker_user: session.user,
        broker_password: session.password,
        edit_token_hash: session.editTokenHash,
        created_at: session.createdAt.toISOString(),
        last_activity_at: new Date(session.lastActivity).toISOString(),
        diagram_id: session.diagram?.id ?? null,
        diagram_revision: session.diagram?.revision ?? null,
        lesson_id: session.lessonId ?? null,
        topology: JSON.stringify(session.topology),
        runtime: JSON.stringify(session.runtime),
        counters: session.counters ? JSON.stringify(session.counters) : null,
        owner: session.owner ?? null,
        lease_until: session.leaseUntil?.toISOString() ?? null,
      })
      .execute();
  }

  async saveState(id: string, topology: Topology, runtime: KeptRuntime): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ topology: JSON.stringify(topology), runtime: JSON.stringify(runtime) })
      .where('id', '=', id)
      .execute();
  }

  async saveRuntime(id: string, runtime: KeptRuntime): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ runtime: JSON.stringify(runtime) })
      .where('id', '=', id)
      .execute();
  }

  /** Several sessions' counters in one transaction (one sync to disk on SQLite). */
  async saveCounters(
    rows: {
      id: string;
      counters: CounterSnapshot;
      lastActivity: number;
      runtime: KeptRuntime;
    }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const row of rows) {
        await trx
          .updateTable('sessions')
          .set({
            counters: JSON.stringify(row.counters),
            runtime: JSON.stringify(row.runtime),
            last_activity_at: new Date(row.lastActivity).toISOString(),
          })
          .where('id', '=', row.id)
          .execute();
      }
    });
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  async ids(): Promise<string[]> {
    const rows = await this.db.selectFrom('sessions').select('id').execute();
    return rows.map((r) => r.id);
  }

  async claimable(owner: string, now: Date): Promise<KeptSession[]> {
    const rows = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where((eb) => leaseFree(eb, owner, now))
      .orderBy('created_at')
      .execute();
    return rows.map(keptOf);
  }

  async takeLease(id: string, owner: string, until: Date, now: Date): Promise<boolean> {
    // One statement: of two servers taking the same expired lease, one updates the row.
    const result = await this.db
      .updateTable('sessions')
      .set({ owner, lease_until: until.toISOString() })
      .where('id', '=', id)
      .where((eb) => leaseFree(eb, owner, now))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async renewLeases(owner: string, ids: string[], until: Date): Promise<string[]> {
    if (ids.length === 0) return [];
    await this.db
      .updateTable('sessions')
      .set({ lease_until: until.toISOString() })
      .where('owner', '=', owner)
      .where('id', 'in', ids)
      .execute();
    const held = await this.db
      .selectFrom('sessions')
      .select('id')
      .where('owner', '=', owner)
      .where('id', 'in', ids)
      .execute();
    return held.map((r) => r.id);
  }

  async releaseLeases(owner: string): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ lease_until: new Date(0).toISOString() })
      .where('owner', '=', owner)
      .execute();
  }
}
