/**
 * The XDR side of relay-module authentication, simulated: XDR signs an RS256 JWT for every call it
 * makes to a relay module and publishes its public keys at `/.well-known/jwks` on the region's
 * IROH host (Cisco's relay modules fetch `https://<jwks_host>/.well-known/jwks`; docs/relay.md).
 * Tests and the demo mint tokens here, good ones and bad ones, and rotate the key.
 */
import { randomUUID } from 'node:crypto';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { z } from 'zod';

/** The path XDR publishes its keys at (on `visibility[.<region>].amp.cisco.com`). */
export const JWKS_PATH = '/.well-known/jwks';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** What a minted token should be; every field has a default fit for a valid token. */
export const relayTokenInputSchema = z.object({
  /** `aud`: the relay's URL as configured in XDR (`RELAY_AUDIENCE`). */
  audience: z.string().min(1).max(2048),
  /** The `jwks_host` claim. Default XDR's US host, which a relay in region `us` allows. */
  jwksHost: z.string().min(1).max(255).default('visibility.amp.cisco.com'),
  /** Seconds until `exp`; negative mints an expired token. Default 300. */
  expiresInSeconds: z.int().min(-86_400).max(86_400).default(300),
  /** Further claims: the module's configuration fields (`CTR_ENTITIES_LIMIT`), a user. */
  claims: z.record(z.string(), z.unknown()).default({}),
  /**
   * `valid`: signed with the current key. `other-key`: signed by a key XDR never published, under
   * the current `kid`. `unknown-kid`: a key and `kid` XDR never published. `no-jwks-host`: without
   * the `jwks_host` claim.
   */
  variant: z.enum(['valid', 'other-key', 'unknown-kid', 'no-jwks-host']).default('valid'),
});

export type RelayTokenInput = z.input<typeof relayTokenInputSchema>;

/** XDR's relay signing keys: the current one first; rotated-out ones stay published until retired. */
export class RelayKeys {
  private keys: SigningKey[] = [];
  private stranger: SigningKey | undefined;

  /** Creates the first key (call once before use). */
  async init(): Promise<void> {
    if (this.keys.length === 0) this.keys = [await newKey()];
  }

  /** The published JWKS: public keys only. */
  jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((k) => ({ ...k.publicJwk })) };
  }

  get currentKid(): string {
    const [current] = this.keys;
    if (!current) throw new Error('relay keys not initialized');
    return current.kid;
  }

  /** A new current key (new `kid`); with `retire`, earlier keys leave the JWKS. Returns the new kid. */
  async rotate(retire = false): Promise<string> {
    const key = await newKey();
    this.keys = retire ? [key] : [key, ...this.keys];
    return key.kid;
  }

  /** Signs a relay JWT as XDR would (or a wrong one, by `variant`). */
  async mint(input: RelayTokenInput): Promise<string> {
    const spec = relayTokenInputSchema.parse(input);
    const [current] = this.keys;
    if (!current) throw new Error('relay keys not initialized');
    this.stranger ??= await newKey();
    const signer =
      spec.variant === 'other-key' || spec.variant === 'unknown-kid' ? this.stranger.privateKey : current.privateKey;
    const kid = spec.variant === 'unknown-kid' ? this.stranger.kid : current.kid;
    const claims: Record<string, unknown> = { ...spec.claims };
    if (spec.variant !== 'no-jwks-host') claims.jwks_host = spec.jwksHost;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuedAt(now - (spec.expiresInSeconds < 0 ? 600 : 0))
      .setExpirationTime(now + spec.expiresInSeconds)
      .setAudience(spec.audience)
      .setJti(randomUUID())
      .sign(signer);
  }

  reset(): void {
    this.keys = this.keys.slice(0, 1);
  }
}

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}
