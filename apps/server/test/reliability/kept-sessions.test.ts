import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import type { CreateSessionResponse, LessonProgressReport } from '@warren/protocol';
import { SQLITE_FILE } from '../../src/store/database';
import { sessionVhostDescription } from '../../src/session/session-vhost';
import {
  auth,
  brokerReady,
  buildTestApp,
  createSession,
  management,
  topicTopology,
  until,
} from '../helpers';

/**
 * Kept sessions and the clean-ups around them, with two apps on one SQLite store one after the
 * other: a record idle past SESSION_IDLE_MINUTES goes with its vhost, a record another server
 * holds keeps its vhost from the orphan sweep, and DELETE removes the record.
 */

const dir = mkdtempSync(join(tmpdir(), 'warren-kept-'));
const env = { WARREN_DATA_DIR: dir, WARREN_KEEP_SESSIONS: 'true', WARREN_SERVER_NAME: 'kept-test' };
const apps: FastifyInstance[] = [];
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function app(): Promise<FastifyInstance> {
  const built = await buildTestApp(env);
  apps.push(built);
  await brokerReady(built);
  return built;
}

function edit(sql: string, ...params: unknown[]): void {
  const db = new SQLite(join(dir, SQLITE_FILE));
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

const vhostExists = async (vhost: string) =>
  (await management().listVhosts()).some((v) => v.name === vhost);

describe('kept sessions', () => {
  it('are deleted when idle too long, spared by the orphan sweep while kept, and gone after DELETE', async () => {
    const first = await app();
    const idle = await createSession(first, { topology: topicTopology() });
    const other = await createSession(first, { topology: topicTopology() });
    const mine = await createSession(first, { topology: topicTopology() });
    await first.close();
    expect(await vhostExists(idle.vhost)).toBe(true);

    // Idle for two days; held by another (live) server; and old enough for the orphan sweep.
    edit(
      'UPDATE sessions SET last_activity_at = ? WHERE id = ?',
      new Date(Date.now() - 2 * 86_400_000).toISOString(),
      idle.id,
    );
    edit(
      "UPDATE sessions SET owner = 'elsewhere', lease_until = ? WHERE id = ?",
      new Date(Date.now() + 3_600_000).toISOString(),
      other.id,
    );
    const old = new Date(Date.now() - 3_600_000);
    await management().createVhost(other.vhost, sessionVhostDescription(other.id, old));

    const second = await app();
    expect(second.sessions.get(mine.id)).toBeDefined();
    expect(second.sessions.get(other.id)).toBeUndefined();
    expect(second.sessions.get(idle.id)).toBeUndefined();
    await until(async () => !(await vhostExists(idle.vhost)), 15_000, 'the idle vhost deleted');
    expect(await second.sessions.reclaimOrphans()).not.toContain(other.vhost);
    expect(await vhostExists(other.vhost)).toBe(true);

    // The session kept here edits with its token; DELETE ends it and its record.
    const put = await second.inject({
      method: 'PUT',
      url: `/api/sessions/${mine.id}/topology`,
      headers: auth(mine),
      payload: topicTopology(),
    });
    expect(put.statusCode).toBe(200);
    const deleted = await second.inject({
      method: 'DELETE',
      url: `/api/sessions/${mine.id}`,
      headers: auth(mine),
    });
    expect(deleted.statusCode).toBe(204);
    expect(await vhostExists(mine.vhost)).toBe(false);

    // Once the other server's lease runs out, its session is taken here.
    edit('UPDATE sessions SET lease_until = ? WHERE id = ?', new Date(0).toISOString(), other.id);
    await until(
      () => second.sessions.get(other.id) !== undefined,
      10_000,
      'the session taken over',
    );
    const ids = new SQLite(join(dir, SQLITE_FILE));
    try {
      const rows = ids.prepare('SELECT id, owner FROM sessions ORDER BY id').all();
      expect(rows).toEqual([{ id: other.id, owner: 'kept-test' }]);
    } finally {
      ids.close();
    }
    const ended = await second.inject({
      method: 'DELETE',
      url: `/api/sessions/${other.id}`,
      headers: auth(other),
    });
    expect(ended.statusCode).toBe(204);
  }, 60_000);
  it("keeps a lesson's progress: the steps done stay done after a restart", async () => {
    const first = await app();
    const created = await first.inject({
      method: 'POST',
      url: '/api/sessions',
      payload: { lessonId: 'hello-world' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const session = created.json<CreateSessionResponse>();
    const done = async (server: FastifyInstance) =>
      (await server.inject({ url: `/api/sessions/${session.id}/lesson` }))
        .json<LessonProgressReport>()
        .steps.filter((step) => step.done)
        .map((step) => step.id);
    const ran = await first.inject({
      method: 'POST',
      url: `/api/sessions/${session.id}/lesson/steps/send/run`,
      headers: auth(session),
    });
    expect(ran.statusCode, ran.body).toBe(200);
    await until(async () => (await done(first)).includes('send'), 10_000, 'the step done');
    const before = await done(first);
    await first.close();

    const second = await app();
    // Known at once, before anything happened in the new process.
    expect(await done(second)).toEqual(before);
    const deleted = await second.inject({
      method: 'DELETE',
      url: `/api/sessions/${session.id}`,
      headers: auth(session),
    });
    expect(deleted.statusCode).toBe(204);
  });
});
