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

export async function openDatabase(location: StoreLocation): Promise<Database> {
  const database = location.databaseUrl
    ? postgres(location.databaseUrl)
    : sqlite(resolve(location.dataDir));
  try {
    await migrate(database.db);
  } catch (error) {
    await database.close();
    throw error;
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
  if (error !== undefined || failed !== undefined) {
    const cause = error instanceof Error ? error.message : 'see the log';
    throw new Error(`The store's migration ${failed?.migrationName ?? ''} failed: ${cause}`);
  }
}
