import type { Kysely } from 'kysely';
import { WarrenError } from '../errors/warren-error';
import type { DiagramRow, StoreTables } from './schema';
import { hashToken, newDiagramId, newEditToken, tokenMatches } from './tokens';

/**
 * Saved diagrams and every revision of them. Each write is one transaction; a revision is only
 * written on top of the one it was made from (`baseRevision`), so two editors never overwrite
 * each other silently. Documents are kept as the JSON text they were saved as.
 */

export interface StoredDiagram {
  id: string;
  name: string;
  revision: number;
  /** JSON text of the topology document. */
  document: string;
  createdAt: string;
  updatedAt: string;
  forkedFrom?: { id: string; revision: number };
}

export interface StoredRevision {
  revision: number;
  name: string;
  createdAt: string;
}

export interface CreatedDiagram {
  id: string;
  name: string;
  revision: number;
  editToken: string;
  forkedFrom?: { id: string; revision: number };
}

const notFound = (id: string) =>
  new WarrenError('DIAGRAM_NOT_FOUND', `There is no diagram '${id}'; it may have been deleted.`);

const unauthorized = () =>
  new WarrenError(
    'UNAUTHORIZED',
    'Changing this diagram needs its edit token (Authorization: Bearer <editToken>); a view link can only read it.',
  );

export class DiagramStore {
  constructor(private readonly db: Kysely<StoreTables>) {}

  async create(
    input: { name: string; document: string },
    forkedFrom?: { id: string; revision: number },
  ): Promise<CreatedDiagram> {
    const id = newDiagramId();
    const editToken = newEditToken();
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('diagrams')
        .values({
          id,
          name: input.name,
          latest_revision: 1,
          edit_token_hash: hashToken(editToken),
          forked_from_id: forkedFrom?.id ?? null,
          forked_from_revision: forkedFrom?.revision ?? null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await trx
        .insertInto('revisions')
        .values({
          diagram_id: id,
          revision: 1,
          name: input.name,
          document: input.document,
          created_at: now,
        })
        .execute();
    });
    return { id, name: input.name, revision: 1, editToken, ...(forkedFrom ? { forkedFrom } : {}) };
  }

  private async row(id: string): Promise<DiagramRow> {
    const row = await this.db
      .selectFrom('diagrams')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound(id);
    return row;
  }

  /** The latest revision of a diagram. */
  async get(id: string): Promise<StoredDiagram> {
    const row = await this.row(id);
    const latest = await this.revision(id, row.latest_revision);
    return {
      id: row.id,
      name: row.name,
      revision: row.latest_revision,
      document: latest.document,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      ...(row.forked_from_id !== null && row.forked_from_revision !== null
        ? { forkedFrom: { id: row.forked_from_id, revision: row.forked_from_revision } }
        : {}),
    };
  }

  /**
   * Writes a new revision made from `baseRevision`, when that is still the latest and `token`
   * is the diagram's edit token; otherwise nothing is written.
   */
  async update(
    id: string,
    token: string | undefined,
    input: { document: string; name?: string; baseRevision: number },
  ): Promise<{ revision: number }> {
    return this.db.transaction().execute(async (trx) => {
      const row = await editable(trx, id, token);
      const revision = input.baseRevision + 1;
      const name = input.name ?? row.name;
      const now = new Date().toISOString();
      // Only on top of the base: a concurrent writer that got there first leaves 0 rows here.
      const moved = await trx
        .updateTable('diagrams')
        .set({ latest_revision: revision, name, updated_at: now })
        .where('id', '=', id)
        .where('latest_revision', '=', input.baseRevision)
        .executeTakeFirst();
      if (moved.numUpdatedRows === 0n) {
        const latest = await trx
          .selectFrom('diagrams')
          .select('latest_revision')
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        throw conflict(input.baseRevision, latest.latest_revision);
      }
      await trx
        .insertInto('revisions')
        .values({ diagram_id: id, revision, name, document: input.document, created_at: now })
        .execute();
      return { revision };
    });
  }

  async revisions(id: string): Promise<StoredRevision[]> {
    await this.row(id);
    const rows = await this.db
      .selectFrom('revisions')
      .select(['revision', 'name', 'created_at'])
      .where('diagram_id', '=', id)
      .orderBy('revision')
      .execute();
    return rows.map((r) => ({ revision: r.revision, name: r.name, createdAt: r.created_at }));
  }

  async revision(id: string, revision: number): Promise<StoredRevision & { document: string }> {
    const row = await this.db
      .selectFrom('revisions')
      .select(['revision', 'name', 'document', 'created_at'])
      .where('diagram_id', '=', id)
      .where('revision', '=', revision)
      .executeTakeFirst();
    if (!row) {
      await this.row(id);
      throw new WarrenError('DIAGRAM_NOT_FOUND', `Diagram '${id}' has no revision ${revision}.`, {
        path: '/revision',
      });
    }
    return {
      revision: row.revision,
      name: row.name,
      document: row.document,
      createdAt: row.created_at,
    };
  }

  /** One revision of a diagram, the latest when none is named. */
  at(id: string, revision?: number): Promise<StoredRevision & { document: string }> {
    return revision === undefined ? this.get(id) : this.revision(id, revision);
  }

  /** A new diagram, copied from a revision (the latest when none is named) of another. */
  async fork(id: string, revision?: number, name?: string): Promise<CreatedDiagram> {
    const source = await this.at(id, revision);
    return this.create(
      { name: name ?? source.name, document: source.document },
      { id, revision: source.revision },
    );
  }

  async delete(id: string, token: string | undefined): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await editable(trx, id, token);
      await trx.deleteFrom('revisions').where('diagram_id', '=', id).execute();
      await trx.deleteFrom('diagrams').where('id', '=', id).execute();
    });
  }

  /** Replaces the edit token: edit links with the old one stop working. */
  async renewEditToken(id: string, token: string | undefined): Promise<string> {
    const editToken = newEditToken();
    await this.db.transaction().execute(async (trx) => {
      await editable(trx, id, token);
      await trx
        .updateTable('diagrams')
        .set({ edit_token_hash: hashToken(editToken) })
        .where('id', '=', id)
        .execute();
    });
    return editToken;
  }
}

/** The diagram's row, when `token` is its edit token. */
async function editable(db: Kysely<StoreTables>, id: string, token: string | undefined) {
  const row = await db
    .selectFrom('diagrams')
    .select(['name', 'latest_revision', 'edit_token_hash'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound(id);
  if (!tokenMatches(token, row.edit_token_hash)) throw unauthorized();
  return row;
}

function conflict(base: number, latest: number): WarrenError {
  return new WarrenError(
    'REVISION_CONFLICT',
    `This diagram is at revision ${latest}; your change was made from revision ${base}. Reload it, or save yours as a copy.`,
    {
      path: '/baseRevision',
      latestRevision: latest,
      details: [{ path: '/baseRevision', message: `The latest revision is ${latest}.` }],
    },
  );
}
