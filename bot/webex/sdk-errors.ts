import { ApiError, NetworkError, parseRetryAfter } from '../../integrations/http.js';

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
 * How long to wait before trying a Webex call again: Retry-After (2 s when absent) on a 429 or
 * 423, 1 s, 2 s, 3 s… on another transient failure (5xx, network); `undefined` when a retry
 * cannot help. Callers cap the attempts and the total wait.
 */
export function webexRetryDelayMs(err: ApiError | NetworkError, attempt: number): number | undefined {
  if (err instanceof ApiError && (err.status === 429 || err.status === 423)) {
    return (err.retryAfterSeconds ?? 2) * 1000 + 100;
  }
  return err.transient ? 1000 * attempt : undefined;
}
