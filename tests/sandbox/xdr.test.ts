import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startXdrSimulator, type XdrSimulator } from '../../sandbox/xdr/index.js';
import { fixture, huge } from '../integrations/xdr/helpers.js';

const TOKEN = '/iroh/oauth2/token';
const IP = '203.0.113.7';

interface BadBody {
  name: string;
  entity: string;
  body: unknown;
  errorPath: string[];
  reason?: string;
}

const judgementBody = (value = IP, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  observable: { type: 'ip', value },
  source: 'sna-webex-bot',
  priority: 95,
  confidence: 'High',
  severity: 'High',
  ...extra,
});

describe('XDR simulator', () => {
  let sim: XdrSimulator;
  let token: string;

  beforeAll(async () => {
    sim = await startXdrSimulator();
  });
  beforeEach(async () => {
    sim.reset();
    token = await grant();
  });
  afterAll(() => sim.close());

  async function grant(clientId = sim.clientId, secret = sim.clientSecret): Promise<string> {
    const res = await tokenRequest(clientId, secret);
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  function tokenRequest(clientId: string, secret: string, body = 'grant_type=client_credentials'): Promise<Response> {
    return fetch(`${sim.url}${TOKEN}`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body,
    });
  }

  /** An authenticated API call with a JSON body. */
  function api(method: string, path: string, json?: unknown, bearer: string | null = token): Promise<Response> {
    const headers: Record<string, string> = {};
    if (bearer !== null) headers.Authorization = `Bearer ${bearer}`;
    if (json !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(`${sim.url}${path}`, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
  }

  async function create(entity: string, body: unknown): Promise<Record<string, unknown> & { id: string }> {
    const res = await api('POST', `/ctia/${entity}`, body);
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as Record<string, unknown> & { id: string };
  }

  const short = (longId: string): string => longId.split('/').pop() ?? '';
  const search = (entity: string, query: string, extra = ''): Promise<Response> =>
    api('GET', `/ctia/${entity}/search?query=${encodeURIComponent(query)}${extra}`);

  function control(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${sim.url}/_sim${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    });
  }

  /** An indicator, a feed on it, and `values` blocked on it; returns the feed. */
  async function feedWith(values: string[]): Promise<{ feed: Record<string, unknown>; indicatorId: string }> {
    const indicator = await create('indicator', { producer: 'sna-webex-bot', title: 'IPv4 feed' });
    const feed = await create('feed', { feed_type: 'indicator', title: 'IPv4 feed', indicator_id: indicator.id });
    for (const value of values) {
      const judgement = await create('judgement', judgementBody(value));
      await create('relationship', {
        relationship_type: 'element-of',
        source_ref: judgement.id,
        target_ref: indicator.id,
      });
    }
    return { feed, indicatorId: indicator.id };
  }

  describe('token endpoint', () => {
    it('grants a bearer token of the configured lifetime for the right Basic credentials', async () => {
      sim.setTokenTtl(120);
      const res = await tokenRequest(sim.clientId, sim.clientSecret);
      expect(await res.json()).toMatchObject({
        token_type: 'bearer',
        expires_in: 120,
        access_token: expect.any(String),
      });
    });

    it('answers 401 invalid_client to a wrong secret and 400 to another grant type', async () => {
      const wrong = await tokenRequest(sim.clientId, 'nope');
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
      const password = await tokenRequest(sim.clientId, sim.clientSecret, 'grant_type=password');
      expect(password.status).toBe(400);
    });

    it('answers 401 to API calls without a token, with an unknown one, and after expireTokens()', async () => {
      expect((await api('GET', '/ctia/judgement/search', undefined, null)).status).toBe(401);
      expect((await api('GET', '/ctia/judgement/search', undefined, 'forged')).status).toBe(401);
      expect((await api('GET', '/ctia/judgement/search')).status).toBe(200);
      expect(sim.expireTokens()).toBe(1);
      const expired = await api('GET', '/ctia/judgement/search');
      expect(expired.status).toBe(401);
      expect(await expired.json()).toMatchObject({ error: 'invalid_token' });
    });

    it('expires tokens by the simulator clock', async () => {
      let now = Date.parse('2024-06-18T10:00:00Z');
      const timed = await startXdrSimulator({ now: () => now, tokenTtlSeconds: 600 });
      try {
        const res = await fetch(`${timed.url}${TOKEN}`, {
          method: 'POST',
          headers: {
            Authorization: `Basic ${Buffer.from(`${timed.clientId}:${timed.clientSecret}`).toString('base64')}`,
          },
          body: 'grant_type=client_credentials',
        });
        const { access_token: bearer } = (await res.json()) as { access_token: string };
        const call = (): Promise<Response> =>
          fetch(`${timed.url}/ctia/feed/search`, { headers: { Authorization: `Bearer ${bearer}` } });
        now += 599_000;
        expect((await call()).status).toBe(200);
        now += 1_000;
        expect((await call()).status).toBe(401);
      } finally {
        await timed.close();
      }
    });
  });

  describe('CTIA entities', () => {
    it.each(fixture<BadBody[]>('ctia-bad-bodies.json'))(
      'answers 400 to $name',
      async ({ entity, body, errorPath, reason }) => {
        const res = await api('POST', `/ctia/${entity}`, body);
        expect(res.status).toBe(400);
        let node: unknown = await res.json();
        for (const key of errorPath) node = (node as Record<string, unknown>)[key];
        expect(node).toEqual(reason ?? expect.any(String));
        expect(sim.state().counts).toMatchObject({ judgements: 0, indicators: 0, feeds: 0, relationships: 0 });
      },
    );

    it('answers 400 to a judgement whose disposition and disposition_name disagree, with CTIM own message', async () => {
      const res = await api(
        'POST',
        '/ctia/judgement',
        judgementBody(IP, { disposition: 2, disposition_name: 'Clean' }),
      );
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ message: 'Mismatched disposition and dispositon_name' });
    });

    it('answers 400 to oversized source and reason, 400 to a body that is not JSON, and 413 past 1 MiB', async () => {
      const tooLongSource = await api(
        'POST',
        '/ctia/judgement',
        judgementBody(IP, { source: huge('judgementSource') }),
      );
      expect(tooLongSource.status).toBe(400);
      const tooLongReason = await api(
        'POST',
        '/ctia/judgement',
        judgementBody(IP, { reason: huge('judgementReason') }),
      );
      expect(tooLongReason.status).toBe(400);
      const notJson = await fetch(`${sim.url}/ctia/judgement`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: '{"observable":',
      });
      expect(notJson.status).toBe(400);
      const tooBig = await api('POST', '/ctia/judgement', judgementBody(IP, { reason: 'x'.repeat(1_100_000) }));
      expect(tooBig.status).toBe(413);
    });

    it('derives the disposition pair: neither given is 5/Unknown, a name alone gets its number', async () => {
      expect(await create('judgement', judgementBody())).toMatchObject({ disposition: 5, disposition_name: 'Unknown' });
      expect(await create('judgement', judgementBody(IP, { disposition_name: 'Suspicious' }))).toMatchObject({
        disposition: 3,
      });
      expect(await create('judgement', judgementBody(IP, { disposition: 2 }))).toMatchObject({
        disposition_name: 'Malicious',
      });
    });

    it('fills id, type, schema_version, owner, groups, times, default tlp and valid_time on create, with Location', async () => {
      const res = await api('POST', '/ctia/judgement', judgementBody());
      const stored = (await res.json()) as Record<string, unknown>;
      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toBe(stored.id);
      expect(stored.id).toMatch(new RegExp(`^${sim.url}/ctia/judgement/judgement-[0-9a-f-]{36}$`));
      expect(stored).toMatchObject({
        type: 'judgement',
        schema_version: expect.any(String),
        owner: sim.clientId,
        client_id: sim.clientId,
        groups: [expect.any(String)],
        tlp: 'green',
        created: expect.any(String),
        modified: expect.any(String),
        timestamp: expect.any(String),
        valid_time: { start_time: expect.any(String), end_time: '2525-01-01T00:00:00.000Z' },
      });
    });

    it('mints production-looking ids with :443 when given idBaseUrl', async () => {
      const cisco = await startXdrSimulator({ idBaseUrl: 'https://private.intel.amp.cisco.com:443' });
      try {
        const auth = Buffer.from(`${cisco.clientId}:${cisco.clientSecret}`).toString('base64');
        const granted = await fetch(`${cisco.url}${TOKEN}`, {
          method: 'POST',
          headers: { Authorization: `Basic ${auth}` },
          body: 'grant_type=client_credentials',
        });
        const { access_token: bearer } = (await granted.json()) as { access_token: string };
        const res = await fetch(`${cisco.url}/ctia/indicator`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ producer: 'x' }),
        });
        expect(((await res.json()) as { id: string }).id).toMatch(
          /^https:\/\/private\.intel\.amp\.cisco\.com:443\/ctia\/indicator\/indicator-/,
        );
      } finally {
        await cisco.close();
      }
    });

    it('reads by short id, deletes with 204, then answers 404', async () => {
      const judgement = await create('judgement', judgementBody());
      const path = `/ctia/judgement/${short(judgement.id)}`;
      expect(await (await api('GET', path)).json()).toEqual(judgement);
      expect((await api('DELETE', path)).status).toBe(204);
      expect((await api('GET', path)).status).toBe(404);
      expect((await api('DELETE', path)).status).toBe(404);
    });

    it('finds entities by external id, the id percent-encoded in the path', async () => {
      const tagged = await create('judgement', judgementBody(IP, { external_ids: ['sna-webex-bot/judgement 1'] }));
      await create('judgement', judgementBody('198.51.100.1', { external_ids: ['other'] }));
      const res = await api('GET', `/ctia/judgement/external_id/${encodeURIComponent('sna-webex-bot/judgement 1')}`);
      expect(((await res.json()) as { id: string }[]).map((j) => j.id)).toEqual([tagged.id]);
    });

    it('expires a judgement: reason required, end_time set to now, reason appended', async () => {
      const judgement = await create('judgement', judgementBody(IP, { reason: 'blocked' }));
      const path = `/ctia/judgement/${short(judgement.id)}/expire`;
      expect((await api('POST', path)).status).toBe(400);
      expect((await api('POST', `${path}?reason=`)).status).toBe(400);
      const res = await api('POST', `${path}?reason=${encodeURIComponent('false positive')}`);
      const expired = (await res.json()) as { valid_time: { end_time: string }; reason: string };
      expect(res.status).toBe(200);
      expect(Date.parse(expired.valid_time.end_time)).toBeLessThanOrEqual(Date.now());
      expect(expired.reason).toBe('blocked false positive');
      expect((await api('POST', `/ctia/judgement/judgement-nope/expire?reason=x`)).status).toBe(404);
    });

    it('creates and searches incidents and sightings', async () => {
      const incident = await create('incident', {
        confidence: 'High',
        status: 'New',
        incident_time: { opened: '2024-06-18T10:00:00.000Z' },
        title: 'SNA: High Total Traffic from 10.0.0.5',
      });
      await create('sighting', {
        confidence: 'High',
        count: 3,
        observed_time: { start_time: '2024-06-18T10:00:00.000Z' },
        observables: [{ type: 'ip', value: IP }],
        source: 'sna-webex-bot',
      });
      const incidents = (await (await search('incident', 'status:"New"')).json()) as { id: string }[];
      expect(incidents.map((i) => i.id)).toEqual([incident.id]);
      const sightings = (await (await search('sighting', `observables.value:"${IP}"`)).json()) as unknown[];
      expect(sightings).toHaveLength(1);
    });
  });

  describe('search subset', () => {
    beforeEach(async () => {
      for (const [value, source] of [
        [IP, 'sna-webex-bot'],
        ['198.51.100.1', 'sna-webex-bot'],
        ['192.0.2.1', 'someone else'],
      ] as const) {
        await create('judgement', judgementBody(value, { source, external_ids: [`xid-${value}`] }));
      }
    });

    const values = async (res: Response): Promise<string[]> =>
      ((await res.json()) as { observable: { value: string } }[]).map((j) => j.observable.value);

    it('matches quoted terms joined by AND on nested fields and on arrays', async () => {
      expect(await values(await search('judgement', `observable.value:"${IP}"`))).toEqual([IP]);
      expect(await values(await search('judgement', 'source:"sna-webex-bot" AND observable.type:ip'))).toEqual([
        IP,
        '198.51.100.1',
      ]);
      expect(await values(await search('judgement', 'external_ids:"xid-192.0.2.1"'))).toEqual(['192.0.2.1']);
      expect(await values(await search('judgement', 'source:"sna-webex-bot" AND source:"someone else"'))).toEqual([]);
    });

    it('pages with limit and offset and reports X-Total-Hits', async () => {
      const res = await search('judgement', '*', '&limit=1&offset=1');
      expect(res.headers.get('x-total-hits')).toBe('3');
      expect(await values(res)).toEqual(['198.51.100.1']);
      expect((await search('judgement', '*', '&limit=0')).status).toBe(400);
      expect(
        await (
          await api('GET', `/ctia/judgement/search/count?query=${encodeURIComponent('source:"someone else"')}`)
        ).json(),
      ).toBe(1);
    });

    it('treats an escaped injection attempt as one literal value, and refuses the raw one with 400', async () => {
      const escaped = 'observable.value:"203.0.113.7\\" OR *:*"';
      expect(await values(await search('judgement', escaped))).toEqual([]);
      for (const raw of [
        'observable.value:"203.0.113.7" OR *:*',
        'observable.value:203.0.113.*',
        '(source:"x")',
        'source:"open',
      ]) {
        expect((await search('judgement', raw)).status, raw).toBe(400);
      }
    });
  });

  describe('feed views', () => {
    it('lists the sorted, deduplicated values of element-of judgements valid now, anonymously', async () => {
      const { feed, indicatorId } = await feedWith(['198.51.100.9', IP, '198.51.100.9']);
      const outsider = await create('judgement', judgementBody('192.0.2.50'));
      await create('relationship', {
        relationship_type: 'related-to',
        source_ref: outsider.id,
        target_ref: indicatorId,
      });
      const future = await create(
        'judgement',
        judgementBody('192.0.2.60', { valid_time: { start_time: '2099-01-01T00:00:00Z' } }),
      );
      await create('relationship', { relationship_type: 'element-of', source_ref: future.id, target_ref: indicatorId });

      const res = await fetch(String(feed.feed_view_url));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toBe(`198.51.100.9\n${IP}`);
    });

    it('answers 401 to a wrong or missing secret and 404 to an unknown feed or one outside its lifetime', async () => {
      const { feed } = await feedWith([IP]);
      const url = String(feed.feed_view_url);
      const wrong = await fetch(url.replace(/s=.*$/, 's=wrong'));
      expect([wrong.status, await wrong.text()]).toEqual([401, 'wrong secret']);
      expect((await fetch(url.replace(/\?.*$/, ''))).status).toBe(401);
      const unknown = await fetch(url.replace(/feed-[0-9a-f-]+/, 'feed-00000000-0000-4000-8000-000000000000'));
      expect([unknown.status, await unknown.text()]).toEqual([404, 'feed not found']);

      const ended = await create('feed', {
        feed_type: 'indicator',
        indicator_id: String(feed.indicator_id),
        lifetime: { start_time: '2020-01-01T00:00:00Z', end_time: '2021-01-01T00:00:00Z' },
      });
      expect((await fetch(String(ended.feed_view_url))).status).toBe(404);
    });

    it('serves the JSON view: observables, or judgements for an output "judgements" feed', async () => {
      const { feed, indicatorId } = await feedWith([IP]);
      const json = await fetch(String(feed.feed_view_url).replace('/view.txt?', '/view?'));
      expect(await json.json()).toEqual({ observables: [{ type: 'ip', value: IP }] });
      const judgementsFeed = await create('feed', {
        feed_type: 'indicator',
        output: 'judgements',
        indicator_id: indicatorId,
      });
      expect(String(judgementsFeed.feed_view_url)).toMatch(/\/view\?s=/);
      const body = (await (await fetch(String(judgementsFeed.feed_view_url))).json()) as { judgements: unknown[] };
      expect(body.judgements).toEqual([expect.objectContaining({ observable: { type: 'ip', value: IP } })]);
    });
  });

  describe('bundle import', () => {
    it('creates with transient ids resolved, reports "exists" for known external ids, and "error" per bad entity', async () => {
      const indicator = await create('indicator', { producer: 'x' });
      const bundle = fixture<{ relationships: { target_ref: string }[]; judgements: unknown[] }>('bundle.json');
      const [relationship] = bundle.relationships;
      if (relationship) relationship.target_ref = indicator.id;
      bundle.judgements.push({ id: 'transient:bad', observable: { type: 'ip', value: IP } });

      const first = (await (await api('POST', '/ctia/bundle/import', bundle)).json()) as {
        results: { result: string; id?: string; original_id?: string }[];
      };
      expect(first.results.map((r) => [r.original_id, r.result])).toEqual([
        ['transient:judg-1', 'created'],
        ['transient:bad', 'error'],
        ['transient:rel-1', 'created'],
      ]);
      const stored = sim.state().relationships[0];
      expect(stored?.source_ref).toBe(first.results[0]?.id);

      const second = (await (await api('POST', '/ctia/bundle/import', bundle)).json()) as {
        results: { result: string }[];
      };
      expect(second.results.map((r) => r.result)).toEqual(['exists', 'error', 'exists']);
      expect(sim.state().counts).toMatchObject({ judgements: 1, relationships: 1 });
    });

    it('reports a relationship to an unknown transient id as an error, and refuses oversized bundles', async () => {
      const res = await api('POST', '/ctia/bundle/import', {
        type: 'bundle',
        source: 's',
        relationships: [
          { relationship_type: 'element-of', source_ref: 'transient:nowhere', target_ref: 'transient:nothing' },
        ],
      });
      expect(((await res.json()) as { results: { result: string }[] }).results[0]?.result).toBe('error');
      const small = await startXdrSimulator({ maxBundleEntities: 1 });
      try {
        const auth = Buffer.from(`${small.clientId}:${small.clientSecret}`).toString('base64');
        const granted = await fetch(`${small.url}${TOKEN}`, {
          method: 'POST',
          headers: { Authorization: `Basic ${auth}` },
          body: 'grant_type=client_credentials',
        });
        const { access_token: bearer } = (await granted.json()) as { access_token: string };
        const big = await fetch(`${small.url}/ctia/bundle/import`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ type: 'bundle', source: 's', judgements: [judgementBody(), judgementBody()] }),
        });
        expect([big.status, await big.json()]).toEqual([400, { error: 'Bundle max nb of entities: 1' }]);
      } finally {
        await small.close();
      }
    });
  });

  describe('IROH', () => {
    it('answers inspect without content with 400 {"content":"missing-required-key"}', async () => {
      const res = await api('POST', '/iroh/iroh-inspect/inspect', { text: 'x' });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ content: 'missing-required-key' });
    });

    it('extracts observables from text, reading defanged ones and skipping invalid addresses', async () => {
      const res = await api('POST', '/iroh/iroh-inspect/inspect', {
        content: 'hits from 10.0.0.300 and 198.51.100[.]23, 2001:db8::7 and bad[.]example[.]org at 10:30',
      });
      expect(await res.json()).toEqual([
        { type: 'ip', value: '198.51.100.23' },
        { type: 'ipv6', value: '2001:db8::7' },
        { type: 'domain', value: 'bad.example.org' },
      ]);
    });

    it('answers enrich bodies that are not observable arrays with 400', async () => {
      expect((await api('POST', '/iroh/iroh-enrich/observe/observables', { type: 'ip', value: IP })).status).toBe(400);
      expect((await api('POST', '/iroh/iroh-enrich/refer/observables', [{ type: 'ip' }])).status).toBe(400);
    });

    it('reports a failed module inside a 200 and answers again once it is restored', async () => {
      sim.failModule('Talos Intelligence', 'quota exhausted');
      const failed = (await (
        await api('POST', '/iroh/iroh-enrich/deliberate/observables', [{ type: 'ip', value: IP }])
      ).json()) as {
        data: { module: string }[];
        errors: { module: string; message: string }[];
      };
      expect(failed.data.map((d) => d.module)).not.toContain('Talos Intelligence');
      expect(failed.errors).toEqual([
        expect.objectContaining({ module: 'Talos Intelligence', message: 'quota exhausted' }),
      ]);

      sim.restoreModule('Talos Intelligence');
      const restored = (await (
        await api('POST', '/iroh/iroh-enrich/deliberate/observables', [{ type: 'ip', value: IP }])
      ).json()) as {
        data: { module: string }[];
        errors: unknown[];
      };
      expect(restored.data.map((d) => d.module)).toContain('Talos Intelligence');
      expect(restored.errors).toEqual([]);
    });
  });

  describe('faults, calls and the /_sim control surface', () => {
    it('sends the injected Retry-After verbatim, then answers normally', async () => {
      sim.rateLimitNext(1, '3172s', { pathPrefix: '/ctia/judgement' });
      const limited = await api('GET', '/ctia/judgement/search');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('3172s');
      expect((await api('GET', '/ctia/judgement/search')).status).toBe(200);
    });

    it('fails only calls matching method and path prefix, before any state changes', async () => {
      sim.failNext(1, 503, { method: 'POST', pathPrefix: '/ctia/judgement' });
      expect((await api('GET', '/ctia/judgement/search')).status).toBe(200);
      expect((await api('POST', '/ctia/judgement', judgementBody())).status).toBe(503);
      expect(sim.state().counts.judgements).toBe(0);
      expect((await api('POST', '/ctia/judgement', judgementBody())).status).toBe(201);
    });

    it('records calls with method, path, status and time, never a token or a feed secret', async () => {
      const { feed } = await feedWith([IP]);
      await fetch(String(feed.feed_view_url));
      const calls = sim.calls;
      expect(calls[0]).toEqual({ method: 'POST', path: TOKEN, status: 200, time: expect.any(String) });
      expect(calls.at(-1)?.path).toMatch(/\/view\.txt$/);
      const recorded = JSON.stringify(calls);
      expect(recorded).not.toContain(token);
      expect(recorded).not.toContain(String(feed.secret));
    });

    it('sends the org rate-limit headers on every API answer', async () => {
      const res = await api('GET', '/ctia/feed/search');
      expect(res.headers.get('x-ratelimit-org-limit')).toBe('8000');
      expect(Number(res.headers.get('x-ratelimit-org-remaining'))).toBe(8000 - 2);
    });

    it('mirrors the in-process controls over HTTP', async () => {
      expect(await (await control('GET', '/info')).json()).toMatchObject({
        irohUrl: sim.irohUrl,
        clientId: sim.clientId,
        modules: sim.modules,
      });
      expect(
        (await control('POST', '/verdicts', { observable: { type: 'ip', value: IP }, disposition: 2 })).status,
      ).toBe(204);
      expect((await control('POST', '/modules/fail', { module: 'AMP File Reputation', message: 'down' })).status).toBe(
        204,
      );
      expect((await control('POST', '/faults/rate-limit', { count: 1, retryAfter: 5 })).status).toBe(204);
      expect(
        (await control('POST', '/faults/fail', { count: 2, status: 500, match: { method: 'DELETE' } })).status,
      ).toBe(204);
      expect((await control('PUT', '/tokens/ttl', { seconds: 90 })).status).toBe(204);
      expect((await control('POST', '/latency', { ms: 1, match: { pathPrefix: '/iroh' } })).status).toBe(204);

      const state = (await (await control('GET', '/state')).json()) as Record<string, unknown>;
      expect(state).toMatchObject({
        verdicts: [expect.objectContaining({ module: 'Talos Intelligence', disposition: 2 })],
        failedModules: [{ module: 'AMP File Reputation', message: 'down' }],
        pendingFaults: [
          expect.objectContaining({ kind: 'rate-limit', remaining: 1 }),
          expect.objectContaining({ status: 500, remaining: 2 }),
        ],
        tokens: { issued: 1, valid: 1, ttlSeconds: 90 },
      });

      expect(await (await control('POST', '/tokens/expire')).json()).toEqual({ expired: 1 });
      expect((await control('DELETE', '/faults')).status).toBe(204);
      expect(sim.state().pendingFaults).toEqual([]);
      expect((await control('GET', '/calls')).status).toBe(200);
      expect((await control('DELETE', '/calls')).status).toBe(204);
      expect(sim.calls).toEqual([]);
    });

    it('reports counts and contents in /_sim/state and empties everything on reset', async () => {
      await feedWith([IP]);
      const state = (await (await control('GET', '/state')).json()) as {
        counts: Record<string, number>;
        judgements: unknown[];
      };
      expect(state.counts).toEqual({
        judgements: 1,
        indicators: 1,
        feeds: 1,
        relationships: 1,
        sightings: 0,
        incidents: 0,
      });
      expect(state.judgements).toHaveLength(1);
      expect((await control('POST', '/reset')).status).toBe(204);
      expect(sim.state().counts.judgements).toBe(0);
      expect(sim.state().tokens.issued).toBe(0);
    });

    it('answers 400 to bad control input and 404 to unknown control routes', async () => {
      expect((await control('POST', '/faults/fail', { count: 0, status: 500 })).status).toBe(400);
      expect(
        (await control('POST', '/verdicts', { observable: { type: 'ip', value: IP }, disposition: 9 })).status,
      ).toBe(400);
      expect((await control('POST', '/modules/fail', { module: 'Nope', message: 'x' })).status).toBe(400);
      expect((await control('GET', '/nothing')).status).toBe(404);
      expect(() => sim.failNext(1, 200)).toThrow();
      expect(() => sim.setVerdict({ type: 'ip', value: IP }, { disposition: 2, module: 'Nope' })).toThrow();
    });
  });
});
