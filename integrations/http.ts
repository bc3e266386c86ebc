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

/** An answer, body read (but see {@link HttpClient.stream}). */
export interface HttpAnswer {
  status: number;
  ok: boolean;
  headers: Headers;
  /** The body; empty when a 2xx body is streamed through `chunks` instead. */
  text: string;
  /** A 2xx body not read yet, when the caller streams it; read failures are the shared errors. */
  chunks?: AsyncIterable<Uint8Array>;
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

  /**
   * Sends `request` like {@link json}, but hands a 2xx body to `consume` as it arrives instead of
   * reading it whole, for answers too large to hold as text. The request's timeout covers the
   * whole body; a connection that breaks or times out while it streams is a {@link NetworkError}
   * (or `signal.reason`), whatever `consume` throws is thrown as it is.
   */
  async stream<T>(request: HttpRequest, consume: (chunks: AsyncIterable<Uint8Array>) => Promise<T>): Promise<T> {
    const answer = await this.request(request, true);
    return consume(answer.chunks ?? emptyChunks());
  }

  /** Sends `request` (authenticated, retried by the policy); throws an {@link ApiError} unless 2xx. */
  request(request: HttpRequest, streamOk = false): Promise<HttpAnswer> {
    const { retry } = this.options;
    if (!retry) return this.authenticated(request, streamOk);
    return withRetry(() => this.authenticated(request, streamOk), retry, {
      signal: request.signal,
      sleep: this.options.sleep ?? sleep,
    });
  }

  /**
   * One round trip without authentication nor retry, whatever the status: for logins and other
   * calls whose answer the caller judges itself. Throws {@link NetworkError} or `signal.reason`.
   * With `streamOk`, a 2xx body is left unread, in `chunks`.
   */
  async send(request: HttpRequest, streamOk = false): Promise<HttpAnswer> {
    const { hooks } = this.options;
    const timeout = AbortSignal.timeout(request.timeoutMs ?? this.options.timeoutMs);
    const { signal } = request;
    const failed = (error: unknown): unknown => {
      if (signal?.aborted) return signal.reason;
      hooks?.unreachable?.();
      return new NetworkError({
        service: this.options.service,
        method: request.method,
        url: shown(request),
        cause: error,
        timedOut: timeout.aborted,
      });
    };
    try {
      const response = await this.options.fetch(request.url, {
        method: request.method,
        headers: { ...bodyHeaders(request), ...request.headers },
        body: bodyOf(request),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      const streamed = streamOk && response.ok;
      const answer: HttpAnswer = {
        status: response.status,
        ok: response.ok,
        headers: response.headers,
        text: streamed ? '' : await response.text(),
      };
      if (streamed) answer.chunks = chunksOf(response.body, failed);
      hooks?.observe?.(answer);
      return answer;
    } catch (error) {
      throw failed(error);
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

  private async authenticated(request: HttpRequest, streamOk: boolean): Promise<HttpAnswer> {
    const { auth } = this.options;
    if (!auth) return this.checked(request, await this.send(request, streamOk));
    const attempt = async () => {
      const { headers, credential } = await auth.headers(request, request.signal);
      const answer = await this.send({ ...request, headers: { ...request.headers, ...headers } }, streamOk);
      return { answer, credential };
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

/** A response body as chunks; a failure while reading becomes `failed(error)`; stopping early cancels it. */
async function* chunksOf(
  body: ReadableStream<Uint8Array> | null,
  failed: (error: unknown) => unknown,
): AsyncGenerator<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  let done = false;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        done = true;
        throw failed(error);
      }
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // Stopped early (the consumer threw): the rest of the body is not wanted.
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

async function* emptyChunks(): AsyncGenerator<Uint8Array> {}

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
