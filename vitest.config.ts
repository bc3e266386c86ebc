import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Each test file runs in its own process: the Webex SDK reads its base URL from the
    // environment once, when it is first loaded, so every file gets a fresh one.
    pool: 'forks',
    isolate: true,
    // Most files wait on simulators, timers and child processes rather than compute: more files
    // than cores run at once (measured on the 2-core machine; VITEST_MAX_WORKERS overrides).
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS ?? 5),
    testTimeout: 30_000,
    hookTimeout: 30_000,
    globalSetup: ['tests/helpers/global-setup.ts'],
    setupFiles: ['tests/helpers/setup-env.ts'],
    reporters: process.env.CI ? ['verbose'] : ['default'],
  },
});
