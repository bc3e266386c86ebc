/**
 * Fault and latency injection: the next N matching API calls answer 429 (with `Retry-After`) or an
 * error status before any state changes; matching calls can be slowed down.
 */
import { SimHttpError, type SimResponse } from './http.js';

/** Which calls a fault applies to; omit both fields to match any API call. */
export interface FaultMatch {
  method?: string | undefined;
  /** Matched against the path, e.g. `/ctia/judgement` or `/iroh/oauth2/token`. */
  pathPrefix?: string | undefined;
}

/** A queued fault, as `state()` shows it. */
export interface PendingFault {
  kind: 'rate-limit' | 'fail';
  remaining: number;
  status: number;
  /** Sent verbatim as `Retry-After` (`30`, `"3172s"`, an HTTP date). */
  retryAfter?: number | string;
  match: FaultMatch;
}

interface LatencyRule {
  ms: number;
  match: FaultMatch;
}

function matches(match: FaultMatch, method: string, path: string): boolean {
  if (match.method && match.method.toUpperCase() !== method.toUpperCase()) return false;
  return !match.pathPrefix || path.startsWith(match.pathPrefix);
}

/** The queue of faults still to inject (first added, first used) and the latency rules. */
export class FaultPlan {
  private faults: PendingFault[] = [];
  private latency: LatencyRule[] = [];

  /** The next `count` matching calls answer 429 with `Retry-After: retryAfter`. */
  rateLimitNext(count: number, retryAfter: number | string, match: FaultMatch = {}): void {
    this.faults.push({ kind: 'rate-limit', remaining: count, status: 429, retryAfter, match: { ...match } });
  }

  /** The next `count` matching calls answer `status` with an XDR-style error body. */
  failNext(count: number, status: number, match: FaultMatch = {}): void {
    this.faults.push({ kind: 'fail', remaining: count, status, match: { ...match } });
  }

  /** Delays matching calls by `ms` (0 removes the delay for that match). Later rules win. */
  setLatency(ms: number, match: FaultMatch = {}): void {
    const key = JSON.stringify([match.method?.toUpperCase(), match.pathPrefix]);
    this.latency = this.latency.filter(
      (r) => JSON.stringify([r.match.method?.toUpperCase(), r.match.pathPrefix]) !== key,
    );
    if (ms > 0) this.latency.push({ ms, match: { ...match } });
  }

  /** The delay for a call: the last matching rule's. */
  latencyFor(method: string, path: string): number {
    return this.latency.findLast((r) => matches(r.match, method, path))?.ms ?? 0;
  }

  /** Consumes the first fault matching the call and returns the answer to send instead, if any. */
  take(method: string, path: string): SimResponse | undefined {
    const fault = this.faults.find((f) => matches(f.match, method, path));
    if (!fault) return undefined;
    fault.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    if (fault.kind === 'rate-limit') {
      return new SimHttpError(
        429,
        { error: 'too_many_requests', error_description: 'Organization rate limit exceeded' },
        { 'Retry-After': String(fault.retryAfter) },
      ).toResponse();
    }
    const error = fault.status >= 500 ? 'unknown server error' : 'simulated_failure';
    return new SimHttpError(fault.status, {
      error,
      error_description: 'failure injected by the simulator',
    }).toResponse();
  }

  pending(): PendingFault[] {
    return this.faults.map((f) => ({ ...f, match: { ...f.match } }));
  }

  clear(): void {
    this.faults = [];
    this.latency = [];
  }
}
