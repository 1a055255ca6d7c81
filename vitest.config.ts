import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{wasm,electron,fixtures,renderer,scripts}/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
