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
          testTimeout: 30_000,
          // The e2e suites' set-up runs whole CLI commands (`patchcast run` takes ~9 s on a busy 2-core machine).
          hookTimeout: 60_000,
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
