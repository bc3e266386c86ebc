/**
 * XDR's hooks on the shared exchange: the OAuth2 client-credentials token (cached, renewed before
 * it expires and once on a 401), one short `429 Retry-After` waited out, and counters of every
 * answer. Neither the client secret nor a token ever reaches an error.
 */
import type { z } from 'zod';
import { type FetchLike, HttpClient, type HttpMethod, WireError } from '../http.js';
import { headerCount } from '../wire.js';
import { bearerAuth, type Granted, TokenCache } from '../token-cache.js';
import { XdrAuthError } from './errors.js';
import type { XdrHosts } from './regions.js';
import { tokenResponseSchema } from './schemas.js';

const TOKEN_PATH = '/iroh/oauth2/token';

export type { HttpMethod } from '../http.js';

/** One authenticated API call. */
export interface XdrRequest {
  host: keyof XdrHosts;
  method: HttpMethod;
  /** Path under the host, starting with `/`. */
  path: string;
  query?: Readonly<Record<string, string | number | boolean | undefined>>;
  json?: unknown;
  /** Overrides the default timeout for this call. */
  timeoutMs?: number;
  signal?: AbortSignal | undefined;
}

/** Counters for `/status` and benchmarks. */
export interface XdrStats {
  /** Token requests sent (a failed one counts too). */
  tokenFetches: number;
  /** Every HTTP answer, token endpoint included, by status code (`"200"`, `"429"`); `"network"` when none came. */
  requests: Record<string, number>;
  /** The organisation's hourly quota as last reported by `X-Ratelimit-Org-Limit` / `-Remaining`. */
  lastRateLimit?: { limit?: number; remaining?: number };
}

export interface XdrApiOptions {
  hosts: XdrHosts;
  clientId: string;
  clientSecret: string;
  fetch: FetchLike;
  timeoutMs: number;
  maxRetryAfterSeconds: number;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Owns the token and every HTTP exchange with XDR. */
export class XdrApi {
  private readonly http: HttpClient<string>;
  /** The token endpoint: same exchange, no bearer. */
  private readonly tokenHttp: HttpClient;
  private readonly tokens: TokenCache<string>;
  private readonly counters: XdrStats = { tokenFetches: 0, requests: {} };
  private readonly basicAuth: string;

  constructor(private readonly options: XdrApiOptions) {
    this.basicAuth = Buffer.from(`${options.clientId}:${options.clientSecret}`, 'utf8').toString('base64');
    this.tokens = new TokenCache(() => this.fetchToken(), options.now);
    const common = {
      service: 'xdr',
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      // The secret, its Basic form, and the token in use (older ones are expired anyway).
      secrets: () => [options.clientSecret, this.basicAuth, this.tokens.cached],
      hooks: {
        observe: ({ status, headers }: { status: number; headers: Headers }) => this.count(String(status), headers),
        unreachable: () => this.count('network'),
      },
      // One short 429 is waited out; nothing else is retried blindly (writes are not idempotent).
      retry: {
        attempts: 2,
        retryOn: ['rate-limit'],
        maxWaitMs: options.maxRetryAfterSeconds * 1000,
        retryAfterMarginMs: 0,
        rateLimitDelayMs: Number.POSITIVE_INFINITY,
      },
      now: options.now,
      sleep: options.sleep,
    } as const;
    this.http = new HttpClient({ ...common, auth: bearerAuth(this.tokens) });
    this.tokenHttp = new HttpClient(common);
  }

  /** The absolute URL of a request. */
  url(request: Pick<XdrRequest, 'host' | 'path' | 'query'>): string {
    const url = new URL(`${this.options.hosts[request.host]}${request.path}`);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  stats(): XdrStats {
    const { tokenFetches, requests, lastRateLimit } = this.counters;
    return {
      tokenFetches,
      requests: { ...requests },
      ...(lastRateLimit ? { lastRateLimit: { ...lastRateLimit } } : {}),
    };
  }

  /** Sends an authenticated request and validates its JSON answer with `schema`. */
  json<S extends z.ZodType>(request: XdrRequest, schema: S): Promise<z.infer<S>> {
    return this.http.json(
      {
        method: request.method,
        url: this.url(request),
        headers: { Accept: 'application/json' },
        json: request.json,
        timeoutMs: request.timeoutMs,
        signal: request.signal,
      },
      schema,
    );
  }

  /**
   * `GET` without a token, for URLs that carry their own credential (a feed view's `s=`).
   * @param shownUrl `url` with its credential redacted, for errors.
   */
  async anonymousText(url: string, shownUrl: string, signal?: AbortSignal): Promise<string> {
    const answer = await this.tokenHttp.request({
      method: 'GET',
      url,
      shownUrl,
      headers: { Accept: 'text/plain' },
      signal,
    });
    return answer.text;
  }

  private async fetchToken(): Promise<Granted<string>> {
    this.counters.tokenFetches += 1;
    const request = {
      method: 'POST',
      url: `${this.options.hosts.iroh}${TOKEN_PATH}`,
      headers: { Authorization: `Basic ${this.basicAuth}`, Accept: 'application/json' },
      form: { grant_type: 'client_credentials' },
    } as const;
    const answer = await this.tokenHttp.request(request).catch((err: unknown) => {
      throw XdrAuthError.from(err, this.options.clientId);
    });
    const body = this.tokenHttp.parse(request, answer.text, tokenResponseSchema);
    if (body.token_type.toLowerCase() !== 'bearer') {
      throw new WireError({
        service: 'xdr',
        method: 'POST',
        url: request.url,
        issues: [`token_type: expected "bearer", got a different type`],
      });
    }
    return { value: body.access_token, expiresInSeconds: body.expires_in };
  }

  private count(key: string, headers?: Headers): void {
    this.counters.requests[key] = (this.counters.requests[key] ?? 0) + 1;
    if (!headers) return;
    const limit = headerCount(headers.get('x-ratelimit-org-limit'));
    const remaining = headerCount(headers.get('x-ratelimit-org-remaining'));
    if (limit !== undefined || remaining !== undefined) {
      this.counters.lastRateLimit = {
        ...(limit !== undefined ? { limit } : {}),
        ...(remaining !== undefined ? { remaining } : {}),
      };
    }
  }
}
