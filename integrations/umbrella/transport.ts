/**
 * One HTTP round trip of the Umbrella client: per-request timeout, the caller's signal, and the
 * mapping of failures to the shared taxonomy of `../http.ts`, with every secret scrubbed.
 */
import { ApiError, type FetchLike, NetworkError, parseRetryAfter, WireError } from '../http.js';
import { errorBodySchema } from './schemas.js';

const SERVICE = 'umbrella';
const DETAIL_MAX = 300;

/** A response with its body read. */
export interface Exchange {
  response: Response;
  text: string;
}

export interface UmbrellaTransportOptions {
  fetch: FetchLike;
  timeoutMs: number;
  /** Values scrubbed from error details, should Umbrella ever echo them. */
  secrets: readonly string[];
}

export class UmbrellaTransport {
  constructor(private readonly options: UmbrellaTransportOptions) {}

  /**
   * Sends one request and reads its body. Rejects with `signal.reason` when the caller aborts,
   * and with a {@link NetworkError} when the service is unreachable or slower than the timeout.
   */
  async exchange(
    method: string,
    url: string,
    init: { headers: Record<string, string>; body?: string },
    signal?: AbortSignal,
  ): Promise<Exchange> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const response = await this.options.fetch(url, {
        method,
        headers: init.headers,
        body: init.body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      return { response, text: await response.text() };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new NetworkError({ service: SERVICE, method, url, cause: error, timedOut: timeout.aborted });
    }
  }

  /** The {@link ApiError} of a non-2xx answer; `detail` is Umbrella's `message` when it sent one. */
  apiError(method: string, url: string, { response, text }: Exchange): ApiError {
    return new ApiError({
      service: SERVICE,
      status: response.status,
      method,
      url,
      retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
      detail: this.detail(text),
    });
  }

  /** Parses a 2xx body as JSON, or throws a {@link WireError}. */
  json(method: string, url: string, text: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      throw new WireError({
        service: SERVICE,
        method,
        url,
        issues: [text ? '(root): body is not JSON' : '(root): empty body'],
      });
    }
  }

  private detail(text: string): string | undefined {
    if (!text) return undefined;
    let message = text;
    try {
      const parsed = errorBodySchema.safeParse(JSON.parse(text));
      if (parsed.success) message = parsed.data.message;
    } catch {
      // Not JSON: keep the raw excerpt.
    }
    const scrubbed = this.options.secrets.reduce(
      (acc, secret) => (secret ? acc.split(secret).join('[REDACTED]') : acc),
      message,
    );
    return scrubbed.length > DETAIL_MAX ? `${scrubbed.slice(0, DETAIL_MAX)}…` : scrubbed;
  }
}
