/**
 * Relay JWT verification against the XDR simulator's JWKS over real HTTP: keys fetched once and
 * kept, a rotated key (new `kid`) picked up, a retired one refused, made-up `kid`s unable to make
 * the bot fetch more than once per cooldown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_MESSAGES, type RelayAuthOptions, verifyRelayToken } from '../../../bot/relay/auth.js';
import { RelayError } from '../../../bot/relay/errors.js';
import { JwksCache } from '../../../bot/relay/jwks.js';
import { startXdrSimulator, type XdrSimulator } from '../../../sandbox/xdr/index.js';

const AUDIENCE = 'https://bot.corp.example/relay';
let xdr: XdrSimulator;

beforeAll(async () => {
  xdr = await startXdrSimulator();
});
afterAll(() => xdr.close());

function options(jwks: JwksCache): RelayAuthOptions {
  return { audience: AUDIENCE, allowedJwksHosts: ['visibility.amp.cisco.com'], userClaims: ['email', 'sub'], jwks };
}
const jwksFetches = () => xdr.calls.filter((c) => c.path === '/.well-known/jwks').length;
const bearer = async (claims: Record<string, unknown> = {}) =>
  `Bearer ${await xdr.mintRelayToken({ audience: AUDIENCE, claims })}`;

async function refusal(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RelayError);
  expect((err as RelayError).status).toBe(401);
  return (err as RelayError).message;
}

describe('relay token verification', () => {
  it('fetches the JWKS once and verifies every later token with the key it kept', async () => {
    xdr.clearCalls();
    const jwks = new JwksCache({ url: xdr.jwksUrl, fetch: globalThis.fetch });
    for (let n = 0; n < 5; n += 1) await verifyRelayToken(await bearer(), options(jwks));
    expect(jwksFetches()).toBe(1);
  });

  it('verifies concurrent first calls with one fetch, none of them missing the key being fetched', async () => {
    const jwks = new JwksCache({ url: xdr.jwksUrl, fetch: globalThis.fetch });
    const tokens = await Promise.all([bearer(), bearer(), bearer()]);
    await Promise.all(tokens.map((t) => verifyRelayToken(t, options(jwks))));
    expect(jwks.fetchCount).toBe(1);
  });

  it('picks up a rotated key (new kid) and keeps accepting the old one while XDR still publishes it', async () => {
    const jwks = new JwksCache({ url: xdr.jwksUrl, fetch: globalThis.fetch, cooldownMs: 0 });
    const before = await bearer();
    await verifyRelayToken(before, options(jwks));
    const fetched = jwks.fetchCount;
    const newKid = await xdr.rotateRelayKey();
    expect(newKid).toBe(xdr.relayKid);
    await verifyRelayToken(await bearer(), options(jwks));
    expect(jwks.fetchCount).toBe(fetched + 1);
    await verifyRelayToken(before, options(jwks));

    await xdr.rotateRelayKey(true);
    const current = await bearer();
    await verifyRelayToken(current, options(jwks));
    expect(await refusal(verifyRelayToken(before, options(jwks)))).toContain(AUTH_MESSAGES.kidNotFound);
  });

  it('fetches again for an unknown kid at most once per cooldown', async () => {
    let clock = 1_000_000;
    const jwks = new JwksCache({ url: xdr.jwksUrl, fetch: globalThis.fetch, cooldownMs: 30_000, now: () => clock });
    await verifyRelayToken(await bearer(), options(jwks));
    for (let n = 0; n < 5; n += 1) {
      const stranger = `Bearer ${await xdr.mintRelayToken({ audience: AUDIENCE, variant: 'unknown-kid' })}`;
      expect(await refusal(verifyRelayToken(stranger, options(jwks)))).toContain(AUTH_MESSAGES.kidNotFound);
    }
    expect(jwks.fetchCount).toBe(1);
    clock += 30_000;
    await xdr.rotateRelayKey();
    await verifyRelayToken(await bearer(), options(jwks));
    expect(jwks.fetchCount).toBe(2);
  });

  it('names the user from the first configured claim present, and reads CTR_ENTITIES_LIMIT', async () => {
    const jwks = new JwksCache({ url: xdr.jwksUrl, fetch: globalThis.fetch });
    const identity = await verifyRelayToken(
      await bearer({ sub: 'user-42', email: 'ana@corp.example', CTR_ENTITIES_LIMIT: '25' }),
      options(jwks),
    );
    expect(identity).toMatchObject({ user: 'ana@corp.example', entitiesLimit: 25, tokenId: expect.any(String) });
    expect(await verifyRelayToken(await bearer({ sub: 'user-42' }), options(jwks))).toMatchObject({ user: 'user-42' });
    expect(await verifyRelayToken(await bearer({ CTR_ENTITIES_LIMIT: -3 }), options(jwks))).toMatchObject({
      user: undefined,
      entitiesLimit: undefined,
    });
  });

  it('refuses a token when the JWKS cannot be fetched, without saying more than that', async () => {
    const jwks = new JwksCache({
      url: 'http://127.0.0.1:9/.well-known/jwks',
      fetch: globalThis.fetch,
      timeoutMs: 2000,
    });
    expect(await refusal(verifyRelayToken(await bearer(), options(jwks)))).toBe(
      `Authorization failed: ${AUTH_MESSAGES.keysUnavailable}`,
    );
  });

  it('refuses an unsigned token (alg none) before fetching any key', async () => {
    const jwks = new JwksCache({ url: xdr.jwksUrl, fetch: globalThis.fetch });
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ aud: AUDIENCE, jwks_host: 'visibility.amp.cisco.com' })}.`;
    expect(await refusal(verifyRelayToken(`Bearer ${unsigned}`, options(jwks)))).toContain(AUTH_MESSAGES.structure);
    expect(jwks.fetchCount).toBe(0);
  });
});
