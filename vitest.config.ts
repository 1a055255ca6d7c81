import { defineConfig } from 'vitest/config';

// Two projects share the worker pool (2 workers on the 2-core CI machine): unit/integration files run in parallel;
// the chromium end-to-end files run one at a time, so two browsers never compete for the cores (their timeouts are
// sized for one browser at a time next to unit tests).
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{wasm,electron,fixtures,renderer,scripts}/**/*.test.ts', 'tests/**/*.test.ts'],
          exclude: ['tests/e2e/**/*.e2e.test.ts', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.test.ts'],
          fileParallelism: false,
        },
      },
    ],
  },
});
