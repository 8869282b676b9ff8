import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests start worker threads and time real runs: one file at a time keeps the 2-core CI honest.
    fileParallelism: false,
    testTimeout: 120_000,
    // Workers zero each part the main thread hands back: a sink reading a batch after releasing it breaks output.
    env: { SECLOG_POISON_PARTS: '1' },
    hookTimeout: 120_000,
    // Installs and starts the real servers and PyPI packages the run's files need, all at once, before they run.
    globalSetup: ['test/global-setup.ts'],
  },
});
