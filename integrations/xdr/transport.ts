/**
 * The HTTP exchange under {@link XdrClient}: bearer token (fetched, cached, renewed once on a 401),
 * `429 Retry-After` (waited out once when short enough), timeouts, counters, and the mapping of every
 * failure to the shared error taxonomy. Neither the client secret nor a token ever reaches an error.
 */
import type { z } from 'zod';
import { ApiError, type FetchLike, NetworkError, parseRetryAfter, parseWire, WireError } from '../http.js';
import { XdrAuthError } from './errors.js';
import type { XdrHosts } from './regions.js';
import { tokenResponseSchema } from './schemas.js';
import { type GrantedToken, TokenCache } from './token.js';

const SERVICE = 'xdr';
const TOKEN_PATH = '/iroh/oauth2/token';
const DETAIL_MAX = 300;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One authenticated API call. */
export interface XdrRequest {
  host: keyof XdrHosts;
  method: HttpMethod;
  /** Path under the host, starting with `/`. */
  path: string;
  query?: Readonly<Record<string, string | number | boolean | undefined>>;
  json?: unknown;
  /** Overrides the transport's default timeout for this call. */
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

export interface XdrTransportOptions {
  hosts: XdrHosts;
  clientId: string;
  clientSecret: string;
  fetch: FetchLike;
  timeoutMs: number;
  maxRetryAfterSeconds: number;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

interface Exchange {
  response: Response;
  text: string;
}

interface ExchangeInit {
  method: string;
  url: string;
  /** The URL as errors show it, when `url` holds a secret (a feed view's `s=`). */
  shownUrl?: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

/** Owns the token and every HTTP exchange with XDR. */
export class XdrTransport {
  private readonly tokens: TokenCache;
  private readonly counters: XdrStats = { tokenFetches: 0, requests: {} };
  /** Strings that must never appear in an error: the secret and its Basic form. */
  private readonly secrets: readonly string[];
  /** The last tokens granted, scrubbed from errors too; older ones are expired anyway. */
  private recentTokens: string[] = [];
  private readonly basicAuth: string;

  constructor(private readonly options: XdrTransportOptions) {
    this.basicAuth = Buffer.from(`${options.clientId}:${options.clientSecret}`, 'utf8').toString('base64');
    this.secrets = [options.clientSecret, this.basicAuth];
    this.tokens = new TokenCache(() => this.fetchToken(), options.now);
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
  async json<S extends z.ZodType>(request: XdrRequest, schema: S): Promise<z.infer<S>> {
    const url = this.url(request);
    const { text } = await this.send(request, url);
    const ctx = { service: SERVICE, method: request.method, url } as const;
    return parseWire(schema, parseJson(text, ctx), ctx);
  }

  /** Sends an authenticated request whose answer carries nothing we read (`204`). */
  async empty(request: XdrRequest): Promise<void> {
    await this.send(request, this.url(request));
  }

  /**
   * `GET` without a token, for URLs that carry their own credential (a feed view's `s=`).
   * @param shownUrl `url` with its credential redacted, for errors.
   */
  async anonymousText(url: string, shownUrl: string, signal?: AbortSignal): Promise<string> {
    const init: ExchangeInit = {
      method: 'GET',
      url,
      shownUrl,
      headers: { Accept: 'text/plain' },
      timeoutMs: this.options.timeoutMs,
      signal,
    };
    const result = await this.withRetryAfter(init);
    if (!result.response.ok) throw this.apiError(init, result);
    return result.text;
  }

  private async send(request: XdrRequest, url: string): Promise<Exchange> {
    const init: ExchangeInit = {
      method: request.method,
      url,
      headers: { Accept: 'application/json' },
      timeoutMs: request.timeoutMs ?? this.options.timeoutMs,
      signal: request.signal,
    };
    if (request.json !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(request.json);
    }
    const token = await this.tokens.get(request.signal);
    let result = await this.withRetryAfter(withBearer(init, token));
    if (result.response.status === 401) {
      const renewed = await this.tokens.renew(token, request.signal);
      result = await this.withRetryAfter(withBearer(init, renewed));
    }
    if (!result.response.ok) throw this.apiError(init, result);
    return result;
  }

  /** One exchange; on a 429 whose `Retry-After` is short enough, waits it out and tries once more. */
  private async withRetryAfter(init: ExchangeInit): Promise<Exchange> {
    const first = await this.exchange(init);
    if (first.response.status !== 429) return first;
    const waitSeconds = parseRetryAfter(first.response.headers.get('retry-after'), this.options.now());
    if (waitSeconds === undefined || waitSeconds > this.options.maxRetryAfterSeconds) return first;
    await this.options.sleep(waitSeconds * 1000, init.signal);
    return this.exchange(init);
  }

  private async fetchToken(): Promise<GrantedToken> {
    this.counters.tokenFetches += 1;
    const url = `${this.options.hosts.iroh}${TOKEN_PATH}`;
    const init: ExchangeInit = {
      method: 'POST',
      url,
      headers: {
        Authorization: `Basic ${this.basicAuth}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
      timeoutMs: this.options.timeoutMs,
    };
    const result = await this.withRetryAfter(init);
    const { status } = result.response;
    if (status === 400 || status === 401 || status === 403) {
      throw new XdrAuthError({ status, url, clientId: this.options.clientId, detail: this.excerpt(result.text) });
    }
    if (!result.response.ok) throw this.apiError(init, result);
    const ctx = { service: SERVICE, method: 'POST', url } as const;
    const body = parseWire(tokenResponseSchema, parseJson(result.text, ctx), ctx);
    this.recentTokens = [body.access_token, ...this.recentTokens].slice(0, 2);
    if (body.token_type.toLowerCase() !== 'bearer') {
      throw new WireError({ ...ctx, issues: [`token_type: expected "bearer", got a different type`] });
    }
    return { accessToken: body.access_token, expiresInSeconds: body.expires_in };
  }

  /** One HTTP round trip, body included, under the per-request timeout and the caller's signal. */
  private async exchange(init: ExchangeInit): Promise<Exchange> {
    const timeout = AbortSignal.timeout(init.timeoutMs);
    try {
      const response = await this.options.fetch(init.url, {
        method: init.method,
        headers: init.headers,
        body: init.body,
        signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
      });
      const text = await response.text();
      this.count(response);
      return { response, text };
    } catch (error) {
      if (init.signal?.aborted) throw init.signal.reason;
      this.counters.requests.network = (this.counters.requests.network ?? 0) + 1;
      throw new NetworkError({
        service: SERVICE,
        method: init.method,
        url: init.shownUrl ?? init.url,
        cause: error,
        timedOut: timeout.aborted,
      });
    }
  }

  private count(response: Response): void {
    const key = String(response.status);
    this.counters.requests[key] = (this.counters.requests[key] ?? 0) + 1;
    const limit = headerNumber(response.headers.get('x-ratelimit-org-limit'));
    const remaining = headerNumber(response.headers.get('x-ratelimit-org-remaining'));
    if (limit !== undefined || remaining !== undefined) {
      this.counters.lastRateLimit = {
        ...(limit !== undefined ? { limit } : {}),
        ...(remaining !== undefined ? { remaining } : {}),
      };
    }
  }

  private apiError(init: ExchangeInit, { response, text }: Exchange): ApiError {
    return new ApiError({
      service: SERVICE,
      status: response.status,
      method: init.method,
      url: init.shownUrl ?? init.url,
      retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after'), this.options.now()),
      detail: this.excerpt(text),
    });
  }

  /** A short excerpt of an error body, with anything secret scrubbed in case the server echoes it. */
  private excerpt(text: string): string | undefined {
    if (!text) return undefined;
    let scrubbed = text;
    for (const secret of [...this.secrets, ...this.recentTokens]) {
      if (secret) scrubbed = scrubbed.split(secret).join('[REDACTED]');
    }
    return scrubbed.length > DETAIL_MAX ? `${scrubbed.slice(0, DETAIL_MAX)}…` : scrubbed;
  }
}

function withBearer(init: ExchangeInit, token: string): ExchangeInit {
  return { ...init, headers: { ...init.headers, Authorization: `Bearer ${token}` } };
}

function headerNumber(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}

function parseJson(text: string, ctx: { service: typeof SERVICE; method: string; url: string }): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new WireError({ ...ctx, issues: [text ? '(root): body is not JSON' : '(root): empty body'] });
  }
}
