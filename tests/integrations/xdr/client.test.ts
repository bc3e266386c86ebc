import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../../../integrations/http.js';
import {
  addJudgementToIndicator,
  type CtimBundle,
  findOrCreateIndicatorFeed,
  type IndicatorFeedSpec,
  lucene,
  type NewJudgement,
  XdrAuthError,
  XdrClient,
  type XdrClientOptions,
} from '../../../integrations/xdr/index.js';
import { startXdrSimulator, type XdrSimulator } from '../../../sandbox/xdr/index.js';
import { everythingShownBy, fixture, huge, manualClock, recordingFetch } from './helpers.js';

const TOKEN = '/iroh/oauth2/token';
const IP = '203.0.113.7';

const FEED_SPEC: IndicatorFeedSpec = {
  title: 'SNA_Bot_Private_Feed_IPv4',
  indicator: { producer: 'sna-webex-bot', indicator_type: ['IP Watchlist'], severity: 'Info', tlp: 'amber' },
  feed: { tlp: 'amber' },
};

function blockJudgement(value: string = IP): NewJudgement {
  return {
    observable: { type: 'ip', value },
    disposition: 2,
    disposition_name: 'Malicious',
    source: 'sna-webex-bot',
    priority: 95,
    confidence: 'High',
    severity: 'High',
    tlp: 'amber',
    reason: 'High Total Traffic (SNA event 16) confirmed by analyst',
  };
}

describe('XdrClient against the XDR simulator', () => {
  let sim: XdrSimulator;

  function client(overrides: Partial<XdrClientOptions> = {}): XdrClient {
    return new XdrClient({
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
      apiUrl: sim.irohUrl,
      privateIntelUrl: sim.privateIntelUrl,
      ...overrides,
    });
  }

  const tokenFetches = (): number => sim.calls.filter((c) => c.path === TOKEN).length;
  /** Recorded calls as `METHOD path status`, uuids folded so sequences are comparable. */
  const callLog = (): string[] =>
    sim.calls.map((c) => `${c.method} ${c.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<uuid>')} ${c.status}`);

  beforeAll(async () => {
    sim = await startXdrSimulator();
  });
  beforeEach(() => sim.reset());
  afterAll(() => sim.close());

  describe('token', () => {
    it('asks for a token with Basic client credentials and a client_credentials form, then sends it as Bearer to IROH and CTIA', async () => {
      const { fetch, sent } = recordingFetch();
      const xdr = client({ fetch });
      await xdr.inspect(`seen ${IP}`);
      await xdr.searchJudgements(lucene({ 'observable.value': IP }));

      const [grant, ...calls] = sent;
      expect(grant?.method).toBe('POST');
      expect(grant?.url.pathname).toBe(TOKEN);
      expect(grant?.headers.get('authorization')).toBe(
        `Basic ${Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString('base64')}`,
      );
      expect(grant?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
      expect(grant?.body).toBe('grant_type=client_credentials');
      expect(calls.map((c) => c.url.pathname)).toEqual(['/iroh/iroh-inspect/inspect', '/ctia/judgement/search']);
      for (const call of calls) expect(call.headers.get('authorization')).toMatch(/^Bearer sim\.[\w-]+$/);
      for (const call of sent) expect(call.url.search).not.toContain(sim.clientSecret);
    });

    it('reuses the cached token until 60 s before expires_in, then fetches a new one', async () => {
      const clock = manualClock();
      const xdr = client({ now: clock.now });
      await xdr.searchIndicators(lucene({ title: 'x' }));
      clock.advance(539);
      await xdr.searchIndicators(lucene({ title: 'x' }));
      expect(tokenFetches()).toBe(1);

      clock.advance(2);
      await xdr.searchIndicators(lucene({ title: 'x' }));
      expect(tokenFetches()).toBe(2);
      expect(xdr.stats().tokenFetches).toBe(2);
    });

    it('refreshes at half-life when the server grants tokens shorter than two minutes', async () => {
      sim.setTokenTtl(60);
      const clock = manualClock();
      const xdr = client({ now: clock.now });
      await xdr.searchFeeds(lucene({ title: 'x' }));
      clock.advance(29);
      await xdr.searchFeeds(lucene({ title: 'x' }));
      clock.advance(2);
      await xdr.searchFeeds(lucene({ title: 'x' }));
      expect(tokenFetches()).toBe(2);
    });

    it('sends exactly one token request for concurrent first calls', async () => {
      const xdr = client();
      await Promise.all([
        xdr.searchIndicators(lucene({ title: 'a' })),
        xdr.searchFeeds(lucene({ title: 'b' })),
        xdr.searchJudgements(lucene({ 'observable.value': IP })),
        xdr.inspect(IP),
        xdr.deliberate([{ type: 'ip', value: IP }]),
      ]);
      expect(tokenFetches()).toBe(1);
      expect(xdr.stats().tokenFetches).toBe(1);
    });

    it('fetches a new token once and replays the call when the token was expired', async () => {
      const xdr = client();
      await xdr.searchIndicators(lucene({ title: 'x' }));
      expect(sim.expireTokens()).toBe(1);
      sim.clearCalls();

      const created = await xdr.createIndicator({ producer: 'sna-webex-bot', title: 'after expiry' });

      expect(created.title).toBe('after expiry');
      expect(callLog()).toEqual(['POST /ctia/indicator 401', `POST ${TOKEN} 200`, 'POST /ctia/indicator 201']);
      expect(sim.state().counts.indicators).toBe(1);
    });

    it('shares one renewal between concurrent calls that all met the expired token', async () => {
      const xdr = client();
      await xdr.searchIndicators(lucene({ title: 'x' }));
      sim.expireTokens();
      await Promise.all([1, 2, 3].map((n) => xdr.searchIndicators(lucene({ title: `t${n}` }))));
      expect(tokenFetches()).toBe(2);
    });

    it('replays only once: a second 401 is thrown as ApiError(401)', async () => {
      const xdr = client();
      sim.failNext(2, 401, { pathPrefix: '/ctia/judgement' });
      const error = await xdr.searchJudgements(lucene({ 'observable.value': IP })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(401);
      expect(callLog()).toEqual([
        `POST ${TOKEN} 200`,
        'GET /ctia/judgement/search 401',
        `POST ${TOKEN} 200`,
        'GET /ctia/judgement/search 401',
      ]);
    });

    it('throws XdrAuthError naming the client id, but never the secret, when the credentials are refused', async () => {
      const secret = 'Wr0ng-But-Still-Very-Secret!';
      const xdr = client({ clientSecret: secret });
      const error = await xdr.inspect(IP).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(XdrAuthError);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as XdrAuthError).status).toBe(401);
      expect((error as XdrAuthError).transient).toBe(false);
      expect((error as Error).message).toContain(sim.clientId);
      const shown = everythingShownBy(error);
      expect(shown).not.toContain(secret);
      expect(shown).not.toContain(Buffer.from(`${sim.clientId}:${secret}`).toString('base64'));
    });
  });

  describe('rate limits and failures', () => {
    it('waits out a 429 with a short Retry-After, then retries once and succeeds', async () => {
      const waits: number[] = [];
      const xdr = client({ sleep: (ms) => (waits.push(ms), Promise.resolve()) });
      await xdr.searchIndicators(lucene({ title: 'warm-up' }));
      sim.clearCalls();
      sim.rateLimitNext(1, 7, { method: 'POST', pathPrefix: '/ctia/judgement' });

      const judgement = await xdr.createJudgement(blockJudgement());

      expect(judgement.observable).toEqual({ type: 'ip', value: IP });
      expect(waits).toEqual([7000]);
      expect(callLog()).toEqual(['POST /ctia/judgement 429', 'POST /ctia/judgement 201']);
      expect(xdr.stats().requests['429']).toBe(1);
    });

    it('reads Retry-After "3172s" and throws ApiError(429) with retryAfterSeconds instead of waiting that long', async () => {
      const waits: number[] = [];
      const xdr = client({ sleep: (ms) => (waits.push(ms), Promise.resolve()) });
      sim.rateLimitNext(1, '3172s', { pathPrefix: '/iroh/iroh-enrich' });

      const error = await xdr.deliberate([{ type: 'ip', value: IP }]).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 429, retryAfterSeconds: 3172, transient: true });
      expect(waits).toEqual([]);
      expect(sim.calls.filter((c) => c.path.startsWith('/iroh/iroh-enrich'))).toHaveLength(1);
    });

    it('honours maxRetryAfterSeconds and an HTTP-date Retry-After', async () => {
      const waits: number[] = [];
      const xdr = client({ maxRetryAfterSeconds: 120, sleep: (ms) => (waits.push(ms), Promise.resolve()) });
      sim.rateLimitNext(1, '100s', { pathPrefix: '/ctia/feed' });
      await xdr.searchFeeds(lucene({ title: 'x' }));
      const inTenSeconds = new Date(Math.ceil(Date.now() / 1000) * 1000 + 10_000).toUTCString();
      sim.rateLimitNext(1, inTenSeconds, { pathPrefix: '/ctia/feed' });
      await xdr.searchFeeds(lucene({ title: 'x' }));
      expect(waits[0]).toBe(100_000);
      expect(waits[1]).toBeGreaterThan(8_000);
      expect(waits[1]).toBeLessThanOrEqual(11_000);
    });

    it('does not retry a second 429 in a row', async () => {
      const waits: number[] = [];
      const xdr = client({ sleep: (ms) => (waits.push(ms), Promise.resolve()) });
      sim.rateLimitNext(2, 1, { pathPrefix: '/ctia/indicator' });
      const error = await xdr.searchIndicators(lucene({ title: 'x' })).catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 429, retryAfterSeconds: 1 });
      expect(waits).toEqual([1000]);
    });

    it('throws a 5xx on a write as a transient ApiError without retrying it', async () => {
      const xdr = client();
      sim.failNext(1, 503, { method: 'POST', pathPrefix: '/ctia/judgement' });
      const error = await xdr.createJudgement(blockJudgement()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 503, transient: true });
      expect(sim.calls.filter((c) => c.path === '/ctia/judgement')).toHaveLength(1);
      expect(sim.state().counts.judgements).toBe(0);
    });

    it('times out CTIA calls after timeoutMs but gives enrich calls enrichTimeoutMs', async () => {
      const xdr = client({ timeoutMs: 150, enrichTimeoutMs: 5_000 });
      await xdr.inspect(IP);
      sim.setLatency(400, { pathPrefix: '/iroh/iroh-enrich' });
      sim.setLatency(400, { pathPrefix: '/ctia/' });

      await expect(xdr.observe([{ type: 'ip', value: IP }])).resolves.toMatchObject({ errors: [] });
      const error = await xdr.searchIndicators(lucene({ title: 'x' })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).timedOut).toBe(true);
    });

    it('counts answers by status and keeps the last org rate-limit headers', async () => {
      const xdr = client();
      await xdr.searchIndicators(lucene({ title: 'x' }));
      await xdr.createIndicator({ producer: 'sna-webex-bot' });
      sim.failNext(1, 500, { pathPrefix: '/ctia/feed' });
      await xdr.searchFeeds(lucene({ title: 'x' })).catch(() => undefined);

      expect(xdr.stats()).toEqual({
        tokenFetches: 1,
        requests: { '200': 2, '201': 1, '500': 1 },
        lastRateLimit: { limit: 8000, remaining: 8000 - 4 },
      });
    });
  });

  describe('blocking an observable through a private feed', () => {
    it('finds or creates the indicator and feed, links a judgement element-of it so view.txt lists the IP, and expiring it drops the IP', async () => {
      const xdr = client();
      const { indicator, feed } = await findOrCreateIndicatorFeed(xdr, FEED_SPEC);
      expect(indicator).toMatchObject({ title: FEED_SPEC.title, producer: 'sna-webex-bot', tlp: 'amber' });
      expect(feed).toMatchObject({ title: FEED_SPEC.title, indicator_id: indicator.id, feed_type: 'indicator' });
      expect(feed.secret).toMatch(/^[0-9a-f-]{36}$/);
      const viewUrl = String(feed.feed_view_url);
      expect(viewUrl).toMatch(/\/ctia\/feed\/feed-[0-9a-f-]{36}\/view\.txt\?s=[0-9a-f-]{36}$/);

      const again = await findOrCreateIndicatorFeed(xdr, FEED_SPEC);
      expect([again.indicator.id, again.feed.id]).toEqual([indicator.id, feed.id]);
      expect(await xdr.fetchFeedView(viewUrl)).toEqual([]);

      const { judgement, relationship } = await addJudgementToIndicator(xdr, blockJudgement(), indicator.id);
      expect(judgement).toMatchObject({ disposition: 2, disposition_name: 'Malicious', priority: 95 });
      expect(relationship).toMatchObject({
        relationship_type: 'element-of',
        source_ref: judgement.id,
        target_ref: indicator.id,
        source: 'sna-webex-bot',
        tlp: 'amber',
      });
      expect(await xdr.fetchFeedView(viewUrl)).toEqual([IP]);

      const expired = await xdr.expireJudgement(judgement.id, 'unblocked by alice@example.com');
      expect(Date.parse(expired.valid_time.end_time ?? '')).toBeLessThanOrEqual(Date.now());
      expect(expired.reason).toContain('unblocked by alice@example.com');
      expect(await xdr.fetchFeedView(viewUrl)).toEqual([]);

      // A straggling request of an earlier test (its token revoked by the reset) may land here
      // under load and be refused; this test's own calls are the ones that succeeded.
      expect(callLog().filter((line) => !line.endsWith(' 401'))).toEqual([
        `POST ${TOKEN} 200`,
        'GET /ctia/indicator/search 200',
        'POST /ctia/indicator 201',
        'GET /ctia/feed/search 200',
        'POST /ctia/feed 201',
        'GET /ctia/indicator/search 200',
        'GET /ctia/feed/search 200',
        'GET /ctia/feed/feed-<uuid>/view.txt 200',
        'POST /ctia/judgement 201',
        'POST /ctia/relationship 201',
        'GET /ctia/feed/feed-<uuid>/view.txt 200',
        'POST /ctia/judgement/judgement-<uuid>/expire 200',
        'GET /ctia/feed/feed-<uuid>/view.txt 200',
      ]);
      expect(sim.state().counts).toMatchObject({ indicators: 1, feeds: 1, judgements: 1, relationships: 1 });
    });

    it('reads the judgement back by long id and finds it by external id and by relationship', async () => {
      const xdr = client();
      const { indicator } = await findOrCreateIndicatorFeed(xdr, FEED_SPEC);
      const { judgement } = await addJudgementToIndicator(
        xdr,
        { ...blockJudgement(), external_ids: ['sna-webex-bot-judgement-4b1d'] },
        indicator.id,
      );

      expect((await xdr.getJudgement(judgement.id)).id).toBe(judgement.id);
      expect((await xdr.byExternalId('judgement', 'sna-webex-bot-judgement-4b1d')).map((j) => j.id)).toEqual([
        judgement.id,
      ]);
      const links = await xdr.searchRelationships(
        lucene({ source_ref: judgement.id, relationship_type: 'element-of' }),
        10,
      );
      expect(links.map((l) => l.target_ref)).toEqual([indicator.id]);
      expect(sim.calls.some((c) => c.path.toLowerCase().includes('http'))).toBe(false);
    });

    it('finds hostile observable values literally: a quoting break-out matches its own judgement and nothing else', async () => {
      const xdr = client();
      const hostile = fixture<{ value: string }[]>('hostile-search-values.json').map((h) => h.value);
      await xdr.importBundle({
        type: 'bundle',
        source: 'sna-webex-bot',
        judgements: [IP, ...hostile].map((value) => blockJudgement(value)),
      });
      for (const value of hostile) {
        const hits = await xdr.searchJudgements(lucene({ 'observable.value': value }), 100);
        expect(hits.map((j) => j.observable.value)).toEqual([value]);
      }
      expect(() => lucene({ 'observable.value': huge('luceneValue') })).toThrow(RangeError);
    });

    it('refuses a feed view URL that is not a view.txt URL on the private-intel host, before sending anything', async () => {
      const { fetch, sent } = recordingFetch();
      const xdr = client({ fetch });
      const bad = [
        'https://evil.example.com/ctia/feed/feed-1/view.txt?s=x',
        `${sim.privateIntelUrl}/ctia/feed/feed-1/view.txt`,
        `${sim.privateIntelUrl}/ctia/judgement/judgement-1?s=x`,
        `${sim.privateIntelUrl}/ctia/feed/feed-1/../../judgement/view.txt?s=x`,
        'not a url',
      ];
      for (const url of bad) await expect(xdr.fetchFeedView(url)).rejects.toThrow(TypeError);
      expect(sent).toHaveLength(0);
    });

    it('answers a wrong feed secret with ApiError(401) that never shows the secret', async () => {
      const xdr = client();
      const { feed } = await findOrCreateIndicatorFeed(xdr, FEED_SPEC);
      const wrong = 'f00dbabe-wrong-secret-0000';
      const url = String(feed.feed_view_url).replace(/s=.*$/, `s=${wrong}`);
      const error = await xdr.fetchFeedView(url).catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 401 });
      expect(everythingShownBy(error)).not.toContain(wrong);
      expect(everythingShownBy(error)).not.toContain(String(feed.secret));
    });
  });

  describe('bundle import', () => {
    it('resolves transient ids on the first import and reports the same ids as "exists" on the second', async () => {
      const xdr = client();
      const { indicator, feed } = await findOrCreateIndicatorFeed(xdr, FEED_SPEC);
      const bundle = fixture<CtimBundle>('bundle.json');
      const [link] = bundle.relationships ?? [];
      if (link) link.target_ref = indicator.id;

      const first = await xdr.importBundle(bundle);
      expect(first.map((r) => [r.type, r.result, r.original_id])).toEqual([
        ['judgement', 'created', 'transient:judg-1'],
        ['relationship', 'created', 'transient:rel-1'],
      ]);
      const [judgementResult, relationshipResult] = first;
      const relationship = await xdr.getEntity('relationship', String(relationshipResult?.id));
      expect(relationship.source_ref).toBe(judgementResult?.id);
      expect(await xdr.fetchFeedView(String(feed.feed_view_url))).toEqual([IP]);

      const second = await xdr.importBundle(bundle);
      expect(second.map((r) => [r.result, r.id])).toEqual([
        ['exists', judgementResult?.id],
        ['exists', relationshipResult?.id],
      ]);
      expect(sim.state().counts).toMatchObject({ judgements: 1, relationships: 1 });
    });

    it('dedupes only on external ids with the given prefixes', async () => {
      const xdr = client();
      const judgement = (externalIds: string[]): CtimBundle => ({
        type: 'bundle',
        source: 'sna-webex-bot',
        judgements: [{ ...blockJudgement(), external_ids: externalIds }],
      });
      await xdr.importBundle(judgement(['other-tool-77', 'sna-webex-bot-judgement-4b1d']));

      const prefixes = { externalKeyPrefixes: ['sna-webex-bot-'] };
      const [again] = await xdr.importBundle(judgement(['sna-webex-bot-judgement-4b1d']), prefixes);
      const [foreign] = await xdr.importBundle(judgement(['other-tool-77']), prefixes);

      expect(again?.result).toBe('exists');
      expect(foreign?.result).toBe('created');
      expect(sim.calls.at(-1)?.path).toBe('/ctia/bundle/import');
    });

    it('returns per-entity errors inside the 200 instead of throwing', async () => {
      const xdr = client();
      const results = await xdr.importBundle({
        type: 'bundle',
        source: 'sna-webex-bot',
        judgements: [blockJudgement(), { ...blockJudgement('198.51.100.1'), priority: 250 }],
      });
      expect(results.map((r) => r.result)).toEqual(['created', 'error']);
      expect(results[1]?.error).toMatch(
        /^compojure\.api\.exception\/request-validation: \{"errors":\{"priority":"[^"]+"\}\}$/,
      );
    });
  });

  describe('IROH inspect and enrich', () => {
    it('inspect returns the observables found in free text', async () => {
      const observables = await client().inspect(
        `Block ${IP} and evil[.]example[.]com, see hxxps://evil.example.com/dl?id=1 and ` +
          'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 from mallory@evil.example.com',
      );
      expect(observables).toEqual([
        { type: 'ip', value: IP },
        { type: 'domain', value: 'evil.example.com' },
        { type: 'url', value: 'https://evil.example.com/dl?id=1' },
        { type: 'sha256', value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
        { type: 'email', value: 'mallory@evil.example.com' },
      ]);
    });

    it('deliberate returns each module verdict with its module ids, Unknown by default', async () => {
      sim.setVerdict({ type: 'domain', value: 'evil.example.com' }, { disposition: 2, reason: 'C2 domain' });
      const result = await client().deliberate([
        { type: 'domain', value: 'evil.example.com' },
        { type: 'ip', value: '192.0.2.10' },
      ]);
      expect(result.errors).toEqual([]);
      const talos = result.data.find((m) => m.module === 'Talos Intelligence');
      expect(talos).toMatchObject({ module_instance_id: expect.any(String), module_type_id: expect.any(String) });
      expect(talos?.data.verdicts?.docs.map((v) => [v.observable.value, v.disposition, v.disposition_name])).toEqual([
        ['evil.example.com', 2, 'Malicious'],
        ['192.0.2.10', 5, 'Unknown'],
      ]);
    });

    it('observe returns judgements and sightings, and a failing module as an errors[] entry inside the 200', async () => {
      const hash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
      sim.setVerdict({ type: 'ip', value: IP }, { disposition: 2 });
      sim.failModule('AMP File Reputation', 'upstream timed out');

      const result = await client().observe([
        { type: 'ip', value: IP },
        { type: 'sha256', value: hash },
      ]);

      expect(result.data.map((m) => m.module)).toEqual(['Talos Intelligence', 'Secure Endpoint']);
      const talos = result.data[0]?.data;
      expect(talos?.judgements?.docs[0]).toMatchObject({ observable: { type: 'ip', value: IP }, disposition: 2 });
      expect(talos?.verdicts?.docs[0]?.judgement_id).toBe(talos?.judgements?.docs[0]?.id);
      const sightings = result.data[1]?.data.sightings?.docs ?? [];
      expect(sightings.length).toBeGreaterThanOrEqual(1);
      expect(sightings[0]?.targets?.[0]?.observables?.[0]?.type).toBe('hostname');
      expect(result.errors).toEqual([
        expect.objectContaining({ module: 'AMP File Reputation', message: 'upstream timed out', type: 'fatal' }),
      ]);
    });

    it('deliberate shows the judgements this client created, through Private Intelligence', async () => {
      const xdr = client();
      const judgement = await xdr.createJudgement(blockJudgement());
      const result = await xdr.deliberate([{ type: 'ip', value: IP }]);
      const privateIntel = result.data.find((m) => m.module === 'Private Intelligence');
      expect(privateIntel?.data.verdicts?.docs).toEqual([
        expect.objectContaining({ disposition: 2, judgement_id: judgement.id }),
      ]);
    });

    it('refer returns a couple of http(s) pivot links per observable', async () => {
      const { data, errors } = await client().refer([{ type: 'domain', value: 'evil.example.com' }]);
      expect(errors).toEqual([]);
      expect(data.length).toBeGreaterThanOrEqual(2);
      for (const ref of data) {
        expect(ref.url).toMatch(/^https:\/\//);
        expect(ref.module_instance_id).toEqual(expect.any(String));
      }
    });

    it('refuses unknown observable types and empty values before sending anything', async () => {
      const { fetch, sent } = recordingFetch();
      const xdr = client({ fetch });
      const unknownType = [{ type: 'ipv4', value: IP }] as unknown as Parameters<XdrClient['observe']>[0];
      await expect(xdr.observe(unknownType)).rejects.toThrow(TypeError);
      await expect(xdr.refer([{ type: 'ip', value: ' ' }])).rejects.toThrow(TypeError);
      await expect(xdr.inspect('')).rejects.toThrow(TypeError);
      expect(sent).toHaveLength(0);
      expect(await xdr.deliberate([])).toEqual({ data: [], errors: [] });
    });
  });
});
