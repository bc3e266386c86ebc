/**
 * Memory at rest: the bot's resident set once it has started and settled, with nothing to do.
 *
 * The bot runs as `npm start` runs it (child process, compiled bundle, SQLite state, webhook mode)
 * with its defaults (auto-enrichment on, prom-client's default metrics) against the simulators,
 * polling every 2 s an SMC that holds no event. After `/readyz` answers 200 it is left alone for
 * BENCH_REST_SETTLE_SECONDS (6) seconds, polls included; `VmRSS` of the process is read every
 * 250 ms over the last half of that and the median is the value. `VmHWM` (the peak since start,
 * start-up included) is context.
 *
 * The bot runs with `npm start`'s Node flags (scripts/build.ts NODE_FLAGS): V8's young generation
 * is capped at 8 MB. Without that cap about 30 MB of the figure was the young generation, grown to
 * its 32 MB maximum while the bot loads its modules and kept while it idles. RSS still falls by a
 * few MB some seconds after this window, when V8 collects start-up's garbage from the old space.
 */
import { fileURLToPath } from 'node:url';
import { MB, memoryOf, percentile, round, sleep, waitUntil } from './lib/measure.js';
import { info, measured, type BenchContext, type BenchOutcome, type Benchmark } from './lib/report.js';
import { runStandalone } from './lib/standalone.js';
import { createWorld, startChildBot } from './lib/world.js';

const TARGET_RSS_MB = 120;
const RESULTS_PATH = '/security-events/results/';

export const rest: Benchmark = {
  name: 'rest',
  title: 'resident memory at rest',
  timeoutMs: 90_000,
  async run({ signal, log }: BenchContext): Promise<BenchOutcome> {
    const settleSeconds = Math.min(Math.max(Number(process.env.BENCH_REST_SETTLE_SECONDS ?? 6) || 6, 2), 60);
    const world = await createWorld();
    let bot: Awaited<ReturnType<typeof startChildBot>> | undefined;
    try {
      bot = await startChildBot(world, { SNA_POLL_SECONDS: '2', LOG_LEVEL: 'info' }, signal);
      const pid = bot.pid;
      const atReady = memoryOf(pid);
      log(`rest: bot ready (${round((atReady?.rss ?? 0) / MB)} MB), settling ${settleSeconds} s`);
      const polls = () => world.smc.calls.filter((c) => c.path.includes(RESULTS_PATH)).length;
      await waitUntil(() => polls() >= 1, { timeoutMs: 20_000, what: 'the first poll', signal, everyMs: 50 });
      const samples: number[] = [];
      const started = Date.now();
      while (Date.now() - started < settleSeconds * 1000) {
        await sleep(250, signal);
        const m = memoryOf(pid);
        if (!m) throw new Error('the bot exited while settling');
        if (Date.now() - started >= (settleSeconds * 1000) / 2) samples.push(m.rss);
      }
      const median = percentile(samples, 50);
      const end = memoryOf(pid);
      return {
        metrics: [
          measured(
            'RSS at rest (VmRSS, median after settling)',
            median === null ? null : round(median / MB),
            'MB',
            { op: '<=', value: TARGET_RSS_MB },
            `${samples.length} samples over the last ${settleSeconds / 2} s of ${settleSeconds} s after ready; ${polls()} polls by then`,
          ),
          info('  RSS at ready', atReady ? round(atReady.rss / MB) : null, 'MB'),
          info('  peak RSS since start (VmHWM)', end ? round(end.hwm / MB) : null, 'MB'),
        ],
        details: { rssSamplesBytes: samples, atReady, atEnd: end, settleSeconds },
      };
    } finally {
      await bot?.stop();
      await world.close();
    }
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await runStandalone(rest);
