import { defineConfig } from 'vitest/config';
import LongestFirst from './tests/helpers/sequencer.js';

/**
 * Files that start no bot and load no Webex SDK: pure functions, clients against simulators,
 * state, pipeline and poller over memory://. They share one module cache per worker (no isolation),
 * which halves their CPU time (measured: 36 s → 18 s for the 43 files of tests/bot, cards,
 * integrations and helpers on the 2-core machine).
 */
const SHARED = [
  'tests/bot/**/*.test.ts',
  'tests/cards/**/*.test.ts',
  'tests/integrations/**/*.test.ts',
  'tests/helpers/**/*.test.ts',
  'tests/fuzz/{parsers,truncate}.test.ts',
  'tests/scripts/node-flags.test.ts',
  'tests/sandbox/{secure-endpoint,smc,umbrella,virustotal,webex,webex-mercury,xdr}.test.ts',
];
/**
 * Files that run the bot in process against the simulators. They can share a process (files one
 * after another in one worker, no isolation) because each file's Webex simulator gets the port the
 * SDK was first loaded for (tests/helpers/world.ts); they save loading the SDK and the bot again.
 * Not websocket.test.ts: it sets the SDK's ping interval through the environment before loading it.
 */
const IN_PROCESS_BOT = [
  'tests/e2e/{access,alert-path,block,commands,digest,enrich,flows,guardrails,hostile-strings,http-errors}.test.ts',
  'tests/e2e/{observability,push-poison,push,quota,relay,tag,two-person,workflow}.test.ts',
  'tests/fuzz/{card-presses,commands}.test.ts',
  'tests/faults/{smc,xdr}.test.ts',
];
/** Of those, the ones that do load the Webex SDK: they need a process of their own. */
const NEEDS_OWN_PROCESS = ['tests/bot/webex/messaging-sdk.test.ts'];
/**
 * Files whose bots all run as child processes (`spawnBot`): the test process itself only drives
 * simulators and proxies and never loads the bot or the SDK, so these files share a process too
 * (measured: a process of its own costs a file about 1.5 s of CPU to start and import).
 */
const CHILD_BOTS_ONLY = [
  'tests/faults/{crash,exactly-once,half-done,state,webex}.test.ts',
  'tests/e2e/{ha-redis,restart}.test.ts',
  'tests/scripts/smoke.test.ts',
];

// These start bots as child processes (start-up is seconds of CPU each): more time on a loaded machine.
const CHILD_BOT_TIMEOUTS = { testTimeout: 60_000, hookTimeout: 60_000 } as const;
const OWN_PROCESS = { pool: 'forks', isolate: true, ...CHILD_BOT_TIMEOUTS } as const;

export default defineConfig({
  test: {
    // Most files wait on simulators, timers and child processes rather than compute: more files
    // than cores run at once (measured on the 2-core machine; VITEST_MAX_WORKERS overrides).
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS ?? 5),
    testTimeout: 30_000,
    hookTimeout: 30_000,
    globalSetup: ['tests/helpers/global-setup.ts'],
    setupFiles: ['tests/helpers/setup-env.ts'],
    sequence: { sequencer: LongestFirst },
    reporters: process.env.CI ? ['verbose'] : ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: SHARED,
          exclude: NEEDS_OWN_PROCESS,
          pool: 'forks',
          isolate: false,
        },
      },
      // Each file of these runs in its own process: the Webex SDK reads its base URL from the
      // environment once, when it is first loaded, so every file that starts a bot gets a fresh one.
      { extends: true, test: { name: 'bot', include: IN_PROCESS_BOT, pool: 'forks', isolate: false } },
      {
        extends: true,
        test: {
          name: 'system',
          include: ['tests/**/*.test.ts'],
          exclude: [...SHARED, ...IN_PROCESS_BOT, ...CHILD_BOTS_ONLY],
          ...OWN_PROCESS,
        },
      },
      {
        extends: true,
        test: { name: 'child', include: CHILD_BOTS_ONLY, pool: 'forks', isolate: false, ...CHILD_BOT_TIMEOUTS },
      },
      { extends: true, test: { name: 'sdk', include: NEEDS_OWN_PROCESS, ...OWN_PROCESS } },
    ],
  },
});
