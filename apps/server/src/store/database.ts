import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations';
import type { StoreTables } from './schema';

/**
 * Warren's store: SQLite in a data folder by default (nothing to install), PostgreSQL when a
 * `postgres://` URL is given, so several servers can share one store. One query layer (Kysely)
 * over both; the migrations run when the store opens.
 */

export type StoreKind = 'sqlite' | 'postgres';

export interface StoreLocation {
  /** `postgres://…`: PostgreSQL. Otherwise SQLite in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
}

export interface Database {
  readonly db: Kysely<StoreTables>;
  readonly kind: StoreKind;
  /** Where it is, for logs: the SQLite file, or the PostgreSQL URL without its password. */
  readonly where: string;
  close(): Promise<void>;
}

export const SQLITE_FILE = 'warren.sqlite';

/** The store cannot be opened: the server says where and why, and does not start. */
export class StoreOpenError extends Error {
  constructor(where: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : 'unknown error';
    super(`cannot open the saved-diagrams store (${where}): ${reason}`);
    this.name = 'StoreOpenError';
  }
}

export async function openDatabase(location: StoreLocation): Promise<Database> {
  let database: Database;
  try {
    database = location.databaseUrl
      ? postgres(location.databaseUrl)
      : sqlite(resolve(location.dataDir));
  } catch (error) {
    throw new StoreOpenError(location.databaseUrl ?? location.dataDir, error);
  }
  try {
    await migrate(database.db);
  } catch (error) {
    await database.close();
    throw new StoreOpenError(database.where, error);
  }
  return database;
}

function sqlite(dataDir: string): Database {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, SQLITE_FILE);
  const connection = new SQLite(file);
  // WAL: readers never wait for a writer. FULL: a write that was answered survives a crash of
  // the machine, not only of the process. The foreign keys delete a diagram's revisions with it.
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = FULL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  const db = new Kysely<StoreTables>({ dialect: new SqliteDialect({ database: connection }) });
  return { db, kind: 'sqlite', where: file, close: () => db.destroy() };
}

function postgres(databaseUrl: string): Database {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  // An idle client losing its connection must not take the server down; the next query reconnects.
  pool.on('error', () => {});
  const db = new Kysely<StoreTables>({ dialect: new PostgresDialect({ pool }) });
  const safe = new URL(databaseUrl);
  if (safe.password !== '') safe.password = '***';
  return { db, kind: 'postgres', where: safe.href, close: () => db.destroy() };
}

async function migrate(db: Kysely<StoreTables>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (failed !== undefined) {
    const cause = error instanceof Error ? error.message : 'see the log';
    throw new Error(`migration ${failed.migrationName} failed: ${cause}`);
  }
  if (error instanceof Error) throw error;
  if (error !== undefined) throw new Error("the store's migrations failed");
}
