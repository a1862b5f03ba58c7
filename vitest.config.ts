import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Worker threads and child processes load the built entry points.
    env: { TUNEBENCH_WORKERS_DIR: resolve(import.meta.dirname, 'out/main/workers') },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
