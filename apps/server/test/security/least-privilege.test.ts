import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { CreateSessionResponse } from '@warren/protocol';
import { loadConfig } from '../../src/config';
import { appPerFile, auth, createSession, management, topicTopology, until } from '../helpers';

let app: FastifyInstance;
appPerFile((a) => (app = a));

const config = loadConfig(process.env);

/** A management API request made with the session's own broker credentials. */
async function asSessionUser(
  session: CreateSessionResponse,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  const basic = Buffer.from(`${session.amqp.username}:${session.amqp.password}`).toString('base64');
  return fetch(`${config.managementUrl}/api${path}`, {
    method,
    headers: {
      authorization: `Basic ${basic}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe("a session's broker user", () => {
  it('cannot write broker-wide global parameters', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const clusterName = () =>
      management()
        .request<{ value: unknown }>('GET', '/global-parameters/cluster_name')
        .then((p) => p.value)
        .catch(() => undefined);
    const before = await clusterName();
    const put = await asSessionUser(session, 'PUT', '/global-parameters/cluster_name', {
      value: 'taken-over',
    });
    expect([401, 403]).toContain(put.status);
    expect(await clusterName()).toEqual(before);
  });

  it("still reads and declares in the session's own vhost through the management API", async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const v = encodeURIComponent(session.vhost);
    const queues = await asSessionUser(session, 'GET', `/queues/${v}`);
    expect(queues.status).toBe(200);
    const declared = await asSessionUser(session, 'PUT', `/queues/${v}/from-a-script`, {
      durable: true,
    });
    expect(declared.status).toBe(201);
    const elsewhere = await asSessionUser(session, 'PUT', `/queues/%2F/from-a-script`, {
      durable: true,
    });
    expect([401, 403]).toContain(elsewhere.status);
  });

  it("does not stop the canvas from setting the session's policies", async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const topology = {
      ...topicTopology(),
      policies: [
        {
          id: 'pol1',
          name: 'cap-orders',
          pattern: '^orders$',
          applyTo: 'queues' as const,
          priority: 1,
          definition: { 'max-length': 10 },
        },
      ],
    };
    const put = await app.inject({
      method: 'PUT',
      url: `/api/sessions/${session.id}/topology`,
      headers: auth(session),
      payload: topology,
    });
    expect(put.statusCode, put.body).toBe(200);
    await until(
      async () =>
        (await management().listPolicies(session.vhost)).some((p) => p.name === 'cap-orders'),
      5000,
      'the policy on the broker',
    );
  });
});

describe("the session's exported management scripts", () => {
  it('run with the session credentials: the policies Warren set are left out of them', async () => {
    const session = await createSession(app, {
      topology: {
        ...topicTopology(),
        policies: [
          {
            id: 'pol1',
            name: 'cap-orders',
            pattern: '^orders$',
            applyTo: 'queues',
            priority: 1,
            definition: { 'max-length': 10 },
          },
        ],
      },
    });
    const response = await app.inject({
      url: `/api/sessions/${session.id}/code/curl`,
      headers: auth(session),
    });
    expect(response.statusCode, response.body).toBe(200);
    const code = response.json<{ code: string }>().code;
    expect(code).not.toContain('policies/$vhost');
    expect(code).toContain('Policies are left out');
    expect(code).toContain('cap-orders');
    // It runs to the end with the session's own credentials (strict bash stops at a failure).
    const dir = mkdtempSync(join(tmpdir(), 'warren-script-'));
    const file = join(dir, 'declare.sh');
    writeFileSync(file, code);
    const run = spawnSync('bash', [file], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  }, 60_000);
});
