/** What a benchmark reports: measured values against targets, and how they print. */

export type Status = 'pass' | 'fail' | 'info' | 'n/a';

export interface Target {
  op: '<=' | '>=';
  value: number;
}

export interface Metric {
  name: string;
  /** `null` when it could not be measured (see `note`). */
  value: number | null;
  unit: string;
  target?: Target | undefined;
  status: Status;
  note?: string | undefined;
}

export interface BenchOutcome {
  metrics: Metric[];
  /** Raw samples and context, kept in the JSON file. */
  details: Record<string, unknown>;
}

export interface BenchResult extends BenchOutcome {
  name: string;
  title: string;
  startedAt: string;
  durationMs: number;
  /** Set when the benchmark could not finish (crash or time limit). */
  error?: string | undefined;
}

export interface BenchContext {
  /** Aborted when the benchmark runs past its time limit; every wait must honour it. */
  signal: AbortSignal;
  /** A progress line on stderr. */
  log(message: string): void;
}

export interface Benchmark {
  name: string;
  title: string;
  /** Hard limit; the runner aborts the benchmark past it. */
  timeoutMs: number;
  run(ctx: BenchContext): Promise<BenchOutcome>;
}

/** A measured value with a target: pass or fail. A `null` value with a target fails. */
export function measured(name: string, value: number | null, unit: string, target: Target, note?: string): Metric {
  const ok = value !== null && (target.op === '<=' ? value <= target.value : value >= target.value);
  return { name, value, unit, target, status: ok ? 'pass' : 'fail', note };
}

/** A value shown for context, without a target. */
export function info(name: string, value: number | null, unit: string, note?: string): Metric {
  return { name, value, unit, status: 'info', note };
}

/** A metric that cannot be measured in this build (e.g. a feature that does not exist yet). */
export function notAvailable(name: string, unit: string, target: Target | undefined, note: string): Metric {
  return { name, value: null, unit, target, status: 'n/a', note };
}

export function formatValue(value: number | null, unit: string): string {
  if (value === null) return '—';
  const rounded = Math.abs(value) >= 100 || Number.isInteger(value) ? Math.round(value) : Number(value.toFixed(2));
  return unit ? `${rounded} ${unit}` : String(rounded);
}

function formatTarget(metric: Metric): string {
  return metric.target ? `${metric.target.op} ${formatValue(metric.target.value, metric.unit)}` : '';
}

/** A plain-text table of every metric of every result. */
export function renderTable(results: readonly BenchResult[]): string {
  const rows: string[][] = [['benchmark', 'metric', 'value', 'target', 'result']];
  for (const result of results) {
    for (const metric of result.metrics) {
      rows.push([
        result.name,
        metric.name,
        formatValue(metric.value, metric.unit),
        formatTarget(metric),
        metric.status,
      ]);
    }
    if (result.error) rows.push([result.name, 'ERROR', result.error.split('\n')[0]?.slice(0, 100) ?? '', '', 'fail']);
  }
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length))) ?? [];
  const line = (row: string[]) =>
    row
      .map((cell, col) => cell.padEnd(widths[col] ?? 0))
      .join(' | ')
      .trimEnd();
  const [header, ...body] = rows;
  const separator = widths.map((w) => '-'.repeat(w)).join('-|-');
  const notes = results.flatMap((r) =>
    r.metrics.filter((m) => m.note).map((m) => `  ${r.name} / ${m.name}: ${m.note ?? ''}`),
  );
  return [line(header ?? []), separator, ...body.map(line), ...(notes.length ? ['', 'notes:', ...notes] : [])].join(
    '\n',
  );
}
