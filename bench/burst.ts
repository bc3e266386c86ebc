/**
 * Burst: security events waiting in the SMC when the bot starts, so its first poll gets all of
 * them at once; run at 1,000, 10,000 and 100,000 events (`BENCH_BURST_SIZES`), one fresh world
 * and bot each, so the cost's growth shows. For each: that poll's processing time (from the
 * poller's own summary log line), the bot process's peak RSS (VmHWM of the child process) and
 * the CPU time it used from ready to the summary (on a shared machine, the work whatever the
 * wall clock). The targets apply to the largest: ≤ 5 s and ≤ 256 MB. With DIGEST_THRESHOLD at its
 * default (10) the burst must become one digest card; at the largest size an operator then presses
 * the digest's list button: hosts named in the room, and Webex message calls for that.
 *
 * Workload (seeded, identical every run): N events from BENCH_BURST_HOSTS distinct inside hosts
 * (default 1,000, so 1, 10 or 100 events each, each to its own outside peer), all of event type
 * 16, first active within the last 30 minutes. That makes 1,000 new incidents (one per host and
 * event type) at every size: what grows is the events per incident.
 */
import { fileURLToPath } from 'node:url';
import { info, measured, type BenchContext, type BenchOutcome, type Benchmark, type Metric } from './lib/report.js';
import { cpuTimeOf, MB, round, sampleMemory, seededRandom, sleep, waitUntil } from './lib/measure.js';
import type { WebexMessage } from '../sandbox/webex/index.js';
import {
  addressesIn,
  cardActions,
  cardText,
  createWorld,
  hostsNamed,
  startChildBot,
  watchCards,
  type World,
} from './lib/world.js';
import { runStandalone } from './lib/standalone.js';

const HIGH_TOTAL_TRAFFIC = 16;
const TARGET_POLL_MS = 5000;
const TARGET_RSS_MB = 256;
const POLL_LOG = 'poll found new or changed security events';
/** A page of the digest's threaded host list must name at least this many hosts (phone-sized, not one per message). */
const MIN_HOSTS_PER_PAGE = 50;
const DEFAULT_SIZES = [1000, 10_000, 100_000];

function positiveInt(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

function sizesFromEnv(): number[] {
  const sizes = (process.env.BENCH_BURST_SIZES ?? '')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  return (sizes.length > 0 ? sizes : DEFAULT_SIZES).sort((a, b) => a - b);
}

const count = (n: number) => n.toLocaleString('en-US');
const hostIp = (h: number) => `10.20.${Math.floor(h / 250)}.${(h % 250) + 1}`;

/** Fills the SMC simulator with the seeded burst. */
function addBurst(world: World, eventCount: number, hostCount: number): void {
  const random = seededRandom(1);
  const now = Date.now();
  for (let i = 0; i < eventCount; i += 1) {
    const host = i % hostCount;
    const first = new Date(now - 30 * 60_000 + Math.floor(random() * 25 * 60_000));
    world.smc.addEvent({
      typeId: HIGH_TOTAL_TRAFFIC,
      sourceIp: hostIp(host),
      targetIp: `${i % 2 === 0 ? '203.0.113' : '198.51.100'}.${((Math.floor(i / hostCount) * 17 + host) % 254) + 1}`,
      targetPort: 443,
      points: 20 + Math.floor(random() * 280),
      hitCount: 1 + Math.floor(random() * 5),
      firstActive: first,
      lastActive: new Date(first.getTime() + Math.floor(random() * 60_000)),
    });
  }
}

/** Waits until no Webex call has been made for three seconds in a row. */
async function webexQuiet(world: World, signal: AbortSignal): Promise<void> {
  let lastCount = world.webex.calls.length;
  for (let quiet = 0; quiet < 3;) {
    await sleep(1000, signal);
    quiet = world.webex.calls.length === lastCount ? quiet + 1 : 0;
    lastCount = world.webex.calls.length;
  }
}

interface SizeResult {
  events: number;
  metrics: Metric[];
  details: Record<string, unknown>;
}

/** One size: a fresh world and bot, the first poll measured; the digest and its list at the largest. */
async function runSize(eventCount: number, largest: boolean, { signal, log }: BenchContext): Promise<SizeResult> {
  const hostCount = Math.min(positiveInt('BENCH_BURST_HOSTS', 1000), eventCount);
  const label = `${count(eventCount)} events`;
  const world = await createWorld();
  const watcher = watchCards(world);
  let bot: Awaited<ReturnType<typeof startChildBot>> | undefined;
  let memory: ReturnType<typeof sampleMemory> | undefined;
  try {
    const generateStart = performance.now();
    addBurst(world, eventCount, hostCount);
    log(
      `burst: ${label} from ${hostCount} hosts in the SMC simulator (${round(performance.now() - generateStart, 0)} ms)`,
    );

    // Long poll interval: only the first poll (the burst) happens while we measure.
    bot = await startChildBot(world, { LOG_LEVEL: 'info', SNA_POLL_SECONDS: '60' }, signal);
    memory = sampleMemory(bot.pid, 50);
    const hwmAtReady = memory.at();
    const cpuAtReady = cpuTimeOf(bot.pid);
    const callsAtReady = world.webex.calls.length;
    log(`burst: ${label}: bot ready, waiting for the first poll`);

    const currentBot = bot;
    const summary = await waitUntil(() => currentBot.logs().find((l) => l.msg === POLL_LOG), {
      timeoutMs: 180_000,
      what: 'the poll summary log line',
      signal,
      everyMs: 50,
    });
    const cpuAtSummary = cpuTimeOf(bot.pid);
    const pollStart = Date.parse(String(summary.to));
    const pollEnd = Date.parse(String(summary.time));
    const resultsCall = world.smc.calls.find(
      (c) => c.path.includes('/security-events/results/') && Date.parse(c.time) >= pollStart - 5,
    );
    const queryMs = resultsCall ? Date.parse(resultsCall.time) - pollStart : null;
    const cpuMs = cpuAtReady !== undefined && cpuAtSummary !== undefined ? cpuAtSummary - cpuAtReady : null;
    log(`burst: ${label}: poll took ${pollEnd - pollStart} ms (${cpuMs ?? '?'} ms CPU); waiting for the digest card`);

    const digest = await watcher.waitFor(() => true, 120_000, 'the digest card', signal);
    // Let the outbox settle: nothing more should be posted for this burst.
    await webexQuiet(world, signal);
    const peakMb = memory.peakHwm() / MB;
    const sizeMetrics: Metric[] = largest
      ? [
          measured(`${label}: poll processing (poll start → summary logged)`, pollEnd - pollStart, 'ms', {
            op: '<=',
            value: TARGET_POLL_MS,
          }),
          measured(`${label}: peak RSS of the bot process (VmHWM)`, round(peakMb), 'MB', {
            op: '<=',
            value: TARGET_RSS_MB,
          }),
        ]
      : [
          info(`${label}: poll processing (poll start → summary logged)`, pollEnd - pollStart, 'ms'),
          info(`${label}: peak RSS of the bot process (VmHWM)`, round(peakMb), 'MB'),
        ];
    sizeMetrics.push(
      info(
        '  of which SMC query (start → results answered)',
        queryMs,
        'ms',
        largest
          ? 'the simulator answers IN_PROGRESS once; the client checks the job after 0.1 s, then 0.2 s later (its pauses double up to the 0.5 s interval)'
          : undefined,
      ),
      info('  bot CPU time, ready → summary logged', cpuMs, 'ms'),
      info('  RSS high-water mark at ready, before the burst', round(hwmAtReady / MB), 'MB'),
      info('  poll start → digest card in Webex', digest.wall - pollStart, 'ms'),
    );
    const details: Record<string, unknown> = {
      events: eventCount,
      distinctHosts: hostCount,
      pollSummary: summary,
      cpuMs,
      peakRssBytes: memory.peakHwm(),
      smcCalls: world.smc.calls.map((c) => `${c.method} ${c.path.replace(/[0-9a-f]{24}/, '{job}')} ${c.status}`),
    };
    if (!largest) return { events: eventCount, metrics: sizeMetrics, details };

    const botCalls = world.webex.calls.slice(callsAtReady).filter((c) => c.auth === 'bot');
    const isMessageCall = (c: { path: string; method: string }) =>
      c.path.startsWith('/v1/messages') && c.method !== 'GET';
    const messageCalls = botCalls.filter(isMessageCall);
    const hosts = new Set(Array.from({ length: hostCount }, (_, h) => hostIp(h)));
    const namedByDigest = hostsNamed(world, hosts).named.size;

    // The rest of the hosts: an operator presses the digest's list button, if it has one.
    const listButton = cardActions(digest.message).find((a) => a.data?.action === 'digest-hosts');
    const callsBeforeList = world.webex.calls.length;
    if (listButton?.data) {
      log(`burst: the digest names ${namedByDigest} hosts; pressing "${listButton.title ?? ''}"`);
      await world.webex.submitCard({
        personId: world.operator.id,
        messageId: digest.message.id,
        inputs: listButton.data,
      });
      await waitUntil(() => hostsNamed(world, hosts).named.size === hostCount, {
        timeoutMs: 60_000,
        what: 'every host named',
        signal,
        everyMs: 100,
      }).catch((err: unknown) => log(`burst: ${err instanceof Error ? err.message : String(err)}`));
      await webexQuiet(world, signal);
    }
    const listCalls = world.webex.calls.slice(callsBeforeList).filter((c) => c.auth === 'bot' && isMessageCall(c));
    const pages = world.webex
      .messagesIn(world.alertRoom.id)
      .filter((m) => m.parentId === digest.message.id && (m.attachments?.length ?? 0) > 0);
    const named = hostsNamed(world, hosts).named.size;
    return {
      events: eventCount,
      metrics: [
        ...sizeMetrics,
        info('  RSS high-water mark once the digest was posted (before its list)', round(peakMb), 'MB'),
        measured(
          'Webex message calls for the burst',
          messageCalls.length,
          'calls',
          { op: '<=', value: 1 },
          `${Number(summary.incidentsTouched)} new incidents from ${hostCount} hosts → one digest card expected`,
        ),
        info('  hosts named by the digest card itself', namedByDigest, 'hosts'),
        measured('hosts named in the room (digest + its list)', named, 'hosts', { op: '>=', value: hostCount }),
        measured(
          'Webex message calls to name every host',
          messageCalls.length + listCalls.length,
          'calls',
          { op: '<=', value: 1 + pages.length },
          `one digest card, then ${pages.length} list pages threaded under it after one press`,
        ),
        measured(
          '  hosts per list page (fewest)',
          pages.length === 0 ? (named === hostCount ? hostCount : null) : Math.min(...pages.map(pageHosts)),
          'hosts',
          { op: '>=', value: Math.min(MIN_HOSTS_PER_PAGE, hostCount) },
        ),
        info('Webex API calls by the bot, ready → digest posted', botCalls.length, 'calls'),
        info('events in the poll', Number(summary.events), 'events'),
        info('new incidents', Number(summary.incidentsTouched), 'incidents'),
      ],
      details: {
        ...details,
        webexBotCalls: botCalls.map((c) => `${c.method} ${c.path} ${c.status}`),
        cardsInSpace: world.cards().length,
        listPages: pages.length,
        listPageBytes: pages.map((p) => JSON.stringify(p.attachments ?? []).length),
        digestCardBytes: JSON.stringify(digest.message.attachments ?? []).length,
      },
    };
  } finally {
    memory?.stop();
    watcher.stop();
    await bot?.stop();
    await world.close();
  }
}

export const burst: Benchmark = {
  name: 'burst',
  title: '1,000 / 10,000 / 100,000 security events in one poll',
  timeoutMs: 480_000,
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const sizes = sizesFromEnv();
    const results: SizeResult[] = [];
    for (const [n, size] of sizes.entries()) results.push(await runSize(size, n === sizes.length - 1, ctx));
    return {
      metrics: results.flatMap((r) => r.metrics),
      details: { eventType: HIGH_TOTAL_TRAFFIC, sizes: results.map((r) => r.details) },
    };
  },
};

/** Distinct burst hosts (10.20.x.y) one message names. */
function pageHosts(message: WebexMessage): number {
  return new Set(addressesIn(cardText(message)).filter((ip) => ip.startsWith('10.20.'))).size;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runStandalone(burst);
