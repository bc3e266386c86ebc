/**
 * The SMC session under {@link SnaClient}, as hooks of the shared exchange: form login, cookie jar,
 * `X-XSRF-TOKEN` on non-GET requests (Cisco documents it for those only), proactive renewal before
 * the documented 20-minute session ends, and one re-login on a 401.
 */
import type { z } from 'zod';
import { type Auth, type FetchLike, HttpClient, type HttpMethod, type HttpRequest } from '../http.js';
import { parseRetryAfter } from '../wire.js';
import { TokenCache } from '../token-cache.js';
import { CookieJar } from './cookies.js';
import { SnaLoginError } from './errors.js';
import type { SnaSessionInfo } from './types.js';

const LOGIN_PATH = '/token/v2/authenticate';
const LOGOUT_PATH = '/token';
const XSRF_COOKIE = 'XSRF-TOKEN';
/** The SMC ends a session after 20 minutes (`tokenTtlInSeconds: 1200`); it is renewed a minute before. */
export const SESSION_TTL_SECONDS = 1200;

/** One API call. */
export interface SnaRequest {
  method: HttpMethod;
  /** Path under the base URL, starting with `/`. */
  path: string;
  /** Sent as a JSON body. */
  json?: unknown;
  /** `false` sends no `Accept` header: some SMCs answer 406 to `application/json` on some paths. */
  acceptJson?: boolean;
  signal?: AbortSignal | undefined;
}

export interface SnaSessionOptions {
  baseUrl: string;
  username: string;
  password: string;
  fetch: FetchLike;
  timeoutMs: number;
  now?: () => number;
}

/** Owns the SMC session. Logins are shared: concurrent callers wait for one in-flight login. */
export class SnaSession {
  private readonly jar = new CookieJar();
  private readonly http: HttpClient<number>;
  /** The session's generation (bumped by every login), so a 401 can tell whether someone re-logged in. */
  private readonly sessions: TokenCache<number>;
  private generation = 0;
  private since: Date | undefined;
  private logins = 0;

  constructor(private readonly options: SnaSessionOptions) {
    this.sessions = new TokenCache(() => this.login(), options.now);
    this.http = new HttpClient({
      service: 'sna',
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      secrets: () => [options.password],
      auth: this.auth(),
      hooks: {
        // Older fetch stand-ins lack getSetCookie; without it there are simply no cookies to keep.
        observe: ({ headers }) => {
          if (typeof headers.getSetCookie === 'function') this.jar.update(headers.getSetCookie());
        },
      },
    });
  }

  /** The absolute URL of a path, for error messages. */
  url(path: string): string {
    return `${this.options.baseUrl}${path}`;
  }

  info(): SnaSessionInfo {
    return this.since
      ? { loggedIn: true, since: this.since, logins: this.logins }
      : { loggedIn: false, logins: this.logins };
  }

  /** Sends a request and validates its JSON answer with `schema`. */
  request<S extends z.ZodType>(request: SnaRequest, schema: S): Promise<z.infer<S>> {
    return this.http.json(this.toHttp(request), schema);
  }

  /** Sends a request and hands its 2xx body to `consume` as it arrives (see `HttpClient.stream`). */
  stream<T>(request: SnaRequest, consume: (chunks: AsyncIterable<Uint8Array>) => Promise<T>): Promise<T> {
    return this.http.stream(this.toHttp(request), consume);
  }

  /** Ends the session with `DELETE /token`. Never throws; a no-op when not logged in. */
  async logout(): Promise<void> {
    await this.sessions.idle();
    await this.endSession();
  }

  private toHttp(request: SnaRequest): HttpRequest {
    return {
      method: request.method,
      url: this.url(request.path),
      headers: request.acceptJson === false ? {} : { Accept: 'application/json' },
      json: request.json,
      signal: request.signal,
    };
  }

  private auth(): Auth<number> {
    return {
      headers: async (request, signal) => {
        const generation = await this.sessions.get(signal);
        return { headers: this.sessionHeaders(request), credential: generation };
      },
      renew: async (generation, signal) => {
        if (this.generation === generation) this.forgetSession();
        await this.sessions.renew(generation, signal);
        return true;
      },
      refused: () => this.forgetSession(),
    };
  }

  private sessionHeaders(request: Pick<HttpRequest, 'method'>): Record<string, string> {
    const headers: Record<string, string> = {};
    const cookie = this.jar.header();
    if (cookie) headers.Cookie = cookie;
    const xsrf = this.jar.get(XSRF_COOKIE);
    if (xsrf && request.method !== 'GET') headers['X-XSRF-TOKEN'] = xsrf;
    return headers;
  }

  /** Not tied to any caller's signal (see TokenCache). A session about to expire is ended first. */
  private async login(): Promise<{ value: number; expiresInSeconds: number }> {
    await this.endSession();
    const url = this.url(LOGIN_PATH);
    const { username, password } = this.options;
    const answer = await this.http.send({ method: 'POST', url, form: { username, password } });
    if (!answer.ok) {
      throw new SnaLoginError({
        status: answer.status,
        url,
        username,
        retryAfterSeconds: parseRetryAfter(answer.headers.get('retry-after')),
      });
    }
    this.generation += 1;
    this.logins += 1;
    this.since = new Date();
    return { value: this.generation, expiresInSeconds: SESSION_TTL_SECONDS };
  }

  /** `DELETE /token` (the SMC answers 204). Best effort: the session expires on the SMC anyway. */
  private async endSession(): Promise<void> {
    if (!this.since) return;
    const request = { method: 'DELETE', url: this.url(LOGOUT_PATH) } as const;
    try {
      await this.http.send({ ...request, headers: this.sessionHeaders(request) });
    } catch {
      // Shutdown and renewal must not fail on it.
    } finally {
      this.forgetSession();
    }
  }

  private forgetSession(): void {
    this.since = undefined;
    this.jar.clear();
    this.sessions.forget();
  }
}
