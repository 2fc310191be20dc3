import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests beside the code, and integration tests that need a real
// PostgreSQL, SSH or browser (`*.int.spec.ts`). `npm test` runs both; `npm run test:int` only the latter.
export default defineConfig({
  test: {
    // Every `patchcast` a test spawns runs the sources, never a dist/ that may be stale (bin/patchcast.js).
    env: { PATCHCAST_FROM_SOURCE: '1' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
          exclude: ['**/*.int.spec.ts', '**/node_modules/**'],
          // A whole-CLI test runs several commands; on a busy 2-core machine one takes seconds, not ms.
          testTimeout: 120_000,
          // The e2e suites' set-up copies the prepared demo store, and the first one builds it: a whole
          // `patchcast run` on an empty store, about a minute on a busy 2-core machine.
          hookTimeout: 600_000,
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
      {
        test: {
          name: 'int',
          include: ['src/**/*.int.spec.ts', 'test/**/*.int.spec.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
