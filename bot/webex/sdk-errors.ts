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
