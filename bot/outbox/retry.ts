import { ApiError, NetworkError } from '../../integrations/http.js';

export type RetryDecision = { kind: 'retry'; delayMs: number; reason: string } | { kind: 'give-up'; reason: string };

/** Raised when the bot cannot post because it is not (yet) a member of the target space. */
export class NotInRoomError extends Error {
  readonly code = 'not_in_room';
  constructor(readonly roomId: string) {
    super('the bot is not a member of the alert space (add it to the space, it will deliver what is waiting)');
    this.name = 'NotInRoomError';
  }
}

/**
 * Decides what a failed delivery does next: Webex's Retry-After is obeyed to the second;
 * outages back off exponentially with jitter (capped) and never give up; a request Webex
 * rejects as invalid is not retried.
 */
export function decideRetry(
  err: unknown,
  attempts: number,
  maxBackoffMs = 60_000,
  random = Math.random,
): RetryDecision {
  const backoff = () =>
    Math.round(Math.min(maxBackoffMs, 1000 * 2 ** Math.min(attempts - 1, 16)) * (0.5 + random() / 2));
  if (err instanceof ApiError) {
    if (err.status === 429 || err.status === 423) {
      const delayMs = err.retryAfterSeconds !== undefined ? err.retryAfterSeconds * 1000 + 100 : backoff();
      return { kind: 'retry', delayMs, reason: `Webex asked to slow down (${err.status})` };
    }
    if (err.status >= 500) return { kind: 'retry', delayMs: backoff(), reason: `Webex unavailable (${err.status})` };
    if (err.status === 401)
      return { kind: 'retry', delayMs: Math.max(backoff(), 30_000), reason: 'Webex rejected the bot token (401)' };
    return { kind: 'give-up', reason: `Webex rejected the message (${err.status})` };
  }
  if (err instanceof NetworkError) return { kind: 'retry', delayMs: backoff(), reason: 'Webex unreachable' };
  if (err instanceof NotInRoomError) return { kind: 'retry', delayMs: Math.max(backoff(), 5_000), reason: err.message };
  return { kind: 'retry', delayMs: backoff(), reason: 'unexpected error' };
}
