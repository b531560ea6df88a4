import { configDefaults, defineProject } from 'vitest/config';

/**
 * Tests that restart the broker stop it for everyone on the machine: they run only in the serial
 * broker-restart stage of `npm test` (scripts/test.sh sets WARREN_BROKER_RESTART_TESTS=1).
 */
const brokerRestartTests = 'test/broker-restart/**';

export default defineProject({
  test: {
    name: 'server',
    include: ['test/**/*.test.ts'],
    exclude:
      process.env.WARREN_BROKER_RESTART_TESTS === '1'
        ? configDefaults.exclude
        : [...configDefaults.exclude, brokerRestartTests],
    // Every test talks to the one real broker; files run one after another to keep timings sane.
    fileParallelism: false,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
