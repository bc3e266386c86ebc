/** Measuring helpers: percentiles, bounded waits, peak RSS of a process, HTTP service time of servers. */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** The `p`-th percentile (0–100) by nearest rank; `null` for no samples. */
export function percentile(samples: readonly number[], p: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? null;
}

export function summarize(samples: readonly number[]): {
  n: number;
  min: number | null;
  p50: number | null;
  p95: number | null;
  max: number | null;
} {
  return {
    n: samples.length,
    min: samples.length ? Math.min(...samples) : null,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    max: samples.length ? Math.max(...samples) : null,
  };
}

export const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

/** Sleeps, rejecting when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Re-checks `check` every `everyMs` until it returns something truthy; rejects on timeout or abort. */
export async function waitUntil<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  opts: { timeoutMs: number; what: string; signal?: AbortSignal; everyMs?: number },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}`);
    await sleep(opts.everyMs ?? 20, opts.signal);
  }
}

/** `VmHWM` (peak resident set) and `VmRSS` of a Linux process, in bytes; `undefined` once it is gone. */
export function memoryOf(pid: number): { hwm: number; rss: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    const hwm = kb('VmHWM');
    const rss = kb('VmRSS');
    return Number.isFinite(hwm) ? { hwm, rss } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system) a Linux process has used so far, in milliseconds; `undefined` once it
 * is gone. On a shared machine this shows the work done, whatever the wall clock says.
 */
export function cpuTimeOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), from its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** `getconf CLK_TCK` on Linux (100 on every mainstream architecture). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Samples a process's memory every `everyMs`. `VmHWM` is the kernel's own high-water mark, so
 * the peak is exact as long as one sample lands before the process exits.
 */
export function sampleMemory(pid: number, everyMs = 100): { peakHwm(): number; stop(): void; at(): number } {
  let peak = 0;
  const take = () => {
    const m = memoryOf(pid);
    if (m) peak = Math.max(peak, m.hwm);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    peakHwm: () => {
      take();
      return peak;
    },
    at: () => memoryOf(pid)?.hwm ?? 0,
    stop: () => clearInterval(timer),
  };
}

export const MB = 1024 * 1024;

/** One HTTP request a server of this process answered, on `performance.now()`'s clock. */
export interface ServedRequest {
  port: number;
  method: string;
  url: string;
  start: number;
  end: number;
}

/**
 * Records when servers of this process start handling a request and finish the response, from
 * Node's `http.server.request.start` / `http.server.response.finish` diagnostics channels. Only
 * servers listening on one of `ports` count.
 */
export function recordServerTimes(ports: readonly number[]): {
  served: ServedRequest[];
  stop(): void;
} {
  const served: ServedRequest[] = [];
  const open = new WeakMap<object, { port: number; start: number; method: string; url: string }>();
  const portOf = (server: Server | undefined): number | undefined => {
    const address = server?.address();
    return typeof address === 'object' && address ? address.port : undefined;
  };
  const onStart = (message: unknown) => {
    const { request, server } = message as { request: IncomingMessage; server?: Server };
    const port = portOf(server) ?? request.socket.localPort;
    if (port === undefined || !ports.includes(port)) return;
    // Read now: routers (express) rewrite `request.url` while they handle it.
    const url = (request.url ?? '').split('?')[0] ?? '';
    open.set(request, { port, start: performance.now(), method: request.method ?? '', url });
  };
  const onFinish = (message: unknown) => {
    const { request } = message as { request: IncomingMessage; response: ServerResponse };
    const begun = open.get(request);
    if (!begun) return;
    open.delete(request);
    served.push({ ...begun, end: performance.now() });
  };
  subscribe('http.server.request.start', onStart);
  subscribe('http.server.response.finish', onFinish);
  return {
    served,
    stop: () => {
      unsubscribe('http.server.request.start', onStart);
      unsubscribe('http.server.response.finish', onFinish);
    },
  };
}

/** Total time inside `[from, to]` covered by at least one of the intervals (parallel calls count once). */
export function coveredTime(
  intervals: ReadonlyArray<{ start: number; end: number }>,
  from: number,
  to: number,
): number {
  const clipped = intervals
    .map((i) => ({ start: Math.max(i.start, from), end: Math.min(i.end, to) }))
    .filter((i) => i.end > i.start)
    .sort((a, b) => a.start - b.start);
  let total = 0;
  let cursor = from;
  for (const i of clipped) {
    const start = Math.max(i.start, cursor);
    if (i.end > start) {
      total += i.end - start;
      cursor = i.end;
    }
  }
  return total;
}

/** A seeded pseudo-random generator (mulberry32), so every run generates the same workload. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
