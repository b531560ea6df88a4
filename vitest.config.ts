import { defineConfig } from 'vitest/config';

/**
 * One run for every workspace package. Each project keeps its own settings (the server's
 * runs its files one at a time against the real broker); reporters are set here only.
 */
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/server', 'apps/web', 'bench'],
    reporters: ['default', 'json'],
    outputFile: { json: '.artifacts/vitest.json' },
  },
});
