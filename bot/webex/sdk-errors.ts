import { ApiError, NetworkError } from '../../integrations/http.js';
import { parseRetryAfter } from '../../integrations/wire.js';
import type { RetryPolicy } from '../../integrations/retry.js';

/**
 * Converts an error from the Webex SDK (WebexHttpError: statusCode, headers, retryAfter)
 * into our taxonomy, so nothing downstream sees the SDK's request options (which hold the token).
 */
export function fromSdkError(err: unknown, method: string, url: string): ApiError | NetworkError {
  if (typeof err === 'object' && err !== null && 'statusCode' in err) {
    const status = Number((err as { statusCode: unknown }).statusCode);
    if (Number.isInteger(status) && status > 0) {
      const headers = (err as { headers?: Record<string, unknown> }).headers ?? {};
      const retryAfter = headers['retry-after'] ?? (err as { retryAfter?: unknown }).retryAfter;
      return new ApiError({
        service: 'webex',
        status,
        method,
        url,
        retryAfterSeconds: parseRetryAfter(retryAfter === undefined ? null : String(retryAfter)),
      });
    }
  }
  return new NetworkError({ service: 'webex', method, url, cause: err });
}

/**
 * How Webex calls made on a person's behalf are retried (answers, and the fetch of an incoming
 * message or press): after Retry-After (2 s when absent) on a 429 or 423, after 1 s, 2 s, 4 s…
 * (with jitter) on a 5xx or network failure. Callers set the attempts and the longest wait.
 */
export const WEBEX_RETRY = {
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  rateLimitDelayMs: 2000,
  retryAfterMarginMs: 100,
} as const satisfies RetryPolicy;
