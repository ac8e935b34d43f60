import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], pool: 'threads', sequence: { groupOrder: 0 } },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          // Workers hold native threads: one process per file, a few files at a time on two cores.
          pool: 'forks',
          maxWorkers: 2,
          // Unit tests first: a broken rule fails in seconds, before the slow suites start.
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // A page's redraw can wait on an api that starts a parse process: under the full suite's
          // load that takes seconds, not expect.poll's default one.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
