/** The cached OAuth2 access token, refreshed before it expires and shared by concurrent callers. */
import { raceAbort } from '../sna/abort.js';

/** A token as the token endpoint granted it. */
export interface GrantedToken {
  accessToken: string;
  expiresInSeconds: number;
}

/** Refresh this long before expiry (api-contracts.md §2.2), or at half-life for short-lived tokens. */
const REFRESH_EARLY_SECONDS = 60;

interface CachedToken {
  value: string;
  /** Epoch ms after which the token is refreshed before use. */
  refreshAt: number;
}

/** Hands out a valid token, fetching one only when none is cached or it is about to expire. */
export class TokenCache {
  private current: CachedToken | undefined;
  private inFlight: Promise<string> | undefined;

  constructor(
    private readonly obtain: () => Promise<GrantedToken>,
    private readonly now: () => number,
  ) {}

  /** A token fresh enough to use now. */
  get(signal?: AbortSignal): Promise<string> {
    signal?.throwIfAborted();
    if (this.current && this.now() < this.current.refreshAt) return Promise.resolve(this.current.value);
    return raceAbort(this.shared(), signal);
  }

  /**
   * A token to replace `stale`, which the server just refused. When another caller already replaced
   * it, that newer token is returned without a new fetch.
   */
  renew(stale: string, signal?: AbortSignal): Promise<string> {
    if (this.current && this.current.value !== stale && this.now() < this.current.refreshAt) {
      return Promise.resolve(this.current.value);
    }
    if (this.current?.value === stale) this.current = undefined;
    return raceAbort(this.shared(), signal);
  }

  /** Whether a usable token is cached. */
  get valid(): boolean {
    return this.current !== undefined && this.now() < this.current.refreshAt;
  }

  /** The fetch is not tied to any caller's signal: one caller giving up must not fail the others. */
  private shared(): Promise<string> {
    this.inFlight ??= this.fetchAndCache().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async fetchAndCache(): Promise<string> {
    const startedAt = this.now();
    const granted = await this.obtain();
    const lifetimeMs = granted.expiresInSeconds * 1000;
    const earlyMs = Math.min(REFRESH_EARLY_SECONDS * 1000, lifetimeMs / 2);
    this.current = { value: granted.accessToken, refreshAt: startedAt + lifetimeMs - earlyMs };
    return granted.accessToken;
  }
}
