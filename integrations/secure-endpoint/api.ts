/**
 * Secure Endpoint's hooks on the shared exchange: HTTP Basic `clientId:apiKey`, gzip, the
 * `X-RateLimit-*` budget, `X-RateLimit-Reset` as the wait after a 429, its error envelope, and
 * event ids read losslessly (they are 64-bit integers).
 */
import type { z } from 'zod';
import { type FetchLike, HttpClient, staticAuth } from '../http.js';
import { errorBody, headerCount, parseJsonKeepingBigIntegers } from '../wire.js';
import { errorBodySchema } from './schemas.js';
import type { SeRateLimit } from './types.js';

export interface SeApiOptions {
  /** Origin (and optional path prefix) without `/v1` nor a trailing slash. */
  baseUrl: string;
  clientId: string;
  apiKey: string;
  fetch: FetchLike;
  timeoutMs: number;
}

/** Keys whose integers exceed 2^53: event ids such as 6533241145273614339. */
const BIG_INTEGER_KEYS = ['id'];

export class SeApi {
  private budget: SeRateLimit | undefined;
  private readonly http: HttpClient<undefined>;

  constructor(private readonly options: SeApiOptions) {
    const basic = Buffer.from(`${options.clientId}:${options.apiKey}`, 'utf8').toString('base64');
    this.http = new HttpClient({
      service: 'secure-endpoint',
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      secrets: () => [options.apiKey, options.clientId, basic],
      auth: staticAuth({ Authorization: `Basic ${basic}` }),
      hooks: {
        observe: ({ headers }) => this.readBudget(headers),
        // On a 429 without `Retry-After`, the seconds until the budget refills say when to retry.
        retryAfter: ({ status, headers }) =>
          status === 429 ? headerCount(headers.get('x-ratelimit-reset')) : undefined,
        errorDetail: envelopeErrors,
        parseJson: (text) => parseJsonKeepingBigIntegers(text, BIG_INTEGER_KEYS),
      },
    });
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
  get<S extends z.ZodType>(pathAndQuery: string, schema: S, signal?: AbortSignal): Promise<z.infer<S>> {
    return this.http.json(
      {
        method: 'GET',
        url: this.url(pathAndQuery),
        headers: { Accept: 'application/json', 'Accept-Encoding': 'gzip' },
        signal,
      },
      schema,
    );
  }

  private readBudget(headers: Headers): void {
    const limit = headerCount(headers.get('x-ratelimit-limit'));
    const remaining = headerCount(headers.get('x-ratelimit-remaining'));
    const resetSeconds = headerCount(headers.get('x-ratelimit-reset'));
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
}

/** `errors[].description: details` when the body is the error envelope. */
function envelopeErrors(text: string): string | undefined {
  return errorBody(text, errorBodySchema)
    ?.errors.map((e) => [e.description, ...(e.details ?? [])].filter(Boolean).join(': '))
    .join('; ');
}
