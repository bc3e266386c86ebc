/**
 * Hostile cards: the cost of building an alert card and a verdict card whose every field an
 * attacker (or a broken upstream) filled with huge text: 10,000 repetitions of emoji sequences,
 * combining marks, Markdown and URLs, hundreds of host groups, sources and pivots (the worst inputs
 * of tests/cards). The builders are pure functions, run here in the benchmark process; each card is
 * built BENCH_HOSTILE_SAMPLES (10) times after one warm-up; the median is held to the target (the
 * p95 of ten builds is one garbage collection away from the worst sample), the p95 shown beside it. A card costing
 * seconds would let anyone who can name a host group or answer a lookup stall the bot.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { alertCard } from '../cards/alert.js';
import type { AlertCardInput } from '../cards/types.js';
import { verdictCard } from '../cards/verdict.js';
import { worstAlertInput, worstVerdictInput } from '../tests/fixtures/cards/worst-inputs.js';
import { round, summarize } from './lib/measure.js';
import { info, measured, type BenchOutcome, type Benchmark } from './lib/report.js';
import { runStandalone } from './lib/standalone.js';

const TARGET_MS = 100;
/** The hostile alert fixture of tests/cards, every text field then made huge. */
function worstAlert(): AlertCardInput {
  const hostile = JSON.parse(
    readFileSync(new URL('../tests/fixtures/cards/hostile.json', import.meta.url), 'utf8'),
  ) as AlertCardInput;
  return worstAlertInput(hostile);
}

function timeOf(build: () => unknown, samples: number): number[] {
  build();
  return Array.from({ length: samples }, () => {
    const started = performance.now();
    build();
    return round(performance.now() - started);
  });
}

export const hostileCards: Benchmark = {
  name: 'hostile-cards',
  title: 'building cards from hostile, huge upstream text',
  timeoutMs: 120_000,
  run(): Promise<BenchOutcome> {
    const samples = Math.min(Math.max(Number(process.env.BENCH_HOSTILE_SAMPLES ?? 10) || 10, 1), 100);
    const alert = worstAlert();
    const verdict = worstVerdictInput();
    const alerts = summarize(timeOf(() => alertCard(alert), samples));
    const verdicts = summarize(timeOf(() => verdictCard(verdict), samples));
    return Promise.resolve({
      metrics: [
        measured('alert card, worst input, median', alerts.p50, 'ms', { op: '<=', value: TARGET_MS }),
        info('  alert card p95', alerts.p95, 'ms'),
        measured('verdict card, worst input, median', verdicts.p50, 'ms', { op: '<=', value: TARGET_MS }),
        info('  verdict card p95', verdicts.p95, 'ms'),
      ],
      details: { samples },
    });
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await runStandalone(hostileCards);
