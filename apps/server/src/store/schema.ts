/**
 * The tables of Warren's store, the same on SQLite and PostgreSQL. Times are ISO 8601 text (one
 * format on both), documents are the JSON text exactly as saved, and edit tokens are kept only as
 * their SHA-256, so a copy of the database gives no one edit rights.
 */
export interface StoreTables {
  diagrams: DiagramRow;
  revisions: RevisionRow;
  classrooms: ClassroomRow;
  classroom_questions: QuestionRow;
  classroom_answers: AnswerRow;
  classroom_forks: ForkRow;
  classroom_presence: PresenceRow;
  sessions: SessionRow;
  servers: ServerRow;
  session_owners: SessionOwnerRow;
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

/** A live classroom: the teacher's session and what the class sees of it. JSON columns are text. */
export interface ClassroomRow {
  code: string;
  session_id: string;
  teacher_token_hash: string;
  mode: string;
  viewport: string | null;
  selection: string;
  step_id: string | null;
  /** The open or last question. */
  question_id: string | null;
  lesson_id: string | null;
  /** The teacher's diagram as last seen, for sandboxes forked on any server. */
  topology: string;
  created_at: string;
  closed_at: string | null;
}

export interface QuestionRow {
  id: string;
  code: string;
  message: string;
  asked_at: string;
  /** `{ routedQueues, messageId, at }` once the teacher published the message. */
  revealed: string | null;
}

export interface AnswerRow {
  question_id: string;
  follower_id: string;
  /** Sorted queue names, as JSON. */
  queues: string;
}

/**
 * A follower's sandbox. The edit token is kept as it is (not hashed): a returning follower gets it
 * back by its follower id, which is the secret here.
 */
export interface ForkRow {
  code: string;
  follower_id: string;
  session_id: string;
  edit_token: string;
  created_at: string;
}

/** Followers one server has connected to one classroom, refreshed while it has any. */
export interface PresenceRow {
  code: string;
  server_id: string;
  followers: number;
  seen_at: string;
}

/**
 * A running session, so that a restarted server (or another one, once this one's lease ran out)
 * rebuilds it with the same vhost, broker user and edit token. The broker password is kept as it
 * is: the AMQP URL given to the user must keep working. JSON columns are text.
 */
export interface SessionRow {
  id: string;
  vhost: string;
  broker_user: string;
  broker_password: string;
  edit_token_hash: string;
  created_at: string;
  last_activity_at: string;
  diagram_id: string | null;
  diagram_revision: number | null;
  lesson_id: string | null;
  /** The diagram as last applied or adopted from outside objects. */
  topology: string;
  /** `{ producers: [ids running], consumers: { id: status } }`. */
  runtime: string;
  /** The edge and exchange counters as last saved. */
  counters: string | null;
  /** The server observing the session, and until when it holds it without renewing. */
  owner: string | null;
  lease_until: string | null;
}

/** A Warren server sharing this store, as it last said it is alive. */
export interface ServerRow {
  id: string;
  /** Where the other servers reach it. */
  url: string;
  /** SHA-256 of the token it sends with the requests it forwards to the others. */
  peer_token_hash: string;
  started_at: string;
  seen_at: string;
}

/** Which server runs a session (until the lease of the kept sessions replaces it). */
export interface SessionOwnerRow {
  session_id: string;
  server_id: string;
  created_at: string;
}
