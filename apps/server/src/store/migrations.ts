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
  '0002-classrooms': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('classrooms')
        .addColumn('code', 'varchar(16)', (c) => c.primaryKey())
        .addColumn('session_id', 'varchar(32)', (c) => c.notNull())
        .addColumn('teacher_token_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('mode', 'varchar(16)', (c) => c.notNull())
        .addColumn('viewport', 'text')
        .addColumn('selection', 'text', (c) => c.notNull())
        .addColumn('step_id', 'varchar(64)')
        .addColumn('question_id', 'varchar(32)')
        .addColumn('lesson_id', 'varchar(64)')
        .addColumn('topology', 'text', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('closed_at', 'varchar(32)')
        .execute();
      await db.schema
        .createIndex('classrooms_session')
        .on('classrooms')
        .column('session_id')
        .execute();
      await db.schema
        .createTable('classroom_questions')
        .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
        .addColumn('code', 'varchar(16)', (c) =>
          c.notNull().references('classrooms.code').onDelete('cascade'),
        )
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('asked_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('revealed', 'text')
        .execute();
      await db.schema
        .createTable('classroom_answers')
        .addColumn('question_id', 'varchar(32)', (c) =>
          c.notNull().references('classroom_questions.id').onDelete('cascade'),
        )
        .addColumn('follower_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('queues', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('classroom_answers_pk', ['question_id', 'follower_id'])
        .execute();
      await db.schema
        .createTable('classroom_forks')
        .addColumn('code', 'varchar(16)', (c) =>
          c.notNull().references('classrooms.code').onDelete('cascade'),
        )
        .addColumn('follower_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('session_id', 'varchar(32)', (c) => c.notNull())
        .addColumn('edit_token', 'varchar(64)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addPrimaryKeyConstraint('classroom_forks_pk', ['code', 'follower_id'])
        .execute();
      await db.schema
        .createTable('classroom_presence')
        .addColumn('code', 'varchar(16)', (c) => c.notNull())
        .addColumn('server_id', 'varchar(32)', (c) => c.notNull())
        .addColumn('followers', 'integer', (c) => c.notNull())
        .addColumn('seen_at', 'varchar(32)', (c) => c.notNull())
        .addPrimaryKeyConstraint('classroom_presence_pk', ['code', 'server_id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('classroom_presence').execute();
      await db.schema.dropTable('classroom_forks').execute();
      await db.schema.dropTable('classroom_answers').execute();
      await db.schema.dropTable('classroom_questions').execute();
      await db.schema.dropTable('classrooms').execute();
    },
  },
  '0003-sessions': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
        .addColumn('vhost', 'varchar(255)', (c) => c.notNull())
        .addColumn('broker_user', 'varchar(255)', (c) => c.notNull())
        .addColumn('broker_password', 'varchar(255)', (c) => c.notNull())
        .addColumn('edit_token_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('last_activity_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('diagram_id', 'varchar(32)')
        .addColumn('diagram_revision', 'integer')
        .addColumn('lesson_id', 'varchar(64)')
        .addColumn('topology', 'text', (c) => c.notNull())
        .addColumn('runtime', 'text', (c) => c.notNull())
        .addColumn('counters', 'text')
        .addColumn('owner', 'varchar(255)')
        .addColumn('lease_until', 'varchar(32)')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('sessions').execute();
    },
  },
  /**
   * The servers sharing this store (each beating its heart) and which of them runs each session.
   * Numbered 0004: 0003 is kept for the store of running sessions, whose lease will take over
   * from session_owners.
   */
  '0004-servers': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('servers')
        .addColumn('id', 'varchar(255)', (c) => c.primaryKey())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('peer_token_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('started_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('seen_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('session_owners')
        .addColumn('session_id', 'varchar(32)', (c) => c.primaryKey())
        .addColumn('server_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('session_owners_server')
        .on('session_owners')
        .column('server_id')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('session_owners').execute();
      await db.schema.dropTable('servers').execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
