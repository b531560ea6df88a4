import type { Kysely, Migration, MigrationProvider } from 'kysely';

/**
 * The store's migrations, in order; each runs once, at start, in a transaction where the database
 * allows (both do for these). New ones are appended with the next number; a released one is never
 * edited.
 */
const migrations: Record<string, Migration> = {
  '0001-diagrams': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('diagrams')
        .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('latest_revision', 'integer', (c) => c.notNull())
        .addColumn('edit_token_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('forked_from_id', 'varchar(32)')
        .addColumn('forked_from_revision', 'integer')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('revisions')
        .addColumn('diagram_id', 'varchar(32)', (c) =>
          c.notNull().references('diagrams.id').onDelete('cascade'),
        )
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addPrimaryKeyConstraint('revisions_pk', ['diagram_id', 'revision'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('revisions').execute();
      await db.schema.dropTable('diagrams').execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
