import type { Kysely } from 'kysely';
import type { StoreTables } from './schema';

/** A server of the directory, as the store last heard of it. */
export interface ServerEntry {
  id: string;
  url: string;
  peerTokenHash: string;
  seenAt: Date;
}

/**
 * The servers sharing the store, and which of them runs each session. Times are ISO 8601 text,
 * compared as text (the same on SQLite and PostgreSQL).
 */
export class ServerStore {
  constructor(private readonly db: Kysely<StoreTables>) {}

  /** Says that server `id` is alive now, at `url`. */
  async beat(
    entry: { id: string; url: string; peerTokenHash: string },
    now: Date,
    startedAt: Date,
  ): Promise<void> {
    const seen = now.toISOString();
    await this.db
      .insertInto('servers')
      .values({
        id: entry.id,
        url: entry.url,
        peer_token_hash: entry.peerTokenHash,
        started_at: startedAt.toISOString(),
        seen_at: seen,
      })
      .onConflict((conflict) =>
        conflict.column('id').doUpdateSet({
          url: entry.url,
          peer_token_hash: entry.peerTokenHash,
          started_at: startedAt.toISOString(),
          seen_at: seen,
        }),
      )
      .execute();
  }

  /** Every server that said it was alive at or after `since`. */
  async seenSince(since: Date): Promise<ServerEntry[]> {
    const rows = await this.db
      .selectFrom('servers')
      .selectAll()
      .where('seen_at', '>=', since.toISOString())
      .execute();
    return rows.map((row) => ({
      id: row.id,
      url: row.url,
      peerTokenHash: row.peer_token_hash,
      seenAt: new Date(row.seen_at),
    }));
  }

  async get(id: string): Promise<ServerEntry | undefined> {
    const row = await this.db
      .selectFrom('servers')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row
      ? {
          id: row.id,
          url: row.url,
          peerTokenHash: row.peer_token_hash,
          seenAt: new Date(row.seen_at),
        }
      : undefined;
  }

  /**
   * Forgets the servers not heard of since `before` (killed, never restarted) and which sessions
   * they ran: those ended with them. Answers how many servers were forgotten.
   */
  async forgetSilent(before: Date): Promise<number> {
    const gone = await this.db
      .deleteFrom('servers')
      .where('seen_at', '<', before.toISOString())
      .returning('id')
      .execute();
    if (gone.length === 0) return 0;
    await this.db
      .deleteFrom('session_owners')
      .where(
        'server_id',
        'in',
        gone.map((row) => row.id),
      )
      .execute();
    return gone.length;
  }

  /** A server that stops cleanly leaves the directory. */
  async forget(id: string): Promise<void> {
    await this.db.deleteFrom('servers').where('id', '=', id).execute();
  }

  async setOwner(sessionId: string, serverId: string, now: Date): Promise<void> {
    await this.db
      .insertInto('session_owners')
      .values({ session_id: sessionId, server_id: serverId, created_at: now.toISOString() })
      .onConflict((conflict) => conflict.column('session_id').doUpdateSet({ server_id: serverId }))
      .execute();
  }

  async ownerOf(sessionId: string): Promise<string | undefined> {
    // A kept session's lease names the server observing it now (also after a restart, which
    // writes no session_owners row); session_owners covers sessions that are not kept.
    const lease = await this.db
      .selectFrom('sessions')
      .select('owner')
      .where('id', '=', sessionId)
      .executeTakeFirst();
    if (lease?.owner) return lease.owner;
    const row = await this.db
      .selectFrom('session_owners')
      .select('server_id')
      .where('session_id', '=', sessionId)
      .executeTakeFirst();
    return row?.server_id;
  }

  async dropOwner(sessionId: string, serverId: string): Promise<void> {
    await this.db
      .deleteFrom('session_owners')
      .where('session_id', '=', sessionId)
      .where('server_id', '=', serverId)
      .execute();
  }
}
