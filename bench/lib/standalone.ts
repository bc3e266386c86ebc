/** `npx tsx bench/<name>.ts`: one benchmark on its own, printed, not written to bench/results. */
import type { Benchmark } from './report.js';
import { exitCodeFor, printResults, runBenchmark } from './runner.js';

export async function runStandalone(benchmark: Benchmark): Promise<void> {
  process.env.NO_PROXY = '127.0.0.1,localhost';
  process.env.no_proxy = '127.0.0.1,localhost';
  const result = await runBenchmark(benchmark);
  printResults([result]);
  if (result.error) process.stderr.write(`\n${result.error}\n`);
  process.exit(exitCodeFor([result]));
}
