import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, type FetchLike, NetworkError, WireError } from '../../../integrations/http.js';
import { UmbrellaClient } from '../../../integrations/umbrella/client.js';
import { startUmbrellaSimulator, type UmbrellaSimulator } from '../../../sandbox/umbrella/index.js';

const TOKEN = '/auth/v2/token';

/** Real fetch, plus a record of what the client sent. */
function recordingFetch(): {
  fetch: FetchLike;
  sent: { method: string; url: string; headers: Headers; body: string }[];
} {
  const sent: { method: string; url: string; headers: Headers; body: string }[] = [];
  const fetch: FetchLike = (input, init) => {
    sent.push({
      method: init?.method ?? 'GET',
      url: String(input),
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : '',
    });
    return globalThis.fetch(input, init);
  };
  return { fetch, sent };
}

/** Everything an error exposes that could end up in a log or a chat message. */
function everythingShownBy(error: unknown): string {
  const e = error as Error & Record<string, unknown>;
  return [String(e), e.message, e.stack, JSON.stringify(e), e.detail, e.endpoint].join('\n');
}

/** A bare HTTP server for answers the simulator will not give. */
async function rawServer(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}

describe('UmbrellaClient against the Umbrella simulator', () => {
  let sim: UmbrellaSimulator;

  const oauth = (fetch?: FetchLike, timeoutMs?: number): UmbrellaClient =>
    new UmbrellaClient(
      { baseUrl: sim.baseUrl, tokenUrl: sim.tokenUrl, apiKey: sim.apiKey, apiSecret: sim.apiSecret },
      fetch,
      timeoutMs,
    );
  const tokenRequests = (): number => sim.calls.filter((c) => c.path === TOKEN).length;

  beforeAll(async () => {
    sim = await startUmbrellaSimulator();
  });
  beforeEach(() => sim.reset());
  afterAll(() => sim.close());

  describe('OAuth2 client credentials', () => {
    it('asks for a token with HTTP Basic key:secret and a client_credentials form, then sends it as a bearer', async () => {
      const { fetch, sent } = recordingFetch();
      await oauth(fetch).categorization('cisco.com');
      const [tokenCall, apiCall] = sent;
      expect(tokenCall?.method).toBe('POST');
      expect(tokenCall?.url).toBe(sim.tokenUrl);
      const basic = Buffer.from(`${sim.apiKey}:${sim.apiSecret}`).toString('base64');
      expect(tokenCall?.headers.get('authorization')).toBe(`Basic ${basic}`);
      expect(tokenCall?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
      expect(tokenCall?.body).toBe('grant_type=client_credentials');
      expect(apiCall?.headers.get('authorization')).toMatch(/^Bearer [0-9a-f]{48}$/);
    });

    it('reuses a cached token across calls and shares one token request between concurrent calls', async () => {
      const client = oauth();
      await Promise.all([
        client.categorization('cisco.com'),
        client.riskScore('cisco.com'),
        client.security('cisco.com'),
      ]);
      await client.categorization('example.com');
      expect(tokenRequests()).toBe(1);
    });

    it('renews the token shortly before expires_in runs out, without a 401 first', async () => {
      const shortLived = await startUmbrellaSimulator({ tokenTtlSeconds: 1 });
      try {
        const client = new UmbrellaClient({
          baseUrl: shortLived.baseUrl,
          tokenUrl: shortLived.tokenUrl,
          apiKey: shortLived.apiKey,
          apiSecret: shortLived.apiSecret,
        });
        await client.categorization('cisco.com');
        await new Promise((resolve) => setTimeout(resolve, 950));
        await client.categorization('cisco.com');
        expect(shortLived.calls.map((c) => `${c.path} ${c.status}`)).toEqual([
          `${TOKEN} 200`,
          '/investigate/v2/domains/categorization/cisco.com 200',
          `${TOKEN} 200`,
          '/investigate/v2/domains/categorization/cisco.com 200',
        ]);
      } finally {
        await shortLived.close();
      }
    });

    it('fetches a new token once after a 401 and retries the call', async () => {
      const client = oauth();
      await client.categorization('cisco.com');
      sim.expireTokens();
      await expect(client.categorization('internetbadguys.com')).resolves.toMatchObject({ status: -1 });
      expect(sim.calls.map((c) => `${c.path} ${c.status}`).slice(2)).toEqual([
        '/investigate/v2/domains/categorization/internetbadguys.com 401',
        `${TOKEN} 200`,
        '/investigate/v2/domains/categorization/internetbadguys.com 200',
      ]);
    });

    it('gives up with the 401 when the fresh token is refused too, after a single refresh', async () => {
      const client = oauth();
      sim.failNext(2, 401, { pathPrefix: '/investigate/' });
      const error = await client.categorization('cisco.com').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(401);
      expect(tokenRequests()).toBe(2);
    });

    it('reports refused credentials as an ApiError 401 of the token endpoint that shows neither key nor secret', async () => {
      const apiSecret = 'Wr0ng-Secret-Value-123';
      const client = new UmbrellaClient({
        baseUrl: sim.baseUrl,
        tokenUrl: sim.tokenUrl,
        apiKey: sim.apiKey,
        apiSecret,
      });
      const error = await client.categorization('cisco.com').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ service: 'umbrella', status: 401, endpoint: `POST ${sim.tokenUrl}` });
      expect((error as ApiError).detail).toBe('Invalid client credentials');
      expect(everythingShownBy(error)).not.toContain(apiSecret);
      expect(everythingShownBy(error)).not.toContain(sim.apiKey);
      expect(sim.calls.filter((c) => c.path !== TOKEN)).toEqual([]);
    });
  });

  describe('legacy static token', () => {
    it('sends the static bearer to the legacy paths and never asks for a token', async () => {
      const { fetch, sent } = recordingFetch();
      const client = new UmbrellaClient({ baseUrl: sim.legacyBaseUrl, legacyToken: sim.legacyToken }, fetch);
      await expect(client.categorization('cisco.com')).resolves.toMatchObject({ status: 1 });
      expect(sent.map((s) => s.headers.get('authorization'))).toEqual([`Bearer ${sim.legacyToken}`]);
      expect(sim.calls.map((c) => c.path)).toEqual(['/domains/categorization/cisco.com']);
    });

    it('fails a refused legacy token at once with an ApiError 401 that does not show the token', async () => {
      const legacyToken = 'legacy-Token-That-Is-Wrong';
      const client = new UmbrellaClient({ baseUrl: sim.legacyBaseUrl, legacyToken });
      const error = await client.categorization('cisco.com').catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 401, service: 'umbrella' });
      expect(sim.calls).toHaveLength(1);
      expect(everythingShownBy(error)).not.toContain(legacyToken);
    });
  });

  describe('answers', () => {
    it('asks for labels (showLabels) and returns status with security and content categories', async () => {
      const { fetch, sent } = recordingFetch();
      const result = await oauth(fetch).categorization('ExampleMalwareDomain.COM');
      expect(sent.at(-1)?.url).toBe(`${sim.baseUrl}/domains/categorization/examplemalwaredomain.com?showLabels`);
      expect(result).toEqual({
        status: -1,
        securityCategories: ['Malware', 'Command and Control'],
        contentCategories: [],
      });
    });

    it('answers undetermined (status 0, no category) for a domain Umbrella does not classify', async () => {
      await expect(oauth().categorization('never-seen.example')).resolves.toEqual({
        status: 0,
        securityCategories: [],
        contentCategories: [],
      });
    });

    it('maps the security scores to camelCase, geodiversity to {code, share}, and drops empty attack names', async () => {
      sim.setVerdict('evil.example', {
        status: -1,
        security: { attack: 'Emotet', threat_type: 'Malware', dga_score: null },
      });
      const security = await oauth().security('evil.example');
      expect(security).toMatchObject({ found: true, secureRank2: -83.2, attack: 'Emotet', threatType: 'Malware' });
      expect(security.dgaScore).toBeUndefined();
      expect(security.geodiversity).toEqual([
        { code: 'US', share: 0.74 },
        { code: 'DE', share: 0.26 },
      ]);
      const clean = await oauth().security('cisco.com');
      expect(clean.attack).toBeUndefined();
      expect(clean.threatType).toBeUndefined();
    });

    it('returns the risk score with its indicators', async () => {
      const risk = await oauth().riskScore('newly-seen.example');
      expect(risk.riskScore).toBe(78);
      expect(risk.indicators[0]).toEqual({ indicator: 'Geo Popularity Score', normalizedScore: 39, score: -3.61 });
    });

    it('combines categorization and risk score into malicious, suspicious, clean and unknown verdicts', async () => {
      const client = oauth();
      const verdicts = await Promise.all(
        ['internetbadguys.com', 'newly-seen.example', 'cisco.com', 'unknown.example'].map((d) =>
          client.domainVerdict(d),
        ),
      );
      expect(verdicts.map((v) => [v.domain, v.disposition, v.riskScore])).toEqual([
        ['internetbadguys.com', 'malicious', 100],
        ['newly-seen.example', 'suspicious', 78],
        ['cisco.com', 'clean', 0],
        ['unknown.example', 'unknown', 30],
      ]);
      expect(verdicts[0]?.link).toBe('https://investigate.umbrella.com/domain-view/name/internetbadguys.com/view');
    });

    it('leaves the risk score out of the verdict when the package does not include it (403)', async () => {
      sim.failNext(1, 403, { pathPrefix: '/investigate/v2/domains/risk-score/' });
      const verdict = await oauth().domainVerdict('cisco.com');
      expect(verdict.disposition).toBe('clean');
      expect('riskScore' in verdict).toBe(false);
    });

    it('rejects the verdict when the risk score fails for another reason', async () => {
      sim.failNext(1, 503, { pathPrefix: '/investigate/v2/domains/risk-score/' });
      await expect(oauth().domainVerdict('cisco.com')).rejects.toMatchObject({ status: 503, transient: true });
    });

    it('refuses a value that is not a domain name before sending anything', async () => {
      await expect(oauth().categorization('../../admin')).rejects.toThrow(RangeError);
      await expect(oauth().security('10.0.0.1')).rejects.toThrow(RangeError);
      expect(sim.calls).toEqual([]);
    });

    it('throws a WireError when an answer has the wrong types', async () => {
      sim.setVerdict('odd.example', { status: 0, security: { found: 'yes' } });
      const error = await oauth()
        .security('odd.example')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WireError);
      expect((error as WireError).issues.join()).toContain('found');
    });
  });

  describe('failures', () => {
    it('turns a 429 without Retry-After into a transient ApiError with no retry delay', async () => {
      sim.rateLimitNext(1);
      const error = await oauth()
        .categorization('cisco.com')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({
        status: 429,
        transient: true,
        retryAfterSeconds: undefined,
        detail: 'Too Many Requests',
      });
    });

    it('passes on Retry-After when a 429 carries one', async () => {
      sim.rateLimitNext(1, 7);
      await expect(oauth().riskScore('cisco.com')).rejects.toMatchObject({ status: 429, retryAfterSeconds: 7 });
    });

    it('throws a NetworkError marked timedOut when Umbrella is slower than the timeout', async () => {
      sim.setLatency(500);
      const error = await oauth(undefined, 100)
        .categorization('cisco.com')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).timedOut).toBe(true);
    });

    it('throws a NetworkError, not timed out, when nothing listens', async () => {
      const gone = await rawServer(() => undefined);
      await gone.close();
      const client = new UmbrellaClient({ baseUrl: gone.url, legacyToken: 't' });
      const error = await client.categorization('cisco.com').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).timedOut).toBe(false);
    });

    it("rejects with the caller's abort reason, not a NetworkError, when the caller gives up", async () => {
      sim.setLatency(500);
      const controller = new AbortController();
      const pending = oauth().categorization('cisco.com', { signal: controller.signal });
      setTimeout(() => controller.abort(new Error('enrich cancelled')), 50);
      await expect(pending).rejects.toThrow('enrich cancelled');
    });

    it('scrubs credentials that an error body echoes back', async () => {
      const legacyToken = 'echoed-Legacy-Token-42';
      const echo = await rawServer((req, res) => {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ message: `bad request with ${req.headers.authorization ?? ''}` }));
      });
      try {
        const error = await new UmbrellaClient({ baseUrl: echo.url, legacyToken })
          .categorization('cisco.com')
          .catch((e: unknown) => e);
        expect((error as ApiError).detail).toBe('bad request with Bearer [REDACTED]');
        expect(everythingShownBy(error)).not.toContain(legacyToken);
      } finally {
        await echo.close();
      }
    });

    it('throws a WireError when the categorization has no entry for the domain asked', async () => {
      const other = await rawServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ 'other.example': { status: 1, security_categories: [], content_categories: [] } }));
      });
      try {
        const client = new UmbrellaClient({ baseUrl: other.url, legacyToken: 't' });
        await expect(client.categorization('cisco.com')).rejects.toThrow(WireError);
      } finally {
        await other.close();
      }
    });
  });

  describe('configuration', () => {
    it('refuses both kinds of credentials, missing ones, and base URLs carrying credentials', () => {
      const both = { legacyToken: 't', apiKey: 'k', apiSecret: 's' } as unknown as { legacyToken: string };
      expect(() => new UmbrellaClient(both)).toThrow(TypeError);
      expect(() => new UmbrellaClient({ apiKey: '', apiSecret: 's' })).toThrow('apiKey is required');
      expect(() => new UmbrellaClient({ legacyToken: 't', baseUrl: 'https://u:p@investigate.example' })).toThrow(
        TypeError,
      );
      expect(() => new UmbrellaClient({ legacyToken: 't' }, globalThis.fetch, 0)).toThrow(TypeError);
    });
  });
});
