/**
 * XDR's relay signing keys, fetched from its JWKS with the one HTTP exchange and kept: a token
 * whose `kid` is known is checked without any request; an unknown `kid` (XDR rotated its key)
 * fetches the JWKS again, at most once per cooldown, so tokens with made-up `kid`s cannot make the
 * bot hammer XDR.
 */
import type { CryptoKey, JWK } from 'jose';
import { loadJose } from './jose.js';
import { z } from 'zod';
import { type FetchLike, HttpClient } from '../../integrations/http.js';

const jwksSchema = z.object({
  keys: z.array(z.looseObject({ kty: z.string(), kid: z.string().min(1).max(256).optional() })).max(100),
});

export interface JwksOptions {
  url: string;
  fetch: FetchLike;
  /** Shortest time between two fetches caused by unknown `kid`s. Default 30 s (jose's default). */
  cooldownMs?: number;
  timeoutMs?: number;
  now?: () => number;
}

export class JwksCache {
  private readonly http: HttpClient;
  private keys = new Map<string, CryptoKey>();
  private fetchedAt: number | undefined;
  private inflight: Promise<void> | undefined;
  private fetches = 0;

  constructor(private readonly opts: JwksOptions) {
    this.http = new HttpClient({
      service: 'xdr',
      fetch: opts.fetch,
      timeoutMs: opts.timeoutMs ?? 10_000,
      secrets: () => [],
    });
  }

  /** How often the JWKS was fetched (for `/status` and tests). */
  get fetchCount(): number {
    return this.fetches;
  }

  /**
   * The RS256 key published under `kid`, or `undefined` when XDR does not publish one (even after
   * fetching again, cooldown permitting). Throws the exchange's errors when the JWKS is unreachable.
   */
  async key(kid: string): Promise<CryptoKey | undefined> {
    // Calls that arrive while the JWKS is being fetched wait for it rather than miss the key.
    if (this.inflight) await this.inflight.catch(() => undefined);
    const known = this.keys.get(kid);
    if (known) return known;
    const now = (this.opts.now ?? Date.now)();
    const cooldown = this.opts.cooldownMs ?? 30_000;
    if (this.fetchedAt === undefined || now - this.fetchedAt >= cooldown) await this.refresh();
    return this.keys.get(kid);
  }

  private refresh(): Promise<void> {
    this.inflight ??= this.load().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async load(): Promise<void> {
    this.fetches += 1;
    this.fetchedAt = (this.opts.now ?? Date.now)();
    const { keys } = await this.http.json(
      { method: 'GET', url: this.opts.url, headers: { Accept: 'application/json' } },
      jwksSchema,
    );
    const { importJWK } = await loadJose();
    const imported = new Map<string, CryptoKey>();
    for (const jwk of keys) {
      if (jwk.kty !== 'RSA' || !jwk.kid) continue;
      try {
        const key = await importJWK({ ...(jwk as JWK), alg: 'RS256' }, 'RS256');
        if (!(key instanceof Uint8Array)) imported.set(jwk.kid, key);
      } catch {
        // A key we cannot read verifies nothing; the others still do.
      }
    }
    this.keys = imported;
  }
}
