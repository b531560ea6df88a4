import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers';

/** The built web app: precompressed assets cached for a year, the page itself checked each visit. */

const SCRIPT = `console.log(${JSON.stringify('warren '.repeat(500))});`;
let app: FastifyInstance;

beforeAll(async () => {
  const dist = mkdtempSync(join(tmpdir(), 'warren-web-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Warren</title>');
  const asset = join(dist, 'assets', 'index-DS6MD3XA.js');
  writeFileSync(asset, SCRIPT);
  writeFileSync(`${asset}.br`, brotliCompressSync(SCRIPT));
  writeFileSync(`${asset}.gz`, gzipSync(SCRIPT));
  app = await buildTestApp({ WEB_DIST: dist });
});
afterAll(async () => {
  await app.close();
});

describe('the web app as served', () => {
  it('sends the brotli or gzip copy of an asset the browser accepts, cached as immutable', async () => {
    const url = '/assets/index-DS6MD3XA.js';
    const br = await app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.rawPayload.length).toBeLessThan(SCRIPT.length / 10);

    const gz = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await app.inject({ url });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);
  });

  it('has the page itself checked on every visit, also for the app’s own paths', async () => {
    for (const url of ['/', '/d/some-diagram']) {
      const page = await app.inject({ url });
      expect(page.statusCode, url).toBe(200);
      expect(page.body).toContain('<title>Warren</title>');
      expect(page.headers['cache-control'], url).toBe('no-cache');
    }
  });
});
