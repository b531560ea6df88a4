import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { ErrorBody, GenerateCodeResponse } from '@warren/protocol';
import { appPerFile, auth, createSession, topicTopology } from '../helpers';

let app: FastifyInstance;

appPerFile((a) => (app = a));

describe('POST /api/code', () => {
  it('writes code for a topology in the format asked for', async () => {
    for (const format of ['amqplib', 'pika', 'rabbitmqadmin', 'curl', 'terraform']) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/code',
        payload: { topology: topicTopology(), format, options: { vhost: 'shop' } },
      });
      expect(response.statusCode, `${format}: ${response.body}`).toBe(200);
      const code = response.json<GenerateCodeResponse>();
      expect(code.format).toBe(format);
      expect(code.filename).not.toBe('');
      expect(code.code).toContain('demo.topic');
      expect(code.code).toContain('order.#');
    }
  });

  it('refuses an unknown format and an invalid topology', async () => {
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/code',
      payload: { topology: topicTopology(), format: 'cobol' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<ErrorBody>().error.details?.[0]?.path).toBe('/format');
    const invalid = await app.inject({
      method: 'POST',
      url: '/api/code',
      payload: { topology: { version: 2 }, format: 'pika' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json<ErrorBody>().error.code).toBe('INVALID_TOPOLOGY');
  });
});

describe('GET /api/sessions/:id/code/:format', () => {
  it("fills in the session's vhost and user, and its password only for the editor", async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const editor = await app.inject({
      url: `/api/sessions/${session.id}/code/curl`,
      headers: auth(session),
    });
    expect(editor.statusCode, editor.body).toBe(200);
    const code = editor.json<GenerateCodeResponse>().code;
    expect(code).toContain(session.vhost);
    expect(code).toContain(session.amqp.username);
    expect(code).toContain(session.amqp.password);

    const viewer = await app.inject(`/api/sessions/${session.id}/code/pika`);
    expect(viewer.statusCode, viewer.body).toBe(200);
    const shared = viewer.json<GenerateCodeResponse>().code;
    expect(shared).toContain('SESSION_PASSWORD');
    expect(shared).not.toContain(session.amqp.password);

    const wrongToken = await app.inject({
      url: `/api/sessions/${session.id}/code/pika`,
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrongToken.statusCode).toBe(401);
    const unknown = await app.inject(`/api/sessions/${session.id}/code/cobol`);
    expect(unknown.statusCode).toBe(400);
  });
});
