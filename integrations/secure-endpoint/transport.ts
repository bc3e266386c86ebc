/**
 * HTTP exchange of the Secure Endpoint client: HTTP Basic `clientId:apiKey`, gzip, per-request
 * timeout, the `X-RateLimit-*` budget, and the mapping of failures to the shared taxonomy.
 */
import type { z } from 'zod';
import { ApiError, type FetchLike, NetworkError, parseRetryAfter, parseWire, WireError } from '../http.js';
import { errorBodySchema } from './schemas.js';
import type { SeRateLimit } from './types.js';

const SERVICE = 'secure-endpoint';
const DETAIL_MAX = 300;

export interface SeTransportOptions {
  /** Origin (and optional path prefix) without `/v1` nor a trailing slash. */
  baseUrl: string;
  clientId: string;
  apiKey: string;
  fetch: FetchLike;
  timeoutMs: number;
}

export class SeTransport {
  private budget: SeRateLimit | undefined;
  private readonly authorization: string;

  constructor(private readonly options: SeTransportOptions) {
    this.authorization = `Basic ${Buffer.from(`${options.clientId}:${options.apiKey}`, 'utf8').toString('base64')}`;
  }

  /** The absolute URL of an API path such as `/v1/computers?internal_ip=…`. */
  url(pathAndQuery: string): string {
    return `${this.options.baseUrl}${pathAndQuery}`;
  }

  /** The budget read from the last response that carried `X-RateLimit-*` headers. */
  rateLimit(): SeRateLimit | undefined {
    return this.budget && { ...this.budget };
  }

  /** `GET`s an API path and validates its JSON answer with `schema`. */
  async get<S extends z.ZodType>(pathAndQuery: string, schema: S, signal?: AbortSignal): Promise<z.infer<S>> {
    const url = this.url(pathAndQuery);
    const { response, text } = await this.exchange(url, signal);
    this.readBudget(response.headers);
    if (!response.ok) throw this.apiError(url, response, text);
    const ctx = { service: SERVICE, method: 'GET', url } as const;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new WireError({ ...ctx, issues: [text ? '(root): body is not JSON' : '(root): empty body'] });
    }
    return parseWire(schema, body, ctx);
  }

  private async exchange(url: string, signal?: AbortSignal): Promise<{ response: Response; text: string }> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const response = await this.options.fetch(url, {
        method: 'GET',
        headers: { Authorization: this.authorization, Accept: 'application/json', 'Accept-Encoding': 'gzip' },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      return { response, text: await response.text() };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new NetworkError({ service: SERVICE, method: 'GET', url, cause: error, timedOut: timeout.aborted });
    }
  }

  private readBudget(headers: Headers): void {
    const limit = count(headers.get('x-ratelimit-limit'));
    const remaining = count(headers.get('x-ratelimit-remaining'));
    const resetSeconds = count(headers.get('x-ratelimit-reset'));
    if (limit === undefined && remaining === undefined && resetSeconds === undefined) return;
    const observedAt = new Date();
    this.budget = {
      ...(limit === undefined ? {} : { limit }),
      ...(remaining === undefined ? {} : { remaining }),
      ...(resetSeconds === undefined
        ? {}
        : { resetSeconds, resetAt: new Date(observedAt.getTime() + resetSeconds * 1000) }),
      observedAt,
    };
  }

  /** On a 429 without `Retry-After`, `X-RateLimit-Reset` (seconds until the budget refills) says when to retry. */
  private apiError(url: string, response: Response, text: string): ApiError {
    const retryAfter =
      parseRetryAfter(response.headers.get('retry-after')) ??
      (response.status === 429 ? count(response.headers.get('x-ratelimit-reset')) : undefined);
    return new ApiError({
      service: SERVICE,
      status: response.status,
      method: 'GET',
      url,
      retryAfterSeconds: retryAfter,
      detail: this.detail(text),
    });
  }

  /** `errors[].description: details` when the body is the error envelope, else an excerpt; scrubbed. */
  private detail(text: string): string | undefined {
    if (!text) return undefined;
    let message = text;
    try {
      const parsed = errorBodySchema.safeParse(JSON.parse(text));
      if (parsed.success) {
        message = parsed.data.errors
          .map((e) => [e.description, ...(e.details ?? [])].filter(Boolean).join(': '))
          .join('; ');
      }
    } catch {
      // Not JSON: keep the raw excerpt.
    }
    const { clientId, apiKey } = this.options;
    const scrubbed = [apiKey, clientId].reduce((acc, secret) => acc.split(secret).join('[REDACTED]'), message);
    return scrubbed.length > DETAIL_MAX ? `${scrubbed.slice(0, DETAIL_MAX)}…` : scrubbed;
  }
}

/** A non-negative number from a header, or `undefined`. */
function count(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
