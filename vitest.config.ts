import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Each test file runs in its own process: the Webex SDK reads its base URL from the
    // environment once, when it is first loaded, so every file gets a fresh one.
    pool: 'forks',
    isolate: true,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    globalSetup: ['tests/helpers/global-setup.ts'],
    setupFiles: ['tests/helpers/setup-env.ts'],
    reporters: process.env.CI ? ['verbose'] : ['default'],
  },
});
