/** Runs benchmarks under their time limits and writes the results. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { type Benchmark, type BenchResult, renderTable } from './report.js';

export const RESULTS_DIR = resolve(import.meta.dirname, '..', 'results');

/** Runs one benchmark; past its time limit it is aborted and given 20 s to clean up. */
export async function runBenchmark(benchmark: Benchmark): Promise<BenchResult> {
  const startedAt = new Date();
  const started = performance.now();
  const controller = new AbortController();
  const log = (message: string) => process.stderr.write(`  ${message}\n`);
  log(`== ${benchmark.name}: ${benchmark.title}`);
  const running = benchmark.run({ signal: controller.signal, log });
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<'timeout'>((resolveLimit) => {
    timer = setTimeout(() => resolveLimit('timeout'), benchmark.timeoutMs);
  });
  const base = { name: benchmark.name, title: benchmark.title, startedAt: startedAt.toISOString() };
  try {
    const outcome = await Promise.race([running, limit]);
    if (outcome === 'timeout') {
      controller.abort(new Error(`time limit of ${benchmark.timeoutMs} ms reached`));
      await Promise.race([running.catch(() => undefined), new Promise((r) => setTimeout(r, 20_000))]);
      return {
        ...base,
        durationMs: performance.now() - started,
        metrics: [],
        details: {},
        error: `did not finish within ${benchmark.timeoutMs} ms`,
      };
    }
    return { ...base, durationMs: performance.now() - started, ...outcome };
  } catch (err) {
    return {
      ...base,
      durationMs: performance.now() - started,
      metrics: [],
      details: {},
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** 0: every target met; 1: a target missed; 2: a benchmark could not measure. */
export function exitCodeFor(results: readonly BenchResult[]): number {
  if (results.some((r) => r.error)) return 2;
  if (results.some((r) => r.metrics.some((m) => m.status === 'fail'))) return 1;
  return 0;
}

/** Writes `bench/results/<timestamp>.json` and `bench/results/latest.json`; returns the first path. */
export function writeResults(results: readonly BenchResult[], startedAt: Date): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const document = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    environment: {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      totalMemoryMb: Math.round(totalmem() / 1024 / 1024),
    },
    results,
  };
  const text = `${JSON.stringify(document, null, 2)}\n`;
  const file = join(RESULTS_DIR, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, text);
  writeFileSync(join(RESULTS_DIR, 'latest.json'), text);
  return file;
}

export function printResults(results: readonly BenchResult[]): void {
  process.stdout.write(`\n${renderTable(results)}\n`);
}
