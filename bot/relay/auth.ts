/**
 * Relay authentication as XDR does it (Cisco's relay modules, `api/utils.py`, see docs/relay.md):
 * `Authorization: Bearer <JWT>` signed RS256 by XDR. The `jwks_host` claim is read from the
 * unverified payload and must be the configured region's IROH host (a token must never choose
 * where its keys come from); the key is the one XDR publishes under the token's `kid`; `aud` must
 * equal RELAY_AUDIENCE; `exp` (and `nbf`) are checked when present. Anything else is refused.
 */
import type { errors, JWTPayload } from 'jose';
import { isUpstreamError } from '../../integrations/http.js';
import { authError } from './errors.js';
import { loadJose } from './jose.js';
import type { JwksCache } from './jwks.js';

/** Who called, as far as the token says. */
export interface RelayIdentity {
  /** The XDR user named by the first of RELAY_USER_CLAIMS the token carries; undefined when none. */
  user: string | undefined;
  /** `CTR_ENTITIES_LIMIT` from the module's configuration, when XDR sent a usable one. */
  entitiesLimit: number | undefined;
  /** The token's `jti`, when present: ties an audit entry to one call. */
  tokenId: string | undefined;
}

export interface RelayAuthOptions {
  audience: string;
  allowedJwksHosts: readonly string[];
  userClaims: readonly string[];
  jwks: JwksCache;
}

/** Cisco's wording, so operators who know the published modules recognize the messages. */
export const AUTH_MESSAGES = {
  missing: 'Authorization header is missing',
  wrongType: 'Wrong authorization type',
  structure: 'Wrong JWT structure',
  jwksHostMissing: 'jwks_host is missing in JWT payload. Make sure custom_jwks_host field is present in module_type',
  jwksHostWrong: 'Wrong jwks_host in JWT payload. Make sure domain follows the visibility.<region>.cisco.com structure',
  kidNotFound: 'kid from JWT header not found in API response',
  wrongKey:
    'Failed to decode JWT with provided key. Make sure domain in custom_jwks_host corresponds to your SecureX instance region.',
  audience: 'Wrong configuration-token-audience',
  expired: 'JWT has expired',
  keysUnavailable: 'XDR signing keys could not be fetched',
} as const;

/** Verifies the `Authorization` header; throws a 401 {@link RelayError} naming what is wrong. */
export async function verifyRelayToken(header: string | undefined, opts: RelayAuthOptions): Promise<RelayIdentity> {
  if (!header) throw authError(AUTH_MESSAGES.missing);
  const [scheme, token, ...rest] = header.trim().split(/\s+/);
  if (scheme?.toLowerCase() !== 'bearer' || !token || rest.length > 0) throw authError(AUTH_MESSAGES.wrongType);
  const jose = await loadJose();

  let kid: string | undefined;
  let unverified: JWTPayload;
  try {
    const protectedHeader = jose.decodeProtectedHeader(token);
    if (protectedHeader.alg !== 'RS256') throw new Error('not RS256');
    kid = protectedHeader.kid;
    unverified = jose.decodeJwt(token);
  } catch {
    throw authError(AUTH_MESSAGES.structure);
  }
  const jwksHost = unverified.jwks_host;
  if (typeof jwksHost !== 'string' || jwksHost === '') throw authError(AUTH_MESSAGES.jwksHostMissing);
  if (!opts.allowedJwksHosts.includes(jwksHost.toLowerCase())) throw authError(AUTH_MESSAGES.jwksHostWrong);
  if (!kid) throw authError(AUTH_MESSAGES.kidNotFound);

  let key;
  try {
    key = await opts.jwks.key(kid);
  } catch (err) {
    if (isUpstreamError(err)) throw authError(AUTH_MESSAGES.keysUnavailable);
    throw err;
  }
  if (!key) throw authError(AUTH_MESSAGES.kidNotFound);

  let payload: JWTPayload;
  try {
    ({ payload } = await jose.jwtVerify(token, key, { algorithms: ['RS256'], audience: opts.audience }));
  } catch (err) {
    throw authError(verificationFailure(err, jose));
  }
  return {
    user: firstClaim(payload, opts.userClaims),
    entitiesLimit: entitiesLimit(payload.CTR_ENTITIES_LIMIT),
    tokenId: typeof payload.jti === 'string' ? payload.jti.slice(0, 128) : undefined,
  };
}

function verificationFailure(err: unknown, jose: { errors: typeof errors }): string {
  const { errors: e } = jose;
  if (err instanceof e.JWTExpired) return AUTH_MESSAGES.expired;
  if (err instanceof e.JWTClaimValidationFailed) {
    return err.claim === 'aud' ? AUTH_MESSAGES.audience : `JWT claim ${err.claim} is not valid`;
  }
  if (err instanceof e.JWSSignatureVerificationFailed) return AUTH_MESSAGES.wrongKey;
  return AUTH_MESSAGES.structure;
}

function firstClaim(payload: JWTPayload, claims: readonly string[]): string | undefined {
  for (const name of claims) {
    const value = payload[name];
    if (typeof value === 'string' && value.trim() !== '') return value.trim().slice(0, 200);
  }
  return undefined;
}

/** Cisco's modules read `CTR_ENTITIES_LIMIT` from the token: a positive integer, else the default. */
function entitiesLimit(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
