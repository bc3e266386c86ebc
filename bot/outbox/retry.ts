/**
 * What a failed card delivery does next. The outbox is persisted and never gives up on an outage,
 * so it keeps its own loop; the decision is the one retry rule of `integrations/retry.ts`.
 */
import { ApiError } from '../../integrations/errors.js';
import { backoffDelay, isRateLimited, retryDelay } from '../../integrations/retry.js';
import { NotInRoomError } from '../errors.js';

export type RetryDecision = { kind: 'retry'; delayMs: number; reason: string } | { kind: 'give-up'; reason: string };

export interface BackoffOptions {
  /** First backoff after an outage failure (5xx, network); doubles with each one. Default 1 s. */
  baseBackoffMs?: number;
  /** Cap for the exponential backoff. Default 60 s. */
  maxBackoffMs?: number;
  random?: () => number;
}

/**
 * Webex's Retry-After is obeyed to the second; outages back off exponentially with jitter (capped)
 * and never give up; a request Webex rejects as invalid is not retried.
 * @param attempts consecutive outage failures so far (a 429 does not count), at least 1.
 */
export function decideRetry(err: unknown, attempts: number, options: BackoffOptions = {}): RetryDecision {
  const { baseBackoffMs = 1000, maxBackoffMs = 60_000, random = Math.random } = options;
  const policy = { baseDelayMs: baseBackoffMs, maxDelayMs: maxBackoffMs, random };
  const backoff = () => backoffDelay(attempts, policy);
  if (isRateLimited(err)) {
    const delayMs = retryDelay(err, attempts, { ...policy, rateLimitDelayMs: backoff() }) ?? backoff();
    return { kind: 'retry', delayMs, reason: `Webex asked to slow down (${err.status})` };
  }
  if (err instanceof ApiError) {
    if (err.status >= 500) return { kind: 'retry', delayMs: backoff(), reason: `Webex unavailable (${err.status})` };
    if (err.status === 401)
      return { kind: 'retry', delayMs: Math.max(backoff(), 30_000), reason: 'Webex rejected the bot token (401)' };
    return { kind: 'give-up', reason: `Webex rejected the message (${err.status})` };
  }
  if (err instanceof NotInRoomError) return { kind: 'retry', delayMs: Math.max(backoff(), 5_000), reason: err.message };
  const delayMs = retryDelay(err, attempts, policy);
  if (delayMs !== undefined) return { kind: 'retry', delayMs, reason: 'Webex unreachable' };
  return { kind: 'retry', delayMs: backoff(), reason: 'unexpected error' };
}
