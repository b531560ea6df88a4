/**
 * The tables of Warren's store, the same on SQLite and PostgreSQL. Times are ISO 8601 text (one
 * format on both), documents are the JSON text exactly as saved, and edit tokens are kept only as
 * their SHA-256, so a copy of the database gives no one edit rights.
 */
export interface StoreTables {
  diagrams: DiagramRow;
  revisions: RevisionRow;
}

export interface DiagramRow {
  id: string;
  /** The latest revision's name. */
  name: string;
  latest_revision: number;
  edit_token_hash: string;
  forked_from_id: string | null;
  forked_from_revision: number | null;
  created_at: string;
  updated_at: string;
}

export interface RevisionRow {
  diagram_id: string;
  revision: number;
  name: string;
  /** The topology document as JSON text. */
  document: string;
  created_at: string;
}
