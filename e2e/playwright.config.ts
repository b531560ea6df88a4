import { defineConfig } from '@playwright/test';
import type { DemoOptions } from '@warren/playwright';

const port = Number(process.env.E2E_PORT ?? 8181);
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** `npm run demos` (scripts/demos.sh) plays the lesson demos paced and records them here. */
const demoDir = process.env.WARREN_DEMO_DIR || undefined;

export default defineConfig<DemoOptions>({
  testDir: './tests',
  // Lesson specs draw whole pipelines through the UI; on a loaded 2-core machine that alone can take
  // more than a minute. Assertions keep their own, shorter timeouts.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  // One retry on CI: the canvas animation is timed against a shared, loaded machine; a test that
  // only passes on retry is still reported as flaky in the JSON report.
  retries: process.env.CI ? 1 : 0,
  outputDir: '../.artifacts/e2e-results',
  reporter: [['list'], ['json', { outputFile: '../.artifacts/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'chromium', testDir: './tests', use: { browserName: 'chromium' } },
    {
      // A demo per lesson (e2e/demos): a fast test here, a captioned video from `npm run demos`.
      name: 'demos',
      testDir: './demos',
      testMatch: '**/*.demo.ts',
      use: {
        browserName: 'chromium',
        start: 'nothing',
        pace: Number(process.env.WARREN_DEMO_PACE ?? 0),
        recordDir: demoDir,
        // A recorded demo writes its own trace beside its video.
        trace: demoDir ? 'off' : 'retain-on-failure',
      },
    },
  ],
  webServer: [
    {
      // The real server (built web app + API + websocket) on the real broker.
      command: 'pnpm --filter @warren/server start',
      cwd: '..',
      url: `http://127.0.0.1:${port}/api/health`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
      // Stopped like Ctrl+C would; its sessions end with it (not kept for a next run).
      gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        WARREN_VHOST_PREFIX: 'warren-e2e-',
        LOG_LEVEL: 'warn',
        // Every test's browser comes from 127.0.0.1: far above one person's pace, still limited.
        SESSION_CREATES_PER_MINUTE: '10000',
        REQUESTS_PER_MINUTE: '1000000',
        // Restarts stop the broker for everyone: never beside other tests (broker-restart stage).
        WARREN_BROKER_RESTART: '',
        WARREN_KEEP_SESSIONS: 'false',
      },
    },
    {
      // The same server pointed at a port where no broker listens, for the broker-down story.
      command: 'pnpm --filter @warren/server start',
      cwd: '..',
      url: `http://127.0.0.1:${port + 1}/api/health`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
      env: {
        PORT: String(port + 1),
        HOST: '127.0.0.1',
        AMQP_URL: 'amqp://guest:guest@127.0.0.1:1',
        MANAGEMENT_URL: 'http://127.0.0.1:1',
        WARREN_VHOST_PREFIX: 'warren-e2e-down-',
        LOG_LEVEL: 'error',
        WARREN_KEEP_SESSIONS: 'false',
      },
    },
  ],
});
