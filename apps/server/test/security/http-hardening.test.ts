import { Writable } from 'node:stream';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateSessionResponse } from '@warren/protocol';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { brokerReady, buildTestApp, createSession, TEST_PREFIX } from '../helpers';

let app: FastifyInstance;
let port: number;
let session: CreateSessionResponse;

beforeAll(async () => {
  app = await buildTestApp();
  await brokerReady(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
  session = await createSession(app);
});
afterAll(async () => {
  await app.close();
});

describe('requests a browser could be tricked into', () => {
  it('answers only to known host names (DNS rebinding)', async () => {
    const evil = await app.inject({ url: '/api/health', headers: { host: 'rebind.evil.example' } });
    expect(evil.statusCode).toBe(403);
    expect(evil.body).toMatch(/ALLOWED_HOSTS/);
    for (const host of ['localhost:8080', '127.0.0.1', `127.0.0.1:${port}`]) {
      expect((await app.inject({ url: '/api/health', headers: { host } })).statusCode).toBe(200);
    }
    const open = await buildTestApp({ ALLOWED_HOSTS: 'warren.school.example' });
    try {
      const named = await open.inject({
        url: '/api/health',
        headers: { host: 'warren.school.example' },
      });
      expect(named.statusCode).toBe(200);
    } finally {
      await open.close();
    }
  });

  it('refuses state changes from pages of other sites, and takes them from its own and from scripts', async () => {
    const crossSite = await app.inject({
      method: 'POST',
      url: '/api/sessions',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(crossSite.statusCode).toBe(403);
    const own = await app.inject({
      method: 'POST',
      url: '/api/explain',
      headers: { origin: `http://127.0.0.1:${port}` },
      payload: { topology: { version: 1 }, message: { exchange: '' } },
    });
    expect(own.statusCode).toBe(200);
    const script = await app.inject({
      method: 'POST',
      url: '/api/explain',
      payload: { topology: { version: 1 }, message: { exchange: '' } },
    });
    expect(script.statusCode).toBe(200);
  });

  it('refuses form posts: bodies must be JSON', async () => {
    for (const type of [
      'application/x-www-form-urlencoded',
      'text/plain',
      'multipart/form-data; boundary=x',
    ]) {
      const form = await app.inject({
        method: 'POST',
        url: '/api/sessions',
        headers: { 'content-type': type },
        payload: '',
      });
      expect(form.statusCode, type).toBe(415);
    }
  });

  it('refuses websockets opened by pages of other sites', async () => {
    const url = `ws://127.0.0.1:${port}/api/sessions/${session.id}/events`;
    const refused = await new Promise<number>((resolve) => {
      const socket = new WebSocket(url, { origin: 'https://evil.example' });
      socket.on('unexpected-response', (req, res) => {
        req.destroy();
        resolve(res.statusCode ?? 0);
      });
      socket.on('open', () => resolve(101));
    });
    expect(refused).toBe(403);
    const accepted = await new Promise<number>((resolve) => {
      const socket = new WebSocket(url, { origin: `http://localhost:${port}` });
      socket.on('unexpected-response', (req, res) => {
        req.destroy();
        resolve(res.statusCode ?? 0);
      });
      socket.on('open', () => {
        socket.close();
        resolve(101);
      });
    });
    expect(accepted).toBe(101);
  });

  it('sends content security and frame headers', async () => {
    const response = await app.inject('/api/health');
    expect(response.headers['content-security-policy']).toMatch(/frame-ancestors 'self'/);
    expect(response.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('the request log', () => {
  it('never holds a token from a URL', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const config = loadConfig({
      ...process.env,
      WARREN_DATA_DIR: mkdtempSync(join(tmpdir(), 'warren-test-store-')),
      WARREN_VHOST_PREFIX: TEST_PREFIX,
      LOG_LEVEL: 'info',
    });
    const logged = await buildApp(config, { logger: { level: 'info', stream } });
    try {
      await logged.ready();
      await logged.inject(`/api/sessions/nope/events?token=s3cr3t-edit-token&x=1`);
      await logged.inject(`/api/health?editToken=another-s3cr3t`);
    } finally {
      await logged.close();
    }
    const log = lines.join('');
    expect(log).toContain('token=***');
    expect(log).not.toContain('s3cr3t');
  });
});
