import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateDiagramResponse, DiagramResponse, RevisionsResponse } from '@warren/protocol';
import type { Topology } from '@warren/topology';
import { queue, topology } from '@warren/topology/testing';
import { STORE_KINDS, testStore, type TestStore } from './stores';

/**
 * The server killed with SIGKILL in the middle of a stream of concurrent saves, then started
 * again on the same store: every save that was answered 2xx is there, byte for byte, and every
 * diagram's history is whole. Several rounds, on SQLite and on PostgreSQL.
 */

const SERVER = fileURLToPath(new URL('../../src/server.ts', import.meta.url));
const ROUNDS = 3;
const WRITERS = 6;

interface Server {
  url: string;
  process: ChildProcess;
}

/** The real server as its own process (one process: node with tsx's loader, not tsx's CLI). */
async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    env: {
      ...process.env,
      ...env,
      PORT: '0',
      LOG_LEVEL: 'info',
      WARREN_VHOST_PREFIX: 'warren-test-',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 30_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const found = /Warren is running at (http:\/\/[^"\s]+)/.exec(output);
      if (found?.[1]) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)));
  });
  return { url, process: child };
}

function kill(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.process.once('exit', () => resolve());
    server.process.kill('SIGKILL');
  });
}

async function stop(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.process.once('exit', resolve));
  server.process.kill('SIGTERM');
  await exited;
}

/** A save the server answered 2xx: this revision of this diagram holds exactly this text. */
interface Answered {
  id: string;
  revision: number;
  text: string;
}

function document(writer: number, step: number): Topology {
  return topology({
    name: `writer ${writer} step ${step}`,
    queues: Array.from({ length: 1 + (step % 5) }, (_, i) => queue(`w${writer}-s${step}-q${i}`)),
  });
}

/** One writer: creates a diagram, then saves revision after revision until `stopped`. */
async function writer(base: string, n: number, answered: Answered[], stopped: () => boolean) {
  let id: string | undefined;
  let token = '';
  let revision = 0;
  for (let step = 0; !stopped(); step += 1) {
    const doc = document(n, step);
    try {
      if (id === undefined) {
        const reply = await fetch(`${base}/api/diagrams`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: `writer ${n}`, document: doc }),
        });
        if (reply.status !== 201) continue;
        const made = (await reply.json()) as CreateDiagramResponse;
        ({ id, editToken: token, revision } = made);
      } else {
        const reply = await fetch(`${base}/api/diagrams/${id}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ document: doc, baseRevision: revision }),
        });
        if (reply.status !== 200) continue;
        ({ revision } = (await reply.json()) as { revision: number });
      }
      answered.push({ id, revision, text: JSON.stringify(doc) });
    } catch {
      return; // the server died under this request: its outcome is unknown, and not counted
    }
  }
}

describe.each(STORE_KINDS)('saves survive a killed server on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await testStore(kind);
  });
  afterAll(async () => {
    await store.drop();
  });

  it(`keeps every answered save through ${ROUNDS} kills in the middle of concurrent saves`, async () => {
    const answered: Answered[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const server = await startServer(store.env);
      let stopped = false;
      const before = answered.length;
      const writers = Array.from({ length: WRITERS }, (_, n) =>
        writer(server.url, round * WRITERS + n, answered, () => stopped),
      );
      // Kill it once saves are flowing, at a moment no test decides.
      while (answered.length < before + 40 + Math.floor(Math.random() * 40))
        await new Promise((r) => setTimeout(r, 5));
      await kill(server);
      stopped = true;
      await Promise.all(writers);
    }

    const server = await startServer(store.env);
    try {
      for (const save of answered) {
        const reply = await fetch(
          `${server.url}/api/diagrams/${save.id}/revisions/${save.revision}`,
        );
        expect(reply.status, `${save.id} revision ${save.revision}`).toBe(200);
        const body = (await reply.json()) as { document: unknown };
        expect(JSON.stringify(body.document)).toBe(save.text);
      }
      for (const id of new Set(answered.map((a) => a.id))) {
        const latest = (await (
          await fetch(`${server.url}/api/diagrams/${id}`)
        ).json()) as DiagramResponse;
        const history = (await (
          await fetch(`${server.url}/api/diagrams/${id}/revisions`)
        ).json()) as RevisionsResponse;
        expect(history.revisions.map((r) => r.revision)).toEqual(
          Array.from({ length: latest.revision }, (_, i) => i + 1),
        );
      }
      expect(answered.length).toBeGreaterThan(ROUNDS * 40);
    } finally {
      await stop(server);
    }
  }, 120_000);
});
