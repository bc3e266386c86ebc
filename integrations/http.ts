/**
 * The one HTTP exchange every integration client uses (grammY's single API-client path is the
 * model): per-request timeout and the caller's abort signal, authentication with one renewal on a
 * 401, the shared retry rule, the mapping of every failure to the taxonomy of `./errors.ts`,
 * secret scrubbing, `Retry-After` reading, and JSON parsing and validation. Vendors plug in small
 * hooks (their auth or session, their error envelope, their quirks); nothing else is repeated.
 */
import type { z } from 'zod';
import { ApiError, NetworkError, WireError } from './errors.js';
import { type RetryPolicy, sleep, withRetry } from './retry.js';
import { parseRetryAfter, parseWire } from './wire.js';

export { ApiError, isUpstreamError, NetworkError, redactUrl, type UpstreamError, WireError } from './errors.js';

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export type ServiceName = 'sna' | 'webex' | 'xdr' | 'umbrella' | 'secure-endpoint' | 'virustotal';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One request. `url` is absolute. */
export interface HttpRequest {
  method: HttpMethod;
  url: string;
  /** The URL as errors show it, when `url` itself holds a credential (a feed view's `s=`). */
  shownUrl?: string | undefined;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as `application/x-www-form-urlencoded`. */
  form?: Record<string, string>;
  /** Overrides the client's timeout. */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** An answer, body read. */
export interface HttpAnswer {
  status: number;
  ok: boolean;
  headers: Headers;
  text: string;
}

/** How a client authenticates; `credential` tells a 401 which credential was refused. */
export interface Auth<C = unknown> {
  headers(request: HttpRequest, signal?: AbortSignal): Promise<{ headers: Record<string, string>; credential: C }>;
  /** After a 401: renews `credential` and says whether one more try may succeed. Absent: a 401 is final. */
  renew?(credential: C, signal?: AbortSignal): Promise<boolean>;
  /** The request was refused again after renewing: forget what may be stale. */
  refused?(credential: C): void;
}

/** Fixed headers (an API key, HTTP Basic): nothing to renew, so a 401 is final. */
export function staticAuth(headers: Record<string, string>): Auth<undefined> {
  return { headers: () => Promise.resolve({ headers, credential: undefined }) };
}

/** A vendor's quirks. Every hook is optional. */
export interface ExchangeHooks {
  /** Sees every answer, errors included (cookies, rate-limit headers, counters). */
  observe?(answer: HttpAnswer): void;
  /** Told when no answer came (unreachable, timed out). */
  unreachable?(): void;
  /** A readable detail of an error body (the vendor's error envelope); the raw excerpt otherwise. */
  errorDetail?(text: string): string | undefined;
  /** Seconds to wait before retrying, when the vendor says it another way than `Retry-After`. */
  retryAfter?(answer: HttpAnswer): number | undefined;
  /** Parses a 2xx body; `JSON.parse` by default. */
  parseJson?(text: string): unknown;
}

export interface HttpClientOptions<C = unknown> {
  service: ServiceName;
  fetch: FetchLike;
  timeoutMs: number;
  /** Values scrubbed from error details should the service echo them (read at each error). */
  secrets: () => ReadonlyArray<string | undefined>;
  auth?: Auth<C> | undefined;
  hooks?: ExchangeHooks;
  /** Retried failures; none by default (most callers have budgets and caches of their own). */
  retry?: RetryPolicy;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const DETAIL_MAX = 300;

/** Sends requests to one service. Stateless apart from what its hooks keep. */
export class HttpClient<C = unknown> {
  constructor(private readonly options: HttpClientOptions<C>) {}

  get service(): ServiceName {
    return this.options.service;
  }

  /** Sends `request` and validates its JSON answer with `schema`. Throws the shared errors. */
  async json<S extends z.ZodType>(request: HttpRequest, schema: S): Promise<z.infer<S>> {
    const answer = await this.request(request);
    return this.parse(request, answer.text, schema);
  }

  /** Sends `request` (authenticated, retried by the policy); throws an {@link ApiError} unless 2xx. */
  request(request: HttpRequest): Promise<HttpAnswer> {
    const { retry } = this.options;
    if (!retry) return this.authenticated(request);
    return withRetry(() => this.authenticated(request), retry, {
      signal: request.signal,
      sleep: this.options.sleep ?? sleep,
    });
  }

  /**
   * One round trip without authentication nor retry, whatever the status: for logins and other
   * calls whose answer the caller judges itself. Throws {@link NetworkError} or `signal.reason`.
   */
  async send(request: HttpRequest): Promise<HttpAnswer> {
    const { service, fetch, hooks } = this.options;
    const timeout = AbortSignal.timeout(request.timeoutMs ?? this.options.timeoutMs);
    const { signal } = request;
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: { ...bodyHeaders(request), ...request.headers },
        body: bodyOf(request),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      const answer = {
        status: response.status,
        ok: response.ok,
        headers: response.headers,
        text: await response.text(),
      };
      hooks?.observe?.(answer);
      return answer;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      hooks?.unreachable?.();
      throw new NetworkError({
        service,
        method: request.method,
        url: shown(request),
        cause: error,
        timedOut: timeout.aborted,
      });
    }
  }

  /** The {@link ApiError} of a non-2xx answer: status, `Retry-After`, and a short scrubbed detail. */
  apiError(request: HttpRequest, answer: HttpAnswer): ApiError {
    const { hooks, now } = this.options;
    return new ApiError({
      service: this.options.service,
      status: answer.status,
      method: request.method,
      url: shown(request),
      retryAfterSeconds:
        parseRetryAfter(answer.headers.get('retry-after'), (now ?? Date.now)()) ?? hooks?.retryAfter?.(answer),
      detail: this.excerpt(answer.text),
    });
  }

  /** Parses a 2xx body and validates it, or throws a {@link WireError}. */
  parse<S extends z.ZodType>(request: HttpRequest, text: string, schema: S): z.infer<S> {
    const ctx = { service: this.options.service, method: request.method, url: shown(request) };
    let body: unknown;
    try {
      body = (this.options.hooks?.parseJson ?? JSON.parse)(text);
    } catch {
      throw new WireError({ ...ctx, issues: [text ? '(root): body is not JSON' : '(root): empty body'] });
    }
    return parseWire(schema, body, ctx);
  }

  /** A short excerpt of an error body, with every secret scrubbed in case the service echoes it. */
  excerpt(text: string): string | undefined {
    if (!text) return undefined;
    let detail = this.options.hooks?.errorDetail?.(text) ?? text;
    for (const secret of this.options.secrets()) {
      if (secret) detail = detail.split(secret).join('[REDACTED]');
    }
    return detail.length > DETAIL_MAX ? `${detail.slice(0, DETAIL_MAX)}…` : detail;
  }

  private async authenticated(request: HttpRequest): Promise<HttpAnswer> {
    const { auth } = this.options;
    if (!auth) return this.checked(request, await this.send(request));
    const attempt = async () => {
      const { headers, credential } = await auth.headers(request, request.signal);
      return { answer: await this.send({ ...request, headers: { ...request.headers, ...headers } }), credential };
    };
    let { answer, credential } = await attempt();
    if (answer.status === 401 && auth.renew && (await auth.renew(credential, request.signal))) {
      ({ answer, credential } = await attempt());
      if (answer.status === 401) auth.refused?.(credential);
    }
    return this.checked(request, answer);
  }

  private checked(request: HttpRequest, answer: HttpAnswer): HttpAnswer {
    if (!answer.ok) throw this.apiError(request, answer);
    return answer;
  }
}

function shown(request: HttpRequest): string {
  return request.shownUrl ?? request.url;
}

function bodyHeaders(request: HttpRequest): Record<string, string> {
  if (request.json !== undefined) return { 'Content-Type': 'application/json' };
  if (request.form !== undefined) return { 'Content-Type': 'application/x-www-form-urlencoded' };
  return {};
}

function bodyOf(request: HttpRequest): string | undefined {
  if (request.json !== undefined) return JSON.stringify(request.json);
  if (request.form !== undefined) return new URLSearchParams(request.form).toString();
  return undefined;
}
