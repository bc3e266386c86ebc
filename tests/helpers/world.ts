/**
 * A whole world for end-to-end tests: the SMC and Webex simulators on 127.0.0.1, an alert
 * space with an operator in it, a fresh SQLite state file, and the environment a bot
 * process needs to run against all of it. The bot itself runs in-process (`startBot`) or
 * as a real child process (`spawnBot`), always with the real framework and real HTTP.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import type { App } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { BOT_BUNDLE, NODE_FLAGS } from '../../scripts/build.js';
import { type SmcSimulator, type SmcSimulatorOptions, startSmcSimulator } from '../../sandbox/smc/index.js';
import { type SecureEndpointSimulator, startSecureEndpointSimulator } from '../../sandbox/secure-endpoint/index.js';
import { type UmbrellaSimulator, startUmbrellaSimulator } from '../../sandbox/umbrella/index.js';
import { type VirusTotalSimulator, startVirusTotalSimulator } from '../../sandbox/virustotal/index.js';
import { type XdrSimulator, startXdrSimulator } from '../../sandbox/xdr/index.js';
import {
  type SimPerson,
  startWebexSimulator,
  type WebexMessage,
  type WebexRoom,
  type WebexSimulator,
  type WebexSimulatorOptions,
} from '../../sandbox/webex/index.js';

export const WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789';
const REPO_ROOT = resolve(import.meta.dirname, '../..');

export interface World {
  smc: SmcSimulator;
  xdr: XdrSimulator;
  umbrella: UmbrellaSimulator;
  secureEndpoint: SecureEndpointSimulator;
  virusTotal: VirusTotalSimulator;
  webex: WebexSimulator;
  /** Jane Doe, an operator (BOT_OPERATORS=@soc.example). */
  operator: SimPerson;
  /** Riley Responder, a responder (BOT_RESPONDERS). */
  responder: SimPerson;
  /** Robin Second, another responder, for the two-person rule. */
  responder2: SimPerson;
  /** Sam Outsider, in the space but in neither list. */
  outsider: SimPerson;
  alertRoom: WebexRoom;
  /** Environment for a bot on a fresh state file and a free port. */
  env(overrides?: Record<string, string>): Record<string, string>;
  /** Card messages currently in the alert space. */
  cards(): WebexMessage[];
  close(): Promise<void>;
}

/**
 * The Webex SDK takes its base URL from the environment once per process, when it loads. Test files
 * that share a process (one after another in one worker) therefore get their Webex simulator on the
 * same port: a fresh simulator, at the address the SDK already knows (kept on `globalThis`).
 */
export async function createWorld(
  opts: { webex?: WebexSimulatorOptions; smc?: SmcSimulatorOptions } = {},
): Promise<World> {
  const smc = await startSmcSimulator({ pollsUntilComplete: 1, ...opts.smc });
  const xdr = await startXdrSimulator();
  const umbrella = await startUmbrellaSimulator({ verdicts: {} });
  const secureEndpoint = await startSecureEndpointSimulator({ computers: [], verdicts: {} });
  const virusTotal = await startVirusTotalSimulator({ verdicts: {} });
  const shared = globalThis as { snaChatopsWebexPort?: number };
  const webex = await startWebexSimulator({ port: shared.snaChatopsWebexPort ?? 0, ...opts.webex });
  shared.snaChatopsWebexPort ??= Number(new URL(webex.apiUrl).port);
  const operator = webex.addPerson({ displayName: 'Jane Doe', email: 'jane@soc.example' });
  const responder = webex.addPerson({ displayName: 'Riley Responder', email: 'riley@soc.example' });
  const responder2 = webex.addPerson({ displayName: 'Robin Second', email: 'robin@soc.example' });
  const outsider = webex.addPerson({ displayName: 'Sam Outsider', email: 'sam@contractor.example' });
  const alertRoom = await webex.createRoom({
    title: 'SOC Alerts',
    type: 'group',
    memberIds: [operator.id, responder.id, responder2.id, outsider.id],
  });
  await webex.addBotToRoom(alertRoom.id, operator.id);
  const dirs: string[] = [];

  return {
    smc,
    xdr,
    umbrella,
    secureEndpoint,
    virusTotal,
    webex,
    operator,
    responder,
    responder2,
    outsider,
    alertRoom,
    env(overrides = {}) {
      const dir = mkdtempSync(join(tmpdir(), 'sna-chatops-e2e-'));
      dirs.push(dir);
      // The bot polls twice a second (tests wait for cards and polls, never for the clock; a poll costs
      // ~15 ms of CPU, so faster is left to files that wait on many polls), and
      // neither flow queries nor VirusTotal are rationed: a new card waits up to 3 s for its top
      // talkers once a minute's flow queries are used up. Tests about those limits set their own.
      return {
        WEBEX_BOT_TOKEN: webex.bot.token,
        WEBEX_API_URL: webex.apiUrl,
        WEBEX_WEBHOOK_URL: 'http://127.0.0.1:0/webex/events',
        WEBEX_WEBHOOK_SECRET: WEBHOOK_SECRET,
        WEBEX_ALERT_ROOM_ID: alertRoom.id,
        SNA_URL: smc.url,
        SNA_USERNAME: smc.username,
        SNA_PASSWORD: smc.password,
        SNA_POLL_SECONDS: '0.5',
        STATE_URL: `sqlite://${join(dir, 'state.sqlite')}`,
        XDR_CLIENT_ID: xdr.clientId,
        XDR_CLIENT_SECRET: xdr.clientSecret,
        XDR_API_URL: xdr.irohUrl,
        XDR_PRIVATE_INTEL_URL: xdr.privateIntelUrl,
        UMBRELLA_API_KEY: umbrella.apiKey,
        UMBRELLA_API_SECRET: umbrella.apiSecret,
        UMBRELLA_URL: umbrella.baseUrl,
        UMBRELLA_TOKEN_URL: umbrella.tokenUrl,
        SECURE_ENDPOINT_CLIENT_ID: secureEndpoint.clientId,
        SECURE_ENDPOINT_API_KEY: secureEndpoint.apiKey,
        SECURE_ENDPOINT_URL: secureEndpoint.url,
        VIRUSTOTAL_API_KEY: virusTotal.apiKey,
        VIRUSTOTAL_URL: virusTotal.baseUrl,
        VIRUSTOTAL_PER_MINUTE: '1000',
        SNA_FLOW_QUERIES_PER_MINUTE: '600',
        BOT_OPERATORS: '@soc.example',
        BOT_RESPONDERS: 'riley@soc.example,robin@soc.example',
        LOG_LEVEL: 'silent',
        ...overrides,
      };
    },
    cards: () => webex.messagesIn(alertRoom.id).filter((m) => (m.attachments?.length ?? 0) > 0),
    async close() {
      await webex.close();
      await smc.close();
      await xdr.close();
      await umbrella.close();
      await secureEndpoint.close();
      await virusTotal.close();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A free TCP port on 127.0.0.1 (the webhook URL must name the port before the bot starts). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Gives the environment a free port for the bot's webhook. */
export async function withPort(env: Record<string, string>): Promise<Record<string, string>> {
  const port = await freePort();
  return { ...env, PORT: String(port), WEBEX_WEBHOOK_URL: `http://127.0.0.1:${port}/webex/events` };
}

/** Starts the bot in this process (one Webex simulator per test file: the SDK binds to it once). */
export async function startBot(env: Record<string, string>, deps: { now?: () => Date } = {}): Promise<App> {
  const config = loadConfig(await withPort(env));
  // Loaded here, not at the top: files that only run simulators or child bots skip the framework and
  // the Webex SDK (about 2 s of CPU per file).
  const { startApp } = await import('../../bot/app.js');
  return startApp(config, { log: pino({ level: env.LOG_LEVEL ?? 'silent' }), ...deps });
}

export { testClock } from './clock.js';

export interface ChildBot {
  process: ChildProcess;
  output(): string;
  /** Resolves when the bot logs that it is ready. */
  ready(timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code. */
  exited(): Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Child bots still running. A test that fails before stopping its bot must not leave it running
 * (it would keep polling and loading the machine): they are killed when the test process exits.
 */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Runs the bot as `npm start` does (`node --max-semi-space-size=4 dist/bot/main.mjs`, built by the global set-up), in its own process. */
export function spawnBot(env: Record<string, string>): ChildBot {
  const child = spawn(process.execPath, [...NODE_FLAGS, BOT_BUNDLE], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', NO_PROXY: '127.0.0.1,localhost', WEBEX_LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exit = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  return {
    process: child,
    output: () => output,
    async ready(timeoutMs = 40_000) {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes('bot is ready')) {
        if (child.exitCode !== null) throw new Error(`bot exited early (${child.exitCode}):\n${output}`);
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(`bot not ready after ${timeoutMs} ms:\n${output}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    exited: () => exit,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exit;
    },
  };
}

/**
 * Resolves once the in-process bot's poller has finished `count` more polls (good or failed):
 * what a test waits on to know that everything the SMC held by now was seen, instead of a sleep.
 */
export async function polls(app: App, count = 2, timeoutMs = 20_000): Promise<void> {
  const poller = app.services.poller;
  if (!poller) throw new Error('the bot has no poller (SNA_URL unset)');
  const start = (await poller.status()).pollsCompleted;
  await eventually(
    async () => (await poller.status()).pollsCompleted >= start + count,
    timeoutMs,
    `${count} more polls`,
  );
}

/**
 * Resolves once the SMC simulator has handed out `count` more poll results (security-event
 * searches read to the end), for bots running as child processes: what a test waits on to know
 * that later polls over the same window have run, instead of a sleep.
 */
export async function smcPolls(world: World, count = 2, timeoutMs = 20_000): Promise<void> {
  const results = () =>
    world.smc.calls.filter((c) => c.method === 'GET' && /\/security-events\/results\//.test(c.path)).length;
  const start = results();
  await eventually(() => results() >= start + count, timeoutMs, `${count} more polls of the SMC`);
}

/** Polls until `predicate` returns something truthy. */
export async function eventually<T>(
  predicate: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export { hostGroup } from './smc.js';

/** The text of every TextBlock and Fact in a card message, for assertions a reader would make. */
export function cardText(message: WebexMessage): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      for (const key of ['text', 'title', 'value'])
        if (typeof record[key] === 'string') parts.push(record[key] as string);
      for (const value of Object.values(record)) if (typeof value === 'object') walk(value);
    }
  };
  walk(message.attachments?.[0]?.content);
  return parts.join('\n');
}

/** The `Action.*` entries of a card message. */
export function cardActions(
  message: WebexMessage,
): Array<{ type: string; title?: string; data?: Record<string, unknown> }> {
  const content = message.attachments?.[0]?.content as { actions?: unknown } | undefined;
  return Array.isArray(content?.actions) ? content.actions : [];
}
