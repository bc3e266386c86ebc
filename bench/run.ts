/**
 * `npm run bench [-- name …]`: runs the benchmarks one after another against the simulators on
 * 127.0.0.1, prints one table, and writes bench/results/<timestamp>.json and latest.json.
 * Exit status: 0 every target met, 1 a target missed, 2 a benchmark could not measure.
 */
import { alertLatency } from './alert-latency.js';
import { burst } from './burst.js';
import { economy } from './economy.js';
import { hostileCards } from './hostile-cards.js';
import { press } from './press.js';
import { rest } from './rest.js';
import { storm } from './storm.js';
import type { Benchmark, BenchResult } from './lib/report.js';
import { exitCodeFor, printResults, runBenchmark, writeResults } from './lib/runner.js';

const ALL: readonly Benchmark[] = [rest, burst, storm, alertLatency, press, economy, hostileCards];

process.env.NO_PROXY = '127.0.0.1,localhost';
process.env.no_proxy = '127.0.0.1,localhost';

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((name) => !ALL.some((b) => b.name === name));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; known: ${ALL.map((b) => b.name).join(', ')}\n`);
  process.exit(2);
}
const selected = wanted.length > 0 ? ALL.filter((b) => wanted.includes(b.name)) : ALL;

const startedAt = new Date();
const results: BenchResult[] = [];
for (const benchmark of selected) results.push(await runBenchmark(benchmark));

printResults(results);
for (const result of results.filter((r) => r.error)) process.stderr.write(`\n${result.name}: ${result.error ?? ''}\n`);
const file = writeResults(results, startedAt);
process.stdout.write(`\nresults: ${file} (and bench/results/latest.json)\n`);
process.exit(exitCodeFor(results));
