import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startUmbrellaSimulator, type UmbrellaSimulator } from '../../sandbox/umbrella/index.js';

describe('Umbrella Investigate simulator', () => {
  let sim: UmbrellaSimulator;

  beforeAll(async () => {
    sim = await startUmbrellaSimulator();
  });
  beforeEach(() => sim.reset());
  afterAll(() => sim.close());

  function requestToken(key = sim.apiKey, secret = sim.apiSecret, body = 'grant_type=client_credentials') {
    return fetch(sim.tokenUrl, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body,
    });
  }

  async function token(): Promise<string> {
    const body = (await (await requestToken()).json()) as { access_token: string };
    return body.access_token;
  }

  const get = (url: string, bearer?: string): Promise<Response> =>
    fetch(url, bearer === undefined ? {} : { headers: { Authorization: `Bearer ${bearer}` } });

  const control = (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${sim.url}/_sim${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    });

  describe('token endpoint', () => {
    it('issues a bearer token with expires_in for HTTP Basic key:secret and a client_credentials form', async () => {
      const res = await requestToken();
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        token_type: 'bearer',
        access_token: expect.stringMatching(/^[0-9a-f]{48}$/),
        expires_in: 3600,
      });
    });

    it('answers 401 {message} to a wrong secret and 400 to another grant type', async () => {
      const wrong = await requestToken(sim.apiKey, 'nope');
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toEqual({ message: 'Invalid client credentials' });
      expect((await requestToken(sim.apiKey, sim.apiSecret, 'grant_type=password')).status).toBe(400);
    });
  });

  describe('API', () => {
    it('serves /investigate/v2 paths to OAuth2 tokens only, and legacy root paths to the legacy token only', async () => {
      const bearer = await token();
      const v2 = `${sim.baseUrl}/domains/categorization/cisco.com?showLabels`;
      const legacy = `${sim.legacyBaseUrl}/domains/categorization/cisco.com?showLabels`;
      expect((await get(v2, bearer)).status).toBe(200);
      expect((await get(legacy, sim.legacyToken)).status).toBe(200);
      expect((await get(v2, sim.legacyToken)).status).toBe(401);
      expect((await get(legacy, bearer)).status).toBe(401);
      const missing = await get(v2);
      expect(missing.status).toBe(401);
      expect(await missing.json()).toEqual({ message: expect.stringContaining('Unauthorized') });
    });

    it('keys the categorization by domain, with labels under showLabels and numeric-string ids without', async () => {
      const bearer = await token();
      const labels = await get(`${sim.baseUrl}/domains/categorization/internetbadguys.com?showLabels`, bearer);
      expect(await labels.json()).toEqual({
        'internetbadguys.com': { status: -1, security_categories: ['Phishing'], content_categories: [] },
      });
      const ids = await get(`${sim.baseUrl}/domains/categorization/internetbadguys.com`, bearer);
      expect(await ids.json()).toEqual({
        'internetbadguys.com': { status: -1, security_categories: ['66'], content_categories: [] },
      });
    });

    it('serves the documented security and risk-score shapes', async () => {
      const bearer = await token();
      const security = (await (
        await get(`${sim.baseUrl}/security/name/examplemalwaredomain.com`, bearer)
      ).json()) as Record<string, unknown>;
      expect(Object.keys(security)).toEqual(
        expect.arrayContaining([
          'dga_score',
          'perplexity',
          'entropy',
          'securerank2',
          'pagerank',
          'asn_score',
          'prefix_score',
          'rip_score',
          'popularity',
          'geodiversity',
          'geodiversity_normalized',
          'tld_geodiversity',
          'geoscore',
          'ks_test',
          'attack',
          'threat_type',
          'found',
        ]),
      );
      expect(security).toMatchObject({ found: true, attack: 'Emotet', threat_type: 'Malware' });
      const risk = await (await get(`${sim.baseUrl}/domains/risk-score/newly-seen.example`, bearer)).json();
      expect(risk).toMatchObject({
        risk_score: 78,
        indicators: expect.arrayContaining([expect.objectContaining({ indicator: 'Geo Popularity Score' })]),
      });
    });

    it('answers undetermined and not found for a domain without verdict', async () => {
      const bearer = await token();
      expect(await (await get(`${sim.baseUrl}/domains/categorization/nobody.example`, bearer)).json()).toEqual({
        'nobody.example': { status: 0, security_categories: [], content_categories: [] },
      });
      expect(await (await get(`${sim.baseUrl}/security/name/nobody.example`, bearer)).json()).toMatchObject({
        found: false,
      });
    });

    it('answers 404 {message} to an unknown path', async () => {
      const res = await get(`${sim.baseUrl}/whois/x.example`, await token());
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ message: 'Not Found' });
    });

    it('refuses tokens once expired by the control surface', async () => {
      const bearer = await token();
      expect(sim.expireTokens()).toBe(1);
      expect((await get(`${sim.baseUrl}/domains/risk-score/cisco.com`, bearer)).status).toBe(401);
    });

    it('expires tokens after tokenTtlSeconds', async () => {
      const quick = await startUmbrellaSimulator({ tokenTtlSeconds: 0.2 });
      try {
        const res = await fetch(quick.tokenUrl, {
          method: 'POST',
          headers: {
            Authorization: `Basic ${Buffer.from(`${quick.apiKey}:${quick.apiSecret}`).toString('base64')}`,
            'Content-Type': 'application/x-www-form-urlencoded',
          },
          body: 'grant_type=client_credentials',
        });
        const { access_token: bearer } = (await res.json()) as { access_token: string };
        expect((await get(`${quick.baseUrl}/domains/risk-score/cisco.com`, bearer)).status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 250));
        expect((await get(`${quick.baseUrl}/domains/risk-score/cisco.com`, bearer)).status).toBe(401);
      } finally {
        await quick.close();
      }
    });
  });

  describe('controls', () => {
    it('answers 429 without Retry-After by default, and with it when asked', async () => {
      const bearer = await token();
      sim.rateLimitNext(1);
      const plain = await get(`${sim.baseUrl}/domains/risk-score/cisco.com`, bearer);
      expect(plain.status).toBe(429);
      expect(plain.headers.get('retry-after')).toBeNull();
      expect(await plain.json()).toEqual({ message: 'Too Many Requests' });
      sim.rateLimitNext(1, 3);
      expect((await get(`${sim.baseUrl}/domains/risk-score/cisco.com`, bearer)).headers.get('retry-after')).toBe('3');
      expect((await get(`${sim.baseUrl}/domains/risk-score/cisco.com`, bearer)).status).toBe(200);
    });

    it('fails only the calls matching method and path prefix, as many times as asked', async () => {
      sim.failNext(2, 500, { method: 'POST', pathPrefix: '/auth/' });
      expect((await get(`${sim.legacyBaseUrl}/domains/risk-score/cisco.com`, sim.legacyToken)).status).toBe(200);
      const failed = await requestToken();
      expect(failed.status).toBe(500);
      expect(await failed.json()).toEqual({ message: 'Simulated failure' });
      expect((await requestToken()).status).toBe(500);
      expect((await requestToken()).status).toBe(200);
    });

    it('records method, path, status and time of API calls, never tokens, secrets nor queries', async () => {
      const bearer = await token();
      await get(`${sim.baseUrl}/domains/categorization/cisco.com?showLabels`, bearer);
      await control('GET', '/state');
      expect(sim.calls.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
        { method: 'POST', path: '/auth/v2/token', status: 200 },
        { method: 'GET', path: '/investigate/v2/domains/categorization/cisco.com', status: 200 },
      ]);
      expect(Date.parse(sim.calls[0]?.time ?? '')).not.toBeNaN();
      const log = JSON.stringify(await (await control('GET', '/calls')).json());
      for (const secret of [bearer, sim.apiKey, sim.apiSecret, 'showLabels']) expect(log).not.toContain(secret);
    });

    it('delays answers by the configured latency', async () => {
      const bearer = await token();
      sim.setLatency(150);
      const started = Date.now();
      await get(`${sim.baseUrl}/domains/categorization/cisco.com`, bearer);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('offers every control over HTTP under /_sim', async () => {
      expect(
        (
          await control('POST', '/verdicts', {
            domain: 'Bad.Example',
            status: -1,
            securityCategories: ['Malware'],
            riskScore: 95,
          })
        ).status,
      ).toBe(204);
      expect((await control('POST', '/rate-limit', { count: 1, retryAfter: 2 })).status).toBe(204);
      expect((await control('POST', '/fail', { count: 1, status: 503, pathPrefix: '/investigate/' })).status).toBe(204);
      expect((await control('POST', '/latency', { ms: 0 })).status).toBe(204);
      expect((await control('POST', '/expire-tokens')).status).toBe(200);
      expect(await (await control('GET', '/state')).json()).toMatchObject({
        verdicts: { 'bad.example': { status: -1, securityCategories: ['Malware'], riskScore: 95 } },
        pendingFaults: 2,
      });
      expect((await requestToken()).status).toBe(429);
      expect((await control('DELETE', '/calls')).status).toBe(204);
      expect(sim.calls).toEqual([]);
      expect((await control('POST', '/reset')).status).toBe(204);
      expect(await (await control('GET', '/state')).json()).toMatchObject({ pendingFaults: 0 });
    });

    it('answers 400 to invalid control input and 404 to an unknown control route', async () => {
      expect((await control('POST', '/verdicts', { domain: 'x.example', status: 5 })).status).toBe(400);
      expect((await control('POST', '/fail', { count: 0, status: 500 })).status).toBe(400);
      expect((await control('POST', '/fail', { count: 1, status: 200 })).status).toBe(400);
      expect((await control('POST', '/nope')).status).toBe(404);
      expect(() => sim.failNext(1, 302)).toThrow();
    });

    it('comes with demo verdicts (malicious, suspicious, clean) that reset() restores', async () => {
      sim.setVerdict('internetbadguys.com', { status: 1 });
      sim.reset();
      const { verdicts } = sim.state() as { verdicts: Record<string, { status: number }> };
      expect(verdicts['internetbadguys.com']?.status).toBe(-1);
      expect(verdicts['newly-seen.example']?.status).toBe(0);
      expect(verdicts['cisco.com']?.status).toBe(1);
      const empty = await startUmbrellaSimulator({ verdicts: {} });
      expect((empty.state() as { verdicts: object }).verdicts).toEqual({});
      await empty.close();
    });
  });
});
