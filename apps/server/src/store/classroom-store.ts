import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ClassroomMode, QuestionMessage, Viewport } from '@warren/protocol';
import { WarrenError } from '../errors/warren-error';
import type { ClassroomRow, StoreTables } from './schema';
import { hashToken, tokenMatches } from './tokens';

/**
 * Live classrooms as every Warren server sharing the store sees them: the teacher's session and
 * view, the mode, the questions and their answers, the followers' sandboxes, and how many
 * followers each server has connected.
 */

/** Letters and digits a projector shows without doubt (no 0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 6;

function newCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  return Array.from(bytes, (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

/** A code as typed by a student: case does not matter. */
export const normalCode = (code: string): string => code.toUpperCase();

export interface StoredClassroom {
  code: string;
  sessionId: string;
  teacherTokenHash: string;
  mode: ClassroomMode;
  viewport: Viewport | null;
  selection: string[];
  stepId: string | null;
  questionId: string | null;
  lessonId: string | null;
  /** JSON text of the teacher's diagram as last seen. */
  topology: string;
}

export interface StoredRevealed {
  routedQueues: string[];
  messageId: string;
  at: string;
}

export interface StoredQuestion {
  id: string;
  message: QuestionMessage;
  askedAt: string;
  revealed: StoredRevealed | null;
  /** One entry per follower: the queues it predicted, sorted. */
  answers: string[][];
}

export interface StoredFork {
  sessionId: string;
  editToken: string;
}

function classroomOf(row: ClassroomRow): StoredClassroom {
  return {
    code: row.code,
    sessionId: row.session_id,
    teacherTokenHash: row.teacher_token_hash,
    mode: row.mode === 'try' ? 'try' : 'follow',
    viewport: row.viewport === null ? null : (JSON.parse(row.viewport) as Viewport),
    selection: JSON.parse(row.selection) as string[],
    stepId: row.step_id,
    questionId: row.question_id,
    lessonId: row.lesson_id,
    topology: row.topology,
  };
}

export const classroomNotFound = (code: string): WarrenError =>
  new WarrenError(
    'CLASSROOM_NOT_FOUND',
    `There is no classroom '${code}'; check the code, or the teacher may have closed it.`,
  );

/** How long a server's follower count holds without being refreshed (it died, say). */
export const PRESENCE_TTL_MS = 30_000;

export class ClassroomStore {
  constructor(private readonly db: Kysely<StoreTables>) {}

  /** The open classroom of a session, if it has one. */
  async openOfSession(sessionId: string): Promise<StoredClassroom | undefined> {
    const row = await this.db
      .selectFrom('classrooms')
      .selectAll()
      .where('session_id', '=', sessionId)
      .where('closed_at', 'is', null)
      .executeTakeFirst();
    return row ? classroomOf(row) : undefined;
  }

  async create(input: {
    sessionId: string;
    teacherToken: string;
    lessonId: string | undefined;
    topology: string;
  }): Promise<StoredClassroom> {
    for (let attempt = 0; ; attempt += 1) {
      const code = newCode();
      const row: ClassroomRow = {
        code,
        session_id: input.sessionId,
        teacher_token_hash: hashToken(input.teacherToken),
        mode: 'follow',
        viewport: null,
        selection: '[]',
        step_id: null,
        question_id: null,
        lesson_id: input.lessonId ?? null,
        topology: input.topology,
        created_at: new Date().toISOString(),
        closed_at: null,
      };
      const inserted = await this.db
        .insertInto('classrooms')
        .values(row)
        .onConflict((oc) => oc.column('code').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return classroomOf(row);
      if (attempt > 10) throw new Error('no free classroom code');
    }
  }

  /** An open classroom, or CLASSROOM_NOT_FOUND. */
  async get(code: string): Promise<StoredClassroom> {
    const row = await this.db
      .selectFrom('classrooms')
      .selectAll()
      .where('code', '=', normalCode(code))
      .where('closed_at', 'is', null)
      .executeTakeFirst();
    if (!row) throw classroomNotFound(code);
    return classroomOf(row);
  }

  /** An open classroom the request may steer: it must carry the teacher's (session's) edit token. */
  async asTeacher(code: string, token: string | undefined): Promise<StoredClassroom> {
    const classroom = await this.get(code);
    if (!tokenMatches(token, classroom.teacherTokenHash)) {
      throw new WarrenError(
        'UNAUTHORIZED',
        'Steering a classroom needs the teacher\'s edit token (header "Authorization: Bearer <editToken>").',
      );
    }
    return classroom;
  }

  async update(
    code: string,
    change: {
      mode?: ClassroomMode;
      viewport?: Viewport;
      selection?: string[];
      stepId?: string | null;
      topology?: string;
    },
  ): Promise<void> {
    const set: Partial<ClassroomRow> = {};
    if (change.mode !== undefined) set.mode = change.mode;
    if (change.viewport !== undefined) set.viewport = JSON.stringify(change.viewport);
    if (change.selection !== undefined) set.selection = JSON.stringify(change.selection);
    if (change.stepId !== undefined) set.step_id = change.stepId;
    if (change.topology !== undefined) set.topology = change.topology;
    if (Object.keys(set).length === 0) return;
    await this.db.updateTable('classrooms').set(set).where('code', '=', code).execute();
  }

  /** Closes a classroom; false when it was not open. */
  async close(code: string): Promise<boolean> {
    const result = await this.db
      .updateTable('classrooms')
      .set({ closed_at: new Date().toISOString() })
      .where('code', '=', code)
      .where('closed_at', 'is', null)
      .executeTakeFirst();
    await this.db.deleteFrom('classroom_presence').where('code', '=', code).execute();
    return Number(result.numUpdatedRows) > 0;
  }

  async ask(code: string, message: QuestionMessage): Promise<string> {
    const id = randomBytes(6).toString('base64url');
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('classroom_questions')
        .values({
          id,
          code,
          message: JSON.stringify(message),
          asked_at: new Date().toISOString(),
          revealed: null,
        })
        .execute();
      await trx
        .updateTable('classrooms')
        .set({ question_id: id })
        .where('code', '=', code)
        .execute();
    });
    return id;
  }

  async question(code: string, id: string): Promise<StoredQuestion> {
    const row = await this.db
      .selectFrom('classroom_questions')
      .selectAll()
      .where('id', '=', id)
      .where('code', '=', code)
      .executeTakeFirst();
    if (!row) {
      throw new WarrenError('QUESTION_NOT_FOUND', `Classroom '${code}' has no question '${id}'.`, {
        path: '/qid',
      });
    }
    const answers = await this.db
      .selectFrom('classroom_answers')
      .select('queues')
      .where('question_id', '=', id)
      .execute();
    return {
      id: row.id,
      message: JSON.parse(row.message) as QuestionMessage,
      askedAt: row.asked_at,
      revealed: row.revealed === null ? null : (JSON.parse(row.revealed) as StoredRevealed),
      answers: answers.map((a) => JSON.parse(a.queues) as string[]),
    };
  }

  /** Records a follower's answer; a later answer of the same follower replaces it. */
  async answer(questionId: string, followerId: string, queues: string[]): Promise<void> {
    const text = JSON.stringify(queues);
    await this.db
      .insertInto('classroom_answers')
      .values({ question_id: questionId, follower_id: followerId, queues: text })
      .onConflict((oc) => oc.columns(['question_id', 'follower_id']).doUpdateSet({ queues: text }))
      .execute();
  }

  async reveal(questionId: string, revealed: StoredRevealed): Promise<void> {
    await this.db
      .updateTable('classroom_questions')
      .set({ revealed: JSON.stringify(revealed) })
      .where('id', '=', questionId)
      .execute();
  }

  async fork(code: string, followerId: string): Promise<StoredFork | undefined> {
    const row = await this.db
      .selectFrom('classroom_forks')
      .select(['session_id', 'edit_token'])
      .where('code', '=', code)
      .where('follower_id', '=', followerId)
      .executeTakeFirst();
    return row ? { sessionId: row.session_id, editToken: row.edit_token } : undefined;
  }

  /** Keeps a follower's sandbox; false when the follower already has one (another was faster). */
  async addFork(code: string, followerId: string, fork: StoredFork): Promise<boolean> {
    const result = await this.db
      .insertInto('classroom_forks')
      .values({
        code,
        follower_id: followerId,
        session_id: fork.sessionId,
        edit_token: fork.editToken,
        created_at: new Date().toISOString(),
      })
      .onConflict((oc) => oc.columns(['code', 'follower_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async replaceFork(code: string, followerId: string, fork: StoredFork): Promise<void> {
    await this.db
      .updateTable('classroom_forks')
      .set({ session_id: fork.sessionId, edit_token: fork.editToken })
      .where('code', '=', code)
      .where('follower_id', '=', followerId)
      .execute();
  }

  /** This server's follower count of a classroom (0 removes it). */
  async setPresence(code: string, serverId: string, followers: number): Promise<void> {
    if (followers === 0) {
      await this.db
        .deleteFrom('classroom_presence')
        .where('code', '=', code)
        .where('server_id', '=', serverId)
        .execute();
      return;
    }
    const seen = new Date().toISOString();
    await this.db
      .insertInto('classroom_presence')
      .values({ code, server_id: serverId, followers, seen_at: seen })
      .onConflict((oc) =>
        oc.columns(['code', 'server_id']).doUpdateSet({ followers, seen_at: seen }),
      )
      .execute();
  }

  /** Followers of a classroom on every server that reported in lately. */
  async followers(code: string): Promise<number> {
    const cutoff = new Date(Date.now() - PRESENCE_TTL_MS).toISOString();
    const rows = await this.db
      .selectFrom('classroom_presence')
      .select('followers')
      .where('code', '=', code)
      .where('seen_at', '>', cutoff)
      .execute();
    return rows.reduce((sum, r) => sum + Number(r.followers), 0);
  }

  /** A server that stops takes its followers with it. */
  async forgetServer(serverId: string): Promise<void> {
    await this.db.deleteFrom('classroom_presence').where('server_id', '=', serverId).execute();
  }
}
