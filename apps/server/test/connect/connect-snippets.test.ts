import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectResponse, CreateSessionResponse, RoutedEvent } from '@warren/protocol';
import { binding, exchange, queue, topology } from '@warren/topology/testing';
import { appPerFile, auth, until } from '../helpers';

/**
 * "Bring your own code": the programs the Connect panel hands out, run as they are against a
 * session, publish and read back on its vhost, and their message shows in the session.
 * (Spring AMQP, Go and .NET need toolchains this machine lacks; their text is unit-tested.)
 */

const PYTHON = process.env.WARREN_PYTHON ?? '/usr/bin/python3';
const run = promisify(execFile);

let app: FastifyInstance;
appPerFile((built) => (app = built));

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'warren-connect-'));
  // The amqplib program imports 'amqplib' as a user's project would have it installed.
  const entry = createRequire(import.meta.url).resolve('amqplib');
  const amqplib = entry.slice(
    0,
    entry.lastIndexOf('/node_modules/amqplib/') + '/node_modules/amqplib'.length,
  );
  await mkdir(join(directory, 'node_modules'));
  await symlink(amqplib, join(directory, 'node_modules', 'amqplib'), 'dir');
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function session(): Promise<CreateSessionResponse> {
  const reply = await app.inject({
    method: 'POST',
    url: '/api/sessions',
    payload: {
      topology: topology({
        exchanges: [exchange('greetings', 'direct')],
        queues: [queue('inbox')],
        bindings: [binding('greetings', 'inbox', 'hi')],
      }),
    },
  });
  expect(reply.statusCode, reply.body).toBe(201);
  return reply.json<CreateSessionResponse>();
}

describe('GET /api/sessions/:id/connect', () => {
  it('needs the edit token, and gives the URL and five programs', async () => {
    const created = await session();
    const anonymous = await app.inject({
      method: 'GET',
      url: `/api/sessions/${created.id}/connect`,
    });
    expect(anonymous.statusCode).toBe(401);
    const reply = await app.inject({
      method: 'GET',
      url: `/api/sessions/${created.id}/connect`,
      headers: auth(created),
    });
    const body = reply.json<ConnectResponse>();
    expect(body.amqp).toEqual(created.amqp);
    expect(body.snippets.map((s) => s.language)).toEqual([
      'pika',
      'amqplib',
      'spring',
      'go',
      'dotnet',
    ]);
    for (const snippet of body.snippets) expect(snippet.code).toContain(created.amqp.url);
  });

  it.each(['pika', 'amqplib'] as const)(
    'the %s program runs as given, and the session sees its message routed',
    async (language) => {
      const created = await session();
      const routed: RoutedEvent[] = [];
      app.sessions.get(created.id)!.events.listen((event) => {
        if (event.type === 'routed') routed.push(event);
      });
      const { snippets } = (
        await app.inject({
          method: 'GET',
          url: `/api/sessions/${created.id}/connect`,
          headers: auth(created),
        })
      ).json<ConnectResponse>();
      const snippet = snippets.find((s) => s.language === language)!;
      const file = join(directory, `${created.id}-${snippet.filename}`);
      await writeFile(file, snippet.code);
      const { stdout } = await run(language === 'pika' ? PYTHON : process.execPath, [file], {
        timeout: 30_000,
        cwd: directory,
      });
      expect(stdout).toContain('sent');
      expect(stdout).toMatch(/received Hello from (pika|amqplib)/);
      await until(
        () =>
          routed.some(
            (e) => e.outside && e.exchange === 'greetings' && e.routedQueues[0] === 'inbox',
          ),
        10_000,
        'the outside publish in the session',
      );
    },
    60_000,
  );
});
