/**
 * Hostile cards: the cost of building an alert card and a verdict card whose every field an
 * attacker (or a broken upstream) filled with huge text: 10,000 repetitions of emoji sequences,
 * combining marks, Markdown and URLs, hundreds of host groups, sources and pivots (the worst inputs
 * of tests/cards). The builders are pure functions, run here in the benchmark process; each card is
 * built BENCH_HOSTILE_SAMPLES (10) times after one warm-up and the p95 reported. A card costing
 * seconds would let anyone who can name a host group or answer a lookup stall the bot.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { alertCard } from '../cards/alert.js';
import type { AlertCardInput, VerdictCardInput, VerdictSource } from '../cards/types.js';
import { verdictCard } from '../cards/verdict.js';
import { round, summarize } from './lib/measure.js';
import { info, measured, type BenchOutcome, type Benchmark } from './lib/report.js';
import { runStandalone } from './lib/standalone.js';

const TARGET_MS = 100;
const huge = (unit: string) => unit.repeat(10_000);

/** The hostile alert fixture of tests/cards, every text field then made huge (as its worst-input test). */
function worstAlert(): AlertCardInput {
  const hostile = JSON.parse(
    readFileSync(new URL('../tests/fixtures/cards/hostile.json', import.meta.url), 'utf8'),
  ) as AlertCardInput;
  return {
    ...hostile,
    eventName: huge('*'),
    host: { ip: huge('9'), hostGroups: Array.from({ length: 500 }, () => huge('👩‍💻')) },
    peer: {
      ip: huge(':'),
      hostGroups: Array.from({ length: 500 }, () => huge('[x](http://e) ')),
      port: 65_535,
      protocol: huge('<'),
    },
    otherPeers: 1e12,
    ackedBy: { name: huge('Z̷̢̛') },
    smcUrl: `https://smc.example.internal/${huge('a')}`,
  };
}

function worstVerdict(): VerdictCardInput {
  const source = (index: number): VerdictSource => ({
    name: huge('[x](http://e) '),
    status: index % 3 === 0 ? 'unavailable' : 'partial',
    verdict: 'malicious',
    facts: Array.from({ length: 100 }, () => ({ title: huge('👩‍💻'), value: huge('\\') })),
    note: huge('Z̷̢̛'),
  });
  return {
    observable: { type: huge('<'), value: huge('https://evil.example/') },
    overall: 'malicious',
    sources: Array.from({ length: 50 }, (_, index) => source(index)),
    pivots: Array.from({ length: 100 }, (_, index) => ({
      title: huge('*'),
      url: `https://pivot.example/${index}/${'a'.repeat(900)}`,
    })),
    cachedAt: huge('x'),
    generatedAt: huge('y'),
    incidentId: 'inc-16-10.0.0.66-hostile',
    actions: ['approve-block', 'block', 'unblock', 'tag', 'untag', 'ack', 'enrich', 'escalate'],
  };
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
    const verdict = worstVerdict();
    const alerts = summarize(timeOf(() => alertCard(alert), samples));
    const verdicts = summarize(timeOf(() => verdictCard(verdict), samples));
    return Promise.resolve({
      metrics: [
        measured('alert card, worst input, p95', alerts.p95, 'ms', { op: '<=', value: TARGET_MS }),
        info('  alert card p50', alerts.p50, 'ms'),
        measured('verdict card, worst input, p95', verdicts.p95, 'ms', { op: '<=', value: TARGET_MS }),
        info('  verdict card p50', verdicts.p50, 'ms'),
      ],
      details: { samples },
    });
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await runStandalone(hostileCards);
