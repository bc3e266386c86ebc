/**
 * The one retry rule, the one sleep, and abort plumbing for every client and loop of the bot.
 *
 * A service that asks to slow down (429, or Webex's 423) is waited out for its `Retry-After`;
 * one that is unavailable (5xx) or unreachable backs off exponentially with jitter; anything else
 * (4xx, a body we do not understand, a bug) is not retried. Bounded loops use {@link withRetry};
 * persisted loops that never give up (the outbox, the poller) ask {@link retryDelay} and
 * {@link backoffDelay} and keep their own loop.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { ApiError, NetworkError } from './errors.js';

/** How a bounded retry behaves. Every field has a default; see {@link DEFAULT_POLICY}. */
export interface RetryPolicy {
  /** Tries in all, the first one included. 1 never retries. */
  attempts?: number;
  /** Which failures are retried: slow-down answers (429/423), 5xx answers, unreachable service. */
  retryOn?: ReadonlyArray<'rate-limit' | 'server' | 'network'>;
  /** First backoff after a 5xx or network failure; doubles with each attempt. */
  baseDelayMs?: number;
  /** Largest backoff. */
  maxDelayMs?: number;
  /** Share of a backoff that is random: 0.5 waits 50–100 % of it. */
  jitter?: number;
  /** Wait after a 429/423 without `Retry-After`. */
  rateLimitDelayMs?: number;
  /** Added to `Retry-After`, so the retry lands after the window, not on its edge. */
  retryAfterMarginMs?: number;
  /** A single wait longer than this is not waited: the failure is thrown. */
  maxWaitMs?: number;
  /** All waits together stay within this. */
  maxTotalWaitMs?: number;
  random?: () => number;
}

export const DEFAULT_POLICY = {
  attempts: 1,
  retryOn: ['rate-limit', 'server', 'network'],
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  jitter: 0.5,
  rateLimitDelayMs: 2000,
  retryAfterMarginMs: 100,
  maxWaitMs: Number.POSITIVE_INFINITY,
  maxTotalWaitMs: Number.POSITIVE_INFINITY,
  random: Math.random,
} as const satisfies Required<RetryPolicy>;

/** Is `err` a slow-down answer (429, or 423 which Webex sends with `Retry-After` too)? */
export function isRateLimited(err: unknown): err is ApiError {
  return err instanceof ApiError && err.rateLimited;
}

/** Exponential backoff with jitter for the `attempt`-th consecutive failure (1-based). */
export function backoffDelay(attempt: number, policy: RetryPolicy = {}): number {
  const { baseDelayMs, maxDelayMs, jitter, random } = { ...DEFAULT_POLICY, ...policy };
  const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(Math.max(attempt, 1) - 1, 30));
  return Math.round(exponential * (1 - jitter + jitter * random()));
}

/**
 * How long to wait before trying again after `err`, or `undefined` when trying again cannot help
 * (or the policy does not retry that kind of failure). `attempt` counts the failures so far.
 */
export function retryDelay(err: unknown, attempt: number, policy: RetryPolicy = {}): number | undefined {
  const p = { ...DEFAULT_POLICY, ...policy };
  if (isRateLimited(err)) {
    if (!p.retryOn.includes('rate-limit')) return undefined;
    const after = err.retryAfterSeconds;
    return after === undefined ? p.rateLimitDelayMs : after * 1000 + p.retryAfterMarginMs;
  }
  if (err instanceof ApiError && err.status >= 500) {
    return p.retryOn.includes('server') ? backoffDelay(attempt, p) : undefined;
  }
  if (err instanceof NetworkError) return p.retryOn.includes('network') ? backoffDelay(attempt, p) : undefined;
  return undefined;
}

export interface RetryHooks {
  signal?: AbortSignal | undefined;
  /** Told of each failure that is retried, before the wait. */
  onRetry?: (err: unknown, waitMs: number, attempt: number) => void;
  /** Told of the failure that ends the tries, before it is thrown. */
  onGiveUp?: (err: unknown, attempt: number) => void;
  /** Maps what `work` threw to the taxonomy (an SDK error, say); the mapped error is what is thrown. */
  classify?: (err: unknown) => unknown;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Runs `work` until it succeeds or the policy says stop; throws the last failure. */
export async function withRetry<T>(
  work: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  hooks: RetryHooks = {},
): Promise<T> {
  const p = { ...DEFAULT_POLICY, ...policy };
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (raw) {
      const err = hooks.classify ? hooks.classify(raw) : raw;
      if (hooks.signal?.aborted) throw hooks.signal.reason;
      const wait = attempt < p.attempts ? retryDelay(err, attempt, p) : undefined;
      if (wait === undefined || wait > p.maxWaitMs || waited + wait > p.maxTotalWaitMs) {
        hooks.onGiveUp?.(err, attempt);
        throw err;
      }
      hooks.onRetry?.(err, wait, attempt);
      waited += wait;
      await (hooks.sleep ?? sleep)(wait, hooks.signal);
    }
  }
}

/** Waits `ms` milliseconds, or rejects with `signal.reason` (like `fetch`) as soon as `signal` aborts. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal ? { signal } : undefined);
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    throw err;
  }
}

/**
 * Settles with `promise`, or rejects when `signal` aborts first. The promise itself keeps running:
 * use it for work shared between callers, where one caller giving up must not cancel the others.
 */
export function raceAbort<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
