import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CreateSessionResponse } from '@warren/protocol';
import { expect, test } from '../fixtures';
import { ordersTopology } from './producers-session';

/**
 * The page's server goes away and comes back (a new process on the same store): the open page
 * reconnects by itself to the same session, with its counters, and its producer sends again.
 * The suite's own server cannot be restarted from a test, so this one runs its own process.
 */

const SERVER = fileURLToPath(new URL('../../apps/server/src/server.ts', import.meta.url));
const WEB_DIST = fileURLToPath(new URL('../../apps/web/dist', import.meta.url));
const port = Number(process.env.E2E_PORT ?? 8181) + 2;
const base = `http://127.0.0.1:${port}`;

async function startServer(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      WARREN_DATA_DIR: dataDir,
      WEB_DIST,
      WARREN_VHOST_PREFIX: 'warren-e2e-restart-',
      WARREN_KEEP_SESSIONS: 'true',
      LOG_LEVEL: 'warn',
      WARREN_BROKER_RESTART: '',
    },
    stdio: 'ignore',
  });
  await expect
    .poll(
      async () => {
        const health = await fetch(`${base}/api/health`).then(
          async (r) => ((await r.json()) as { status?: string }).status,
          () => undefined,
        );
        return health;
      },
      { timeout: 60_000 },
    )
    .toBe('ok');
  return child;
}

const stopped = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

test('an open page comes back to its session after the server restarts', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'warren-e2e-restart-'));
  let server = await startServer(dataDir);
  let session: CreateSessionResponse | undefined;
  try {
    const reply = await page.request.post(`${base}/api/sessions`, {
      data: { topology: ordersTopology({ ratePerSecond: 5 }) },
    });
    expect(reply.status(), await reply.text()).toBe(201);
    session = (await reply.json()) as CreateSessionResponse;
    const { id, editToken } = session;
    await page.addInitScript(
      ([sessionId, token]) => {
        localStorage.setItem(
          `warren.session.${sessionId}`,
          JSON.stringify({ id: sessionId, editToken: token }),
        );
      },
      [id, editToken] as const,
    );
    await page.goto(`${base}/?session=${encodeURIComponent(id)}`);
    await expect(page.getByTestId('session-id')).toHaveText(id);
    const start = await page.request.post(`${base}/api/sessions/${id}/producers/p-shop/start`, {
      headers: { authorization: `Bearer ${editToken}` },
    });
    expect(start.ok(), await start.text()).toBe(true);
    const count = page.getByTestId('edge-count-shop-orders');
    await expect
      .poll(async () => Number(await count.textContent()), { timeout: 15_000 })
      .toBeGreaterThan(3);
    const before = Number(await count.textContent());

    // Killed outright: the page says the server is gone and keeps retrying.
    server.kill('SIGKILL');
    await stopped(server);
    await expect(page.getByTestId('server-banner')).toBeVisible({ timeout: 60_000 });
    server = await startServer(dataDir);

    // Back on the same session (no new one), the banner gone, the counters going on from where
    // they were (a kill loses at most the last 2 s of counting) and growing again.
    await expect(page.getByTestId('server-banner')).toBeHidden({ timeout: 30_000 });
    await expect(page.getByTestId('session-id')).toHaveText(id);
    await expect
      .poll(async () => Number(await count.textContent()), { timeout: 20_000 })
      .toBeGreaterThan(before);
    expect(new URL(page.url()).searchParams.get('session')).toBe(id);
  } finally {
    if (session) {
      await page.request.delete(`${base}/api/sessions/${session.id}`, {
        headers: { authorization: `Bearer ${session.editToken}` },
      });
    }
    server.kill('SIGTERM');
    await stopped(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
