/**
 * The SMC session and HTTP exchange under {@link SnaClient}: form login, cookie jar, XSRF header,
 * one re-login on 401, timeouts, and the mapping of every failure to the shared error taxonomy.
 */
import type { z } from 'zod';
import { ApiError, type FetchLike, NetworkError, parseRetryAfter, parseWire, WireError } from '../http.js';
import { raceAbort } from './abort.js';
import { CookieJar } from './cookies.js';
import { SnaLoginError } from './errors.js';
import type { SnaSessionInfo } from './types.js';

const SERVICE = 'sna';
const LOGIN_PATH = '/token/v2/authenticate';
const LOGOUT_PATH = '/token';
const XSRF_COOKIE = 'XSRF-TOKEN';
const DETAIL_MAX = 300;

/** One API call. */
export interface SnaRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path under the base URL, starting with `/`. */
  path: string;
  /** Sent as a JSON body. */
  json?: unknown;
  /** `false` sends no `Accept` header: some SMCs answer 406 to `application/json` on some paths. */
  acceptJson?: boolean;
  signal?: AbortSignal | undefined;
}

interface Exchange {
  response: Response;
  text: string;
}

export interface SnaTransportOptions {
  baseUrl: string;
  username: string;
  password: string;
  fetch: FetchLike;
  timeoutMs: number;
}

/** Owns the SMC session. Logins are serialized: concurrent callers share one in-flight login. */
export class SnaTransport {
  private readonly jar = new CookieJar();
  /** Bumped by every successful login, so a 401 can tell whether someone already re-logged in. */
  private generation = 0;
  private loginInFlight: Promise<number> | undefined;
  private since: Date | undefined;
  private logins = 0;

  constructor(private readonly options: SnaTransportOptions) {}

  /** The absolute URL of a path, for error messages. */
  url(path: string): string {
    return `${this.options.baseUrl}${path}`;
  }

  sessionInfo(): SnaSessionInfo {
    return this.since
      ? { loggedIn: true, since: this.since, logins: this.logins }
      : { loggedIn: false, logins: this.logins };
  }

  /** Sends a request and validates its JSON answer with `schema`. */
  async request<S extends z.ZodType>(request: SnaRequest, schema: S): Promise<z.infer<S>> {
    const { text } = await this.send(request);
    const ctx = { service: SERVICE, method: request.method, url: this.url(request.path) } as const;
    return parseWire(schema, parseJson(text, ctx), ctx);
  }

  /** Ends the session with `DELETE /token`. Never throws; a no-op when not logged in. */
  async logout(): Promise<void> {
    await this.loginInFlight?.catch(() => undefined);
    if (!this.since) return;
    try {
      await this.exchange('DELETE', LOGOUT_PATH, { headers: this.sessionHeaders(false) });
    } catch {
      // Best effort: the session expires on the SMC anyway, and shutdown must not fail on it.
    } finally {
      this.forgetSession();
    }
  }

  private async send(request: SnaRequest): Promise<Exchange> {
    const generation = await this.ensureSession(request.signal);
    let result = await this.exchangeApi(request);
    if (result.response.status === 401) {
      await this.renewSession(generation, request.signal);
      result = await this.exchangeApi(request);
      if (result.response.status === 401) this.forgetSession();
    }
    if (!result.response.ok) throw this.apiError(request.method, request.path, result);
    return result;
  }

  private exchangeApi(request: SnaRequest): Promise<Exchange> {
    const headers = this.sessionHeaders(request.acceptJson ?? true);
    let body: string | undefined;
    if (request.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(request.json);
    }
    return this.exchange(request.method, request.path, { headers, body }, request.signal);
  }

  private sessionHeaders(acceptJson: boolean): Record<string, string> {
    const headers: Record<string, string> = {};
    if (acceptJson) headers.Accept = 'application/json';
    const cookie = this.jar.header();
    if (cookie) headers.Cookie = cookie;
    const xsrf = this.jar.get(XSRF_COOKIE);
    if (xsrf) headers['X-XSRF-TOKEN'] = xsrf;
    return headers;
  }

  private ensureSession(signal: AbortSignal | undefined): Promise<number> {
    signal?.throwIfAborted();
    if (this.since) return Promise.resolve(this.generation);
    return raceAbort(this.sharedLogin(), signal);
  }

  private renewSession(staleGeneration: number, signal: AbortSignal | undefined): Promise<number> {
    if (this.generation !== staleGeneration && this.since) return Promise.resolve(this.generation);
    if (this.generation === staleGeneration) this.forgetSession();
    return raceAbort(this.sharedLogin(), signal);
  }

  /** The login is not tied to any caller's signal: one caller giving up must not fail the others. */
  private sharedLogin(): Promise<number> {
    this.loginInFlight ??= this.login().finally(() => {
      this.loginInFlight = undefined;
    });
    return this.loginInFlight;
  }

  private async login(): Promise<number> {
    this.jar.clear();
    const form = new URLSearchParams({ username: this.options.username, password: this.options.password });
    const { response } = await this.exchange('POST', LOGIN_PATH, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    if (!response.ok) {
      throw new SnaLoginError({
        status: response.status,
        url: this.url(LOGIN_PATH),
        username: this.options.username,
        retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
      });
    }
    this.generation += 1;
    this.logins += 1;
    this.since = new Date();
    return this.generation;
  }

  private forgetSession(): void {
    this.since = undefined;
    this.jar.clear();
  }

  /** One HTTP round trip, body included, under the per-request timeout and the caller's signal. */
  private async exchange(
    method: string,
    path: string,
    init: { headers: Record<string, string>; body?: string | undefined },
    signal?: AbortSignal,
  ): Promise<Exchange> {
    const url = this.url(path);
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const response = await this.options.fetch(url, {
        method,
        headers: init.headers,
        body: init.body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      const text = await response.text();
      // Older fetch stand-ins lack getSetCookie; without it there are simply no cookies to keep.
      if (typeof response.headers.getSetCookie === 'function') this.jar.update(response.headers.getSetCookie());
      return { response, text };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new NetworkError({ service: SERVICE, method, url, cause: error, timedOut: timeout.aborted });
    }
  }

  private apiError(method: string, path: string, { response, text }: Exchange): ApiError {
    return new ApiError({
      service: SERVICE,
      status: response.status,
      method,
      url: this.url(path),
      retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
      detail: this.excerpt(text),
    });
  }

  /** A short excerpt of an error body; the password is scrubbed in case an SMC echoes the form. */
  private excerpt(text: string): string | undefined {
    if (!text) return undefined;
    const { password } = this.options;
    const scrubbed = password ? text.split(password).join('[REDACTED]') : text;
    return scrubbed.length > DETAIL_MAX ? `${scrubbed.slice(0, DETAIL_MAX)}…` : scrubbed;
  }
}

function parseJson(text: string, ctx: { service: typeof SERVICE; method: string; url: string }): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new WireError({ ...ctx, issues: [text ? '(root): body is not JSON' : '(root): empty body'] });
  }
}
