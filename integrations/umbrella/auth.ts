/**
 * Bearer tokens for Investigate: a legacy static token, or OAuth2 client credentials exchanged at
 * the token endpoint and cached until shortly before they expire.
 */
import { parseWire } from '../http.js';
import { tokenResponseSchema } from './schemas.js';
import type { UmbrellaTransport } from './transport.js';

/** A token, tagged so that a 401 can tell whether someone already replaced it. */
export interface BearerToken {
  value: string;
  generation: number;
}

/** Where the client gets its bearer token. */
export interface TokenSource {
  /** The current token, fetched when there is none or it is about to expire. */
  token(signal?: AbortSignal): Promise<BearerToken>;
  /** Drops `token` after a 401. `true` when asking again may give a different token. */
  invalidate(token: BearerToken): boolean;
}

/** The legacy Investigate token: never changes, so a 401 is final. */
export class StaticTokenSource implements TokenSource {
  private readonly current: BearerToken;

  constructor(value: string) {
    this.current = { value, generation: 0 };
  }

  token(): Promise<BearerToken> {
    return Promise.resolve(this.current);
  }

  invalidate(): boolean {
    return false;
  }
}

/** Tokens are renewed this long before `expires_in` runs out, at most 10% of their lifetime. */
const REFRESH_MARGIN_MS = 60_000;

interface CachedToken extends BearerToken {
  expiresAt: number;
}

export interface ClientCredentialsOptions {
  tokenUrl: string;
  apiKey: string;
  apiSecret: string;
  transport: UmbrellaTransport;
  now?: () => number;
}

/**
 * OAuth2 client credentials (`POST /auth/v2/token`, HTTP Basic `apiKey:apiSecret`). Concurrent callers
 * share one in-flight token request: the endpoint allows only 20 requests a minute per key.
 */
export class ClientCredentialsTokenSource implements TokenSource {
  private cached: CachedToken | undefined;
  private inFlight: Promise<CachedToken> | undefined;
  private generation = 0;
  private readonly now: () => number;

  constructor(private readonly options: ClientCredentialsOptions) {
    this.now = options.now ?? Date.now;
  }

  token(signal?: AbortSignal): Promise<BearerToken> {
    signal?.throwIfAborted();
    if (this.cached && this.now() < this.cached.expiresAt) return Promise.resolve(this.cached);
    this.inFlight ??= this.request().finally(() => {
      this.inFlight = undefined;
    });
    return raceAbort(this.inFlight, signal);
  }

  invalidate(token: BearerToken): boolean {
    if (this.cached?.generation === token.generation) this.cached = undefined;
    return true;
  }

  /** Not tied to any caller's signal: one caller giving up must not fail the others. */
  private async request(): Promise<CachedToken> {
    const { tokenUrl, apiKey, apiSecret, transport } = this.options;
    const basic = Buffer.from(`${apiKey}:${apiSecret}`, 'utf8').toString('base64');
    const exchange = await transport.exchange('POST', tokenUrl, {
      headers: {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
    });
    if (!exchange.response.ok) throw transport.apiError('POST', tokenUrl, exchange);
    const ctx = { service: 'umbrella', method: 'POST', url: tokenUrl } as const;
    const body = parseWire(tokenResponseSchema, transport.json('POST', tokenUrl, exchange.text), ctx);
    const lifetimeMs = body.expires_in * 1000;
    this.generation += 1;
    this.cached = {
      value: body.access_token,
      generation: this.generation,
      expiresAt: this.now() + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 10),
    };
    return this.cached;
  }
}

/** Settles with `promise`, or rejects with `signal.reason` when the signal aborts first. */
function raceAbort<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
