/**
 * The one cache of a credential with a lifetime: an OAuth2 access token (XDR, Umbrella) or an SMC
 * session. It is obtained when none is cached, renewed shortly before it expires, shared by
 * concurrent callers (one request in flight), and renewed at most once per refusal.
 */
import type { Auth } from './http.js';
import { raceAbort } from './retry.js';

/** A credential as the service granted it. */
export interface Granted<T> {
  value: T;
  /** Lifetime from when it was asked for; `Infinity` for one that never expires. */
  expiresInSeconds: number;
}

/** Renew this long before expiry (XDR's contract says ~60 s), or at half-life for short-lived ones. */
const REFRESH_EARLY_SECONDS = 60;

interface Cached<T> {
  value: T;
  /** Epoch ms after which the credential is renewed before use. */
  refreshAt: number;
}

export class TokenCache<T> {
  private current: Cached<T> | undefined;
  private inFlight: Promise<T> | undefined;

  /**
   * @param obtain asks the service for a new credential; not tied to any caller's signal, so one
   *   caller giving up does not fail the others waiting for it.
   */
  constructor(
    private readonly obtain: () => Promise<Granted<T>>,
    private readonly now: () => number = Date.now,
  ) {}

  /** A credential fresh enough to use now. */
  get(signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.current && this.now() < this.current.refreshAt) return Promise.resolve(this.current.value);
    return raceAbort(this.shared(), signal);
  }

  /**
   * A credential to replace `stale`, which the service just refused. When another caller already
   * replaced it, that newer one is returned without asking again.
   */
  renew(stale: T, signal?: AbortSignal): Promise<T> {
    if (this.current && this.current.value !== stale && this.now() < this.current.refreshAt) {
      return Promise.resolve(this.current.value);
    }
    this.forget(stale);
    return raceAbort(this.shared(), signal);
  }

  /** Drops `stale` (the service refused it for good), or whatever is cached when none is named. */
  forget(stale?: T): void {
    if (stale === undefined || this.current?.value === stale) this.current = undefined;
  }

  /** Resolves once no request for a credential is in flight (whatever its outcome). */
  async idle(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
  }

  /** The credential cached now, fresh or not. */
  get cached(): T | undefined {
    return this.current?.value;
  }

  /** Whether a usable credential is cached. */
  get valid(): boolean {
    return this.current !== undefined && this.now() < this.current.refreshAt;
  }

  private shared(): Promise<T> {
    this.inFlight ??= this.obtainAndCache().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async obtainAndCache(): Promise<T> {
    const startedAt = this.now();
    const granted = await this.obtain();
    const lifetimeMs = granted.expiresInSeconds * 1000;
    const earlyMs = Math.min(REFRESH_EARLY_SECONDS * 1000, lifetimeMs / 2);
    this.current = { value: granted.value, refreshAt: startedAt + lifetimeMs - earlyMs };
    return granted.value;
  }
}

/** `Authorization: Bearer <token>` from `tokens`; a 401 renews the token once. */
export function bearerAuth(tokens: TokenCache<string>): Auth<string> {
  return {
    headers: async (_request, signal) => {
      const token = await tokens.get(signal);
      return { headers: { Authorization: `Bearer ${token}` }, credential: token };
    },
    renew: async (stale, signal) => {
      await tokens.renew(stale, signal);
      return true;
    },
  };
}
