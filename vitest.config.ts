import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The end-to-end tests spend most of their time in the state machine's real Waits, not on a core:
    // three files at once on 2 cores (vitest's default would be one fewer than the cores: one).
    maxWorkers: 3,
  },
});
