/**
 * The benchmarks' world: the simulators of tests/helpers/world.ts in this process, the bot as a
 * child process (`npm start`'s compiled bundle, real framework, real SQLite), everything on 127.0.0.1.
 */
import { performance } from 'node:perf_hooks';
import type { WebexMessage } from '../../sandbox/webex/index.js';
import { type ChildBot, cardText, spawnBot, withPort, type World } from '../../tests/helpers/world.js';
import { buildBundles } from '../../scripts/build.js';
import { sleep, waitUntil } from './measure.js';

export { cardActions, cardText, createWorld, type World } from '../../tests/helpers/world.js';

let bundled: Promise<void> | undefined;

export interface BenchBot {
  child: ChildBot;
  pid: number;
  /** `http://127.0.0.1:<PORT>` of the bot's own server (webhook, health, push intake). */
  url: string;
  env: Record<string, string>;
  /** The bot's JSON log lines so far, parsed. */
  logs(): Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** Starts the bot as a child process on the world's simulators and waits until it is ready. */
export async function startChildBot(
  world: World,
  overrides: Record<string, string>,
  signal: AbortSignal,
): Promise<BenchBot> {
  const env = await withPort(world.env(overrides));
  // What `npm start` runs: the compiled bundle, built from the sources as they are now.
  bundled ??= buildBundles();
  await bundled;
  const child = spawnBot(env);
  const pid = child.process.pid;
  if (pid === undefined) throw new Error('the bot process did not start');
  const bot: BenchBot = {
    child,
    pid,
    url: `http://127.0.0.1:${env.PORT ?? ''}`,
    env,
    logs: () => parseLogLines(child.output()),
    stop: async () => {
      if (child.process.exitCode !== null || child.process.signalCode !== null) return;
      const exited = child.stop('SIGTERM');
      const killed = sleep(10_000).then(() => {
        if (child.process.exitCode === null) child.process.kill('SIGKILL');
      });
      await Promise.race([exited, killed]);
    },
  };
  try {
    // Ready = /readyz answers 200 (Webex initialized, state reachable), whatever LOG_LEVEL is;
    // /healthz on builds without /readyz.
    let probe = '/readyz';
    await waitUntil(
      async () => {
        if (child.process.exitCode !== null) {
          throw new Error(`the bot exited (${child.process.exitCode}):\n${child.output().slice(-2000)}`);
        }
        const res = await fetch(`${bot.url}${probe}`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
        await res?.arrayBuffer();
        if (res?.status === 404 && probe === '/readyz') probe = '/healthz';
        return res?.status === 200;
      },
      { timeoutMs: 30_000, what: 'the bot to be ready (/readyz 200)', signal, everyMs: 50 },
    );
  } catch (err) {
    await bot.stop();
    throw err;
  }
  return bot;
}

export function parseLogLines(output: string): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a line cut in the middle of a write; the next call sees it whole
    }
  }
  return lines;
}

export interface SeenCard {
  message: WebexMessage;
  /** `performance.now()` when the simulator stored it. */
  at: number;
  /** `Date.now()` at the same moment, to compare with log and call-log timestamps. */
  wall: number;
  action: 'created' | 'updated';
  text: string;
}

/**
 * Timestamps every card message created or edited in the alert space the moment the Webex
 * simulator stores it (its change events fire synchronously, in this process).
 */
export function watchCards(world: World): {
  seen: SeenCard[];
  waitFor(match: (card: SeenCard) => boolean, timeoutMs: number, what: string, signal: AbortSignal): Promise<SeenCard>;
  stop(): void;
} {
  const seen: SeenCard[] = [];
  const roomId = world.alertRoom.id;
  const onChange = (change: { kind: string; action: string; id?: string; roomId?: string }) => {
    if (change.kind !== 'message' || change.roomId !== roomId) return;
    if (change.action !== 'created' && change.action !== 'updated') return;
    const at = performance.now();
    const wall = Date.now();
    const message = world.webex.messagesIn(roomId).find((m) => m.id === change.id);
    if (!message || (message.attachments?.length ?? 0) === 0) return;
    seen.push({ message, at, wall, action: change.action, text: `${cardText(message)}\n${message.markdown ?? ''}` });
  };
  world.webex.events.on('change', onChange);
  return {
    seen,
    waitFor: (match, timeoutMs, what, signal) =>
      waitUntil(() => seen.find(match), { timeoutMs, what, signal, everyMs: 5 }),
    stop: () => {
      world.webex.events.off('change', onChange);
    },
  };
}

const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;

/** The IPv4 addresses a text names (cards escape Markdown, never digits and dots). */
export function addressesIn(text: string): string[] {
  return text.match(IPV4) ?? [];
}

/**
 * Which of `hosts` the bot's card messages in the alert space name (top-level cards and replies
 * threaded under them), and when each was first named (`Date.now()` clock) according to `seen`.
 */
export function hostsNamed(
  world: World,
  hosts: ReadonlySet<string>,
  seen: readonly SeenCard[] = [],
): { named: Set<string>; firstNamedAt: Map<string, number> } {
  const named = new Set<string>();
  for (const message of world.webex.messagesIn(world.alertRoom.id)) {
    if (message.personId !== world.webex.bot.id || (message.attachments?.length ?? 0) === 0) continue;
    for (const ip of addressesIn(`${cardText(message)}\n${message.markdown ?? ''}`)) if (hosts.has(ip)) named.add(ip);
  }
  const firstNamedAt = new Map<string, number>();
  for (const card of seen) {
    for (const ip of addressesIn(card.text))
      if (hosts.has(ip) && !firstNamedAt.has(ip)) firstNamedAt.set(ip, card.wall);
  }
  return { named, firstNamedAt };
}
