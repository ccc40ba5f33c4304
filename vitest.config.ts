import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The default report, then each project's time and the slowest files (test/timing-reporter.ts).
    reporters: ['default', './test/timing-reporter.ts'],
    // Unit and integration files run side by side, at least two at a time: an integration file spends
    // most of its time waiting for moto, Samba or a child process, so vitest's default (one worker
    // fewer than the cores: one on a 2-core CI machine) leaves a core idle. e2e files still run one
    // at a time, after the others (fileParallelism: false puts them in a group of their own).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['shared/**/*.test.ts', 'backend/**/*.test.ts', 'extension/**/*.test.{ts,tsx}', 'web/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
