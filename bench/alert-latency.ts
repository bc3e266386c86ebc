/**
 * Alert latency: from an event appearing to its card appearing in the Webex simulator.
 *
 * - Poll path: SNA_POLL_SECONDS=2; events are added to the SMC simulator at seeded random
 *   moments (so they land at every phase of the poll cycle); latency = `addEvent` → the card is
 *   stored by the Webex simulator. Target p95 ≤ poll interval + 2 s.
 * - Push path: the same, but the event is POSTed to the bot's `/sna/alarms` (authenticated with
 *   SNA_WEBHOOK_TOKEN; the README's flat template by default, see lib/push.ts), with polling made
 *   irrelevant (SNA_POLL_SECONDS=3600). Latency = POST sent → card stored. Target p95 ≤ 1 s.
 *   When the bot has no such route the push rows say "not available" instead of failing.
 *
 * Auto-enrichment stays on (the default), so latency includes the bot's wait for verdicts.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { round, seededRandom, sleep, summarize } from './lib/measure.js';
import { pushForm, pushIntakeAvailable, PUSH_PATH, PUSH_TOKEN, pushRequest } from './lib/push.js';
import {
  info,
  measured,
  notAvailable,
  type BenchContext,
  type BenchOutcome,
  type Benchmark,
  type Metric,
} from './lib/report.js';
import { runStandalone } from './lib/standalone.js';
import { createWorld, startChildBot, watchCards } from './lib/world.js';

const HIGH_TOTAL_TRAFFIC = 16;
const POLL_SECONDS = 2;
const PUSH_TARGET_MS = 1000;

function samplesFromEnv(): number {
  const n = Number(process.env.BENCH_LATENCY_SAMPLES ?? 20);
  return Number.isInteger(n) && n > 0 && n <= 99 ? n : 20;
}

async function pollPath(ctx: BenchContext, samples: number): Promise<{ metrics: Metric[]; latencies: number[] }> {
  const { signal, log } = ctx;
  const world = await createWorld();
  const watcher = watchCards(world);
  const bot = await startChildBot(world, { SNA_POLL_SECONDS: String(POLL_SECONDS), LOG_LEVEL: 'warn' }, signal).catch(
    async (err: unknown) => {
      watcher.stop();
      await world.close();
      throw err;
    },
  );
  try {
    await sleep(POLL_SECONDS * 1000 + 500, signal);
    const random = seededRandom(2);
    const sent: Array<{ host: string; t0: number; wall: number }> = [];
    log(`alert-latency: ${samples} events on the poll path (SNA_POLL_SECONDS=${POLL_SECONDS})`);
    for (let i = 0; i < samples; i += 1) {
      await sleep(300 + Math.floor(random() * 2000), signal);
      // Three-digit last octets: no host's address is a prefix of another's.
      const host = `10.30.1.${100 + i}`;
      const t0 = performance.now();
      const wall = Date.now();
      world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: host, targetIp: `203.0.113.${100 + i}`, points: 120 });
      sent.push({ host, t0, wall });
    }
    const latencies: number[] = [];
    const phases = { waitForPoll: [] as number[], smcQuery: [] as number[], afterResults: [] as number[] };
    for (const { host, t0, wall } of sent) {
      const card = await watcher.waitFor((c) => c.text.includes(host), 30_000, `the card for ${host}`, signal);
      latencies.push(round(card.at - t0));
      // Where the time went, from the SMC simulator's call log (times of its answers).
      const calls = world.smc.calls.map((c) => ({ ...c, at: Date.parse(c.time) }));
      const start = calls.find((c) => c.method === 'POST' && c.path.endsWith('/queries') && c.at >= wall);
      const results = start && calls.find((c) => c.path.includes('/results/') && c.at >= start.at);
      if (start && results) {
        phases.waitForPoll.push(start.at - wall);
        phases.smcQuery.push(results.at - start.at);
        phases.afterResults.push(card.wall - results.at);
      }
    }
    const stats = summarize(latencies);
    const target = POLL_SECONDS * 1000 + 2000;
    const p50 = (samples: number[]) => summarize(samples).p50;
    return {
      latencies,
      metrics: [
        measured(`poll path p95 (SNA_POLL_SECONDS=${POLL_SECONDS})`, stats.p95, 'ms', { op: '<=', value: target }),
        info('  poll path p50', stats.p50, 'ms'),
        info('  poll path max', stats.max, 'ms', `${stats.n} samples`),
        info('  p50 wait until the next poll starts its query', p50(phases.waitForPoll), 'ms'),
        info('  p50 SMC query (start → results answered)', p50(phases.smcQuery), 'ms'),
        info('  p50 results → card in Webex', p50(phases.afterResults), 'ms'),
      ],
    };
  } finally {
    watcher.stop();
    await bot.stop();
    await world.close();
  }
}

async function pushPath(ctx: BenchContext, samples: number): Promise<{ metrics: Metric[]; latencies: number[] }> {
  const { signal, log } = ctx;
  const target = { op: '<=' as const, value: PUSH_TARGET_MS };
  const world = await createWorld();
  const watcher = watchCards(world);
  const bot = await startChildBot(
    world,
    { SNA_POLL_SECONDS: '3600', LOG_LEVEL: 'warn', SNA_WEBHOOK_TOKEN: PUSH_TOKEN },
    signal,
  ).catch(async (err: unknown) => {
    watcher.stop();
    await world.close();
    throw err;
  });
  try {
    const probe = await pushIntakeAvailable(bot.url);
    if (!probe.available) {
      log(`alert-latency: push intake not available (POST ${PUSH_PATH} → ${probe.status})`);
      return {
        latencies: [],
        metrics: [
          notAvailable('push path p95', 'ms', target, `the bot has no POST ${PUSH_PATH} (answered ${probe.status})`),
        ],
      };
    }
    // The first poll (at start) must be over before events exist, so only the push can deliver them.
    await sleep(2500, signal);
    log(`alert-latency: ${samples} events on the push path`);
    const random = seededRandom(3);
    const latencies: number[] = [];
    const failures: string[] = [];
    for (let i = 0; i < samples; i += 1) {
      await sleep(100 + Math.floor(random() * 400), signal);
      const host = `10.31.1.${100 + i}`;
      // The SMC's own wire record; it stays in the SMC too, as it would on a real one.
      const record = world.smc.addEvent({
        typeId: HIGH_TOTAL_TRAFFIC,
        sourceIp: host,
        targetIp: `198.51.100.${100 + i}`,
        points: 120,
      });
      const { headers, body } = pushRequest(record, { typeName: 'High Total Traffic' });
      const t0 = performance.now();
      const res = await fetch(`${bot.url}${PUSH_PATH}`, { method: 'POST', headers, body, signal });
      const answer = await res.text();
      if (!res.ok) {
        failures.push(`${res.status} ${answer.slice(0, 200)}`);
        continue;
      }
      const card = await watcher.waitFor((c) => c.text.includes(host), 15_000, `the card for ${host}`, signal);
      latencies.push(round(card.at - t0));
    }
    const stats = summarize(latencies);
    const metrics: Metric[] = [
      failures.length > 0 && latencies.length === 0
        ? measured('push path p95', null, 'ms', target, `every push was refused: ${failures[0] ?? ''}`)
        : measured('push path p95', stats.p95, 'ms', target),
      info('  push path p50', stats.p50, 'ms'),
      info('  push path max', stats.max, 'ms', `${stats.n} samples, body form "${pushForm()}" (BENCH_PUSH_FORM)`),
    ];
    if (failures.length > 0) {
      metrics.push(measured('  pushes refused', failures.length, 'requests', { op: '<=', value: 0 }, failures[0]));
    }
    return { latencies, metrics };
  } finally {
    watcher.stop();
    await bot.stop();
    await world.close();
  }
}

export const alertLatency: Benchmark = {
  name: 'alert-latency',
  title: 'event → card in Webex, poll and push paths',
  timeoutMs: 180_000,
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const samples = samplesFromEnv();
    const poll = await pollPath(ctx, samples);
    const push = await pushPath(ctx, samples);
    return {
      metrics: [...poll.metrics, ...push.metrics],
      details: { samples, pollSeconds: POLL_SECONDS, pollLatenciesMs: poll.latencies, pushLatenciesMs: push.latencies },
    };
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await runStandalone(alertLatency);
