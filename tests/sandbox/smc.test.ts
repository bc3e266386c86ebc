import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SmcSimulator, startSmcSimulator } from '../../sandbox/smc/index.js';

const LOGIN = '/token/v2/authenticate';
const QUERIES = '/sw-reporting/v1/tenants/102/security-events/queries';
const TAGS = '/smc-configuration/rest/v1/tenants/102/tags';
const validQuery = { timeRange: { from: '2021-02-04T13:00:00Z', to: '2021-02-04T14:00:00Z' } };

interface Session {
  cookie: string;
  xsrf: string;
}

describe('SMC simulator', () => {
  let sim: SmcSimulator;

  beforeAll(async () => {
    sim = await startSmcSimulator({ pollsUntilComplete: 1 });
  });
  beforeEach(() => sim.reset());
  afterAll(() => sim.close());

  function request(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${sim.url}${path}`, init);
  }

  async function login(): Promise<Session> {
    const res = await request(LOGIN, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: sim.username, password: sim.password }).toString(),
    });
    expect(res.status).toBe(200);
    const pairs = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
    const xsrf = pairs.find((p) => p.startsWith('XSRF-TOKEN='))?.slice('XSRF-TOKEN='.length) ?? '';
    return { cookie: pairs.join('; '), xsrf };
  }

  /** An authenticated call; JSON bodies get the XSRF header unless told otherwise. */
  function call(
    session: Session,
    path: string,
    init: RequestInit & { json?: unknown; xsrf?: string | null } = {},
  ): Promise<Response> {
    const { json, xsrf, ...rest } = init;
    const headers = new Headers(rest.headers);
    headers.set('Cookie', session.cookie);
    if (xsrf !== null) headers.set('X-XSRF-TOKEN', xsrf ?? session.xsrf);
    if (json !== undefined) headers.set('Content-Type', 'application/json');
    return request(path, { ...rest, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
  }

  async function control(method: string, path: string, body?: unknown): Promise<Response> {
    return request(`/_sim${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    });
  }

  describe('session', () => {
    it('sets an HttpOnly stealthwatch.jwt cookie and an XSRF-TOKEN cookie on login', async () => {
      const res = await request(LOGIN, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'username=admin&password=sim-password',
      });
      const cookies = res.headers.getSetCookie();
      expect(cookies).toHaveLength(2);
      expect(cookies[0]).toMatch(/^stealthwatch\.jwt=[0-9a-f]{48}; Path=\/; HttpOnly$/);
      expect(cookies[1]).toMatch(/^XSRF-TOKEN=[0-9a-f-]{36}; Path=\/$/);
    });

    it('refuses bad credentials, and JSON credentials, with 401 and no cookie', async () => {
      const wrong = await request(LOGIN, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'username=admin&password=nope',
      });
      const json = await request(LOGIN, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'sim-password' }),
      });
      expect([wrong.status, json.status]).toEqual([401, 401]);
      expect(wrong.headers.getSetCookie()).toEqual([]);
      expect(await wrong.text()).not.toContain('nope');
    });

    it('answers 401 to an API call without a valid session cookie', async () => {
      const res = await request('/sw-reporting/v1/tenants/', { headers: { Cookie: 'stealthwatch.jwt=forged' } });
      expect(res.status).toBe(401);
    });

    it('answers 403 to a POST whose X-XSRF-TOKEN header is missing or wrong, and 200 when it matches', async () => {
      const session = await login();
      const missing = await call(session, QUERIES, { method: 'POST', json: validQuery, xsrf: null });
      const wrong = await call(session, QUERIES, { method: 'POST', json: validQuery, xsrf: 'not-the-token' });
      const right = await call(session, QUERIES, { method: 'POST', json: validQuery });
      expect([missing.status, wrong.status, right.status]).toEqual([403, 403, 200]);
    });

    it('ends the session on DELETE /token and expires both cookies', async () => {
      const session = await login();
      const res = await call(session, '/token', { method: 'DELETE' });
      expect(res.status).toBe(204);
      expect(res.headers.getSetCookie().every((c) => c.includes('Max-Age=0'))).toBe(true);
      expect((await call(session, '/sw-reporting/v1/tenants/')).status).toBe(401);
    });

    it('answers GETs without an X-XSRF-TOKEN header: Cisco documents it for non-GET requests only', async () => {
      const session = await login();
      expect((await call(session, '/sw-reporting/v1/tenants/', { xsrf: null })).status).toBe(200);
    });

    it('ends a session 20 minutes after its login (tokenTtlInSeconds: 1200), not before', async () => {
      let clock = Date.parse('2026-11-23T10:00:00Z');
      const timed = await startSmcSimulator({ now: () => clock });
      try {
        const res = await fetch(`${timed.url}${LOGIN}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ username: timed.username, password: timed.password }).toString(),
        });
        const cookie = res.headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .join('; ');
        const tenants = () => fetch(`${timed.url}/sw-reporting/v1/tenants/`, { headers: { Cookie: cookie } });
        clock += 1199_000;
        expect((await tenants()).status).toBe(200);
        clock += 1000;
        expect((await tenants()).status).toBe(401);
      } finally {
        await timed.close();
      }
    });

    it('answers 401 after expireSessions, until the next login', async () => {
      const session = await login();
      sim.expireSessions();
      expect((await call(session, '/sw-reporting/v1/tenants/')).status).toBe(401);
      expect((await call(await login(), '/sw-reporting/v1/tenants/')).status).toBe(200);
    });
  });

  describe('tenants', () => {
    it('answers 406 to Accept: application/json on the tenants list, and JSON without it', async () => {
      const session = await login();
      const strict = await call(session, '/sw-reporting/v1/tenants/', { headers: { Accept: 'application/json' } });
      const lenient = await call(session, '/sw-reporting/v1/tenants/');
      const plain = await call(session, '/sw-reporting/v1/tenants', { headers: { Accept: 'text/plain' } });

      expect(strict.status).toBe(406);
      expect(await lenient.json()).toEqual({ data: [{ id: 102, displayName: 'Sim Corp' }] });
      expect(plain.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(JSON.parse(await plain.text())).toEqual({ data: [{ id: 102, displayName: 'Sim Corp' }] });
    });

    it('accepts Accept: application/json on the tenants list when the quirk is off', async () => {
      const plainSim = await startSmcSimulator({ acceptQuirk406: false });
      try {
        const res = await fetch(`${plainSim.url}${LOGIN}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: 'username=admin&password=sim-password',
        });
        const cookie = res.headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .join('; ');
        const tenants = await fetch(`${plainSim.url}/sw-reporting/v1/tenants/`, {
          headers: { Cookie: cookie, Accept: 'application/json' },
        });
        expect(tenants.status).toBe(200);
      } finally {
        await plainSim.close();
      }
    });
  });

  describe('templates', () => {
    it('lists the known event types by their documented ids', async () => {
      const res = await call(await login(), '/sw-reporting/v1/tenants/102/security-events/templates');
      const { data } = (await res.json()) as { data: { id: number; name: string }[] };
      expect(data).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: 16, name: 'High Total Traffic' }),
          expect.objectContaining({ id: 30, name: 'High Traffic' }),
          expect.objectContaining({ id: 310, name: 'Flow_Denied' }),
          expect.objectContaining({ id: 262, name: 'Reset/tcp' }),
        ]),
      );
    });

    it('answers 404 for a tenant it does not have', async () => {
      const res = await call(await login(), '/sw-reporting/v1/tenants/999/security-events/templates');
      expect(res.status).toBe(404);
    });
  });

  describe('security-event queries', () => {
    it.each([
      ['an unknown key', { ...validQuery, startTime: '2021-02-04T13:00:00Z' }],
      ['a limit', { ...validQuery, limit: 10 }],
      ['no timeRange', { securityEventTypeIds: [16] }],
      ['milliseconds in the range', { timeRange: { from: '2021-02-04T13:00:00.000Z', to: '2021-02-04T14:00:00Z' } }],
      ['type ids that are not numbers', { ...validQuery, securityEventTypeIds: ['16'] }],
    ])('answers 400 BAD_REQUEST_UNMARSHALING_FAILED to a body with %s', async (_case, body) => {
      const res = await call(await login(), QUERIES, { method: 'POST', json: body });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ errorCode: 'BAD_REQUEST_UNMARSHALING_FAILED' });
    });

    it('answers 400 BAD_REQUEST_UNMARSHALING_FAILED to a body that is not JSON', async () => {
      const session = await login();
      const res = await call(session, QUERIES, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"timeRange":',
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ errorCode: 'BAD_REQUEST_UNMARSHALING_FAILED' });
    });

    it('starts a job with 200, reports IN_PROGRESS for pollsUntilComplete polls, then COMPLETED with results', async () => {
      const session = await login();
      const record = sim.addEvent({ typeId: 16, sourceIp: '10.10.3.4', firstActive: new Date('2021-02-04T13:30:00Z') });

      const start = await call(session, QUERIES, {
        method: 'POST',
        json: { ...validQuery, securityEventTypeIds: [16] },
      });
      expect(start.status).toBe(200);
      const { data } = (await start.json()) as { data: { searchJob: { id: string } } };
      expect(data.searchJob).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        searchJobStatus: 'IN_PROGRESS',
        percentComplete: 0,
      });

      const early = await call(session, `/sw-reporting/v1/tenants/102/security-events/results/${data.searchJob.id}`);
      expect(early.status).toBe(409);
      const first = await (await call(session, `${QUERIES}/${data.searchJob.id}`)).json();
      const second = await (await call(session, `${QUERIES}/${data.searchJob.id}`)).json();
      expect(first).toMatchObject({ data: { status: 'IN_PROGRESS' } });
      expect(second).toEqual({ data: { percentComplete: 100, status: 'COMPLETED' } });

      const results = await call(session, `/sw-reporting/v1/tenants/102/security-events/results/${data.searchJob.id}`);
      expect(await results.json()).toEqual({ data: { results: [record] } });
    });

    it('sends records shaped like the captured SMC data, with +0000 timestamps, tags and points', async () => {
      const record = sim.addEvent({
        typeId: 310,
        sourceIp: '192.168.91.6',
        targetIp: '52.109.8.21',
        targetPort: 137,
        protocol: 'udp',
        points: 162,
        firstActive: new Date('2021-02-04T13:20:38Z'),
      });
      expect(Object.keys(record)).toEqual([
        'id',
        'domainId',
        'deviceId',
        'securityEventType',
        'firstActiveTime',
        'lastActiveTime',
        'source',
        'target',
        'details',
        'hitCount',
      ]);
      expect(record).toMatchObject({
        domainId: 102,
        securityEventType: 310,
        firstActiveTime: '2021-02-04T13:20:38.000+0000',
        source: { ipAddress: '192.168.91.6', port: 0, protocol: 'udp', tags: [{ name: 'Workstations', id: 50002 }] },
        target: { ipAddress: '52.109.8.21', port: 137, protocol: 'udp', tags: [{ name: 'United States', id: 61627 }] },
        hitCount: 1,
      });
      expect(record.details).toContainEqual({ key: 'points', value: '162' });
      expect(record.details).toContainEqual({ key: 'flow@target_port', value: '137' });
    });

    it('matches events by type and by activity overlapping the range', async () => {
      const session = await login();
      const at = (time: string) => new Date(`2021-02-04T${time}Z`);
      const inside = sim.addEvent({ typeId: 16, sourceIp: '10.0.0.1', firstActive: at('13:10:00') }).id;
      const overlapping = sim.addEvent({
        typeId: 16,
        sourceIp: '10.0.0.2',
        firstActive: at('12:00:00'),
        lastActive: at('13:00:00'),
      }).id;
      sim.addEvent({ typeId: 16, sourceIp: '10.0.0.3', firstActive: at('11:00:00'), lastActive: at('12:59:59') });
      sim.addEvent({ typeId: 16, sourceIp: '10.0.0.4', firstActive: at('14:00:01') });
      sim.addEvent({ typeId: 30, sourceIp: '10.0.0.5', firstActive: at('13:10:00') });

      const ids = await runQuery(session, { ...validQuery, securityEventTypeIds: [16] });
      expect(ids.sort()).toEqual([inside, overlapping].sort());
    });

    it('keeps results as they were when the query started', async () => {
      const session = await login();
      const before = sim.addEvent({ typeId: 16, sourceIp: '10.0.0.1', firstActive: new Date('2021-02-04T13:10:00Z') });
      const start = await call(session, QUERIES, { method: 'POST', json: validQuery });
      const { data } = (await start.json()) as { data: { searchJob: { id: string } } };
      sim.addEvent({ typeId: 16, sourceIp: '10.0.0.2', firstActive: new Date('2021-02-04T13:20:00Z') });
      sim.updateEvent(before.id, { hitCount: 50 });

      await call(session, `${QUERIES}/${data.searchJob.id}`);
      await call(session, `${QUERIES}/${data.searchJob.id}`);
      const results = (await (
        await call(session, `/sw-reporting/v1/tenants/102/security-events/results/${data.searchJob.id}`)
      ).json()) as {
        data: { results: { id: number; hitCount: number }[] };
      };
      expect(results.data.results.map((r) => [r.id, r.hitCount])).toEqual([[before.id, 1]]);
    });

    it('keeps an ongoing event id and firstActiveTime when it is updated', async () => {
      const added = sim.addEvent({ typeId: 16, sourceIp: '10.0.0.1', firstActive: new Date('2021-02-04T13:10:00Z') });
      const updated = sim.updateEvent(added.id, { hitCount: 4, lastActive: new Date('2021-02-04T13:50:00Z') });
      expect(updated).toMatchObject({
        id: added.id,
        firstActiveTime: '2021-02-04T13:10:00.000+0000',
        lastActiveTime: '2021-02-04T13:50:00.000+0000',
        hitCount: 4,
      });
    });

    it('reports the points an ongoing event is worth after an update', async () => {
      const added = sim.addEvent({ typeId: 16, sourceIp: '10.0.0.1', points: 40 });
      const updated = sim.updateEvent(added.id, { points: 400 });
      const points = (record: typeof added) => record.details.find((d) => d.key === 'points')?.value;
      expect([points(added), points(updated)]).toEqual(['40', '400']);
    });

    it('reports FAILED for a job after failNextQueries', async () => {
      const session = await login();
      sim.failNextQueries(1);
      const start = await call(session, QUERIES, { method: 'POST', json: validQuery });
      const { data } = (await start.json()) as { data: { searchJob: { id: string } } };
      expect(await (await call(session, `${QUERIES}/${data.searchJob.id}`)).json()).toMatchObject({
        data: { status: 'FAILED' },
      });
    });

    it('streams a large answer as one JSON document, records in order, malformed ones last', async () => {
      const session = await login();
      const ids = Array.from(
        { length: 1201 },
        (_, i) =>
          sim.addEvent({
            typeId: 16,
            sourceIp: `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`,
            firstActive: new Date('2021-02-04T13:10:00Z'),
          }).id,
      );
      sim.addMalformedRecord({ id: 'not a record' });
      const start = await call(session, QUERIES, { method: 'POST', json: validQuery });
      const { data } = (await start.json()) as { data: { searchJob: { id: string } } };
      await call(session, `${QUERIES}/${data.searchJob.id}`);
      await call(session, `${QUERIES}/${data.searchJob.id}`);
      const res = await call(session, `/sw-reporting/v1/tenants/102/security-events/results/${data.searchJob.id}`);
      // Written while serialized: no Content-Length known up front.
      expect(res.headers.get('transfer-encoding')).toBe('chunked');
      const results = (await res.json()) as { data: { results: { id: number | string }[] } };
      expect(results.data.results.map((r) => r.id)).toEqual([...ids, 'not a record']);
    });

    async function runQuery(session: Session, body: unknown): Promise<number[]> {
      const start = await call(session, QUERIES, { method: 'POST', json: body });
      const { data } = (await start.json()) as { data: { searchJob: { id: string } } };
      await call(session, `${QUERIES}/${data.searchJob.id}`);
      await call(session, `${QUERIES}/${data.searchJob.id}`);
      const res = await call(session, `/sw-reporting/v1/tenants/102/security-events/results/${data.searchJob.id}`);
      const results = (await res.json()) as { data: { results: { id: number }[] } };
      return results.data.results.map((r) => r.id);
    }
  });

  describe('host groups', () => {
    it('lists the seeded tree and reads one with its display path', async () => {
      const session = await login();
      const list = (await (await call(session, TAGS)).json()) as { data: { id: number; name: string }[] };
      expect(list.data.map((g) => g.name)).toEqual(
        expect.arrayContaining(['Inside Hosts', 'Catch All', 'Servers', 'Workstations']),
      );
      const one = await (await call(session, `${TAGS}/50002`)).json();
      expect(one).toMatchObject({
        data: {
          id: 50002,
          name: 'Workstations',
          display: { idPath: [1, 50002], path: ['Inside Hosts'] },
          parentDisplay: { id: 1 },
        },
      });
    });

    it('creates host groups from an array and replaces one with PUT of the whole object', async () => {
      const session = await login();
      const created = await call(session, TAGS, {
        method: 'POST',
        json: [{ name: 'Quarantine', location: 'OUTSIDE', description: 'Blocked by the SOC', ranges: ['203.0.113.7'] }],
      });
      const { data } = (await created.json()) as { data: { id: number; ranges: string[] }[] };
      const group = data[0];
      expect(group?.ranges).toEqual(['203.0.113.7']);

      const replaced = await call(session, `${TAGS}/${group?.id}`, {
        method: 'PUT',
        json: { ...group, ranges: ['203.0.113.7', '198.51.100.0/24'] },
      });
      expect(replaced.status).toBe(200);
      const reread = (await (await call(session, `${TAGS}/${group?.id}`)).json()) as { data: { ranges: string[] } };
      expect(reread.data.ranges).toEqual(['203.0.113.7', '198.51.100.0/24']);
    });

    it('leaves the ranges key out of a group holding none, as a real SMC does, and keeps other empty arrays', async () => {
      const session = await login();
      const res = await call(session, `${TAGS}/1`);
      const { data } = (await res.json()) as { data: Record<string, unknown> & { display: { path: unknown[] } } };
      expect(data.name).toBe('Inside Hosts');
      expect('ranges' in data).toBe(false);
      expect(data.display.path).toEqual([]);

      const created = await call(session, TAGS, {
        method: 'POST',
        json: [{ name: 'Empty', location: 'INSIDE', ranges: [] }],
      });
      const [group] = ((await created.json()) as { data: Record<string, unknown>[] }).data;
      expect(group && 'ranges' in group).toBe(false);
    });

    it('answers 404 for an unknown host group and 400 for a PUT whose body id differs', async () => {
      const session = await login();
      expect((await call(session, `${TAGS}/424242`)).status).toBe(404);
      const res = await call(session, `${TAGS}/50001`, {
        method: 'PUT',
        json: { id: 50002, name: 'X', location: 'INSIDE', ranges: [] },
      });
      expect(res.status).toBe(400);
    });

    it('tags event hosts with the groups whose ranges cover them, Catch All only as a fallback', () => {
      const server = sim.addEvent({ typeId: 16, sourceIp: '10.10.0.8', targetIp: '172.16.4.4' });
      expect(server.source.tags).toEqual([{ name: 'Servers', id: 50001 }]);
      expect(server.target?.tags).toEqual([{ name: 'Catch All', id: 65534 }]);
    });
  });

  describe('failure injection and recording', () => {
    it('answers the next matching calls with the injected status and Retry-After, then recovers', async () => {
      const session = await login();
      sim.failNext(2, 503, { method: 'GET', pathPrefix: '/sw-reporting/v1/tenants/', retryAfter: 3 });

      const unaffected = await call(session, TAGS);
      const first = await call(session, '/sw-reporting/v1/tenants/');
      const second = await call(session, '/sw-reporting/v1/tenants/102/security-events/templates');
      const third = await call(session, '/sw-reporting/v1/tenants/');

      expect([unaffected.status, first.status, second.status, third.status]).toEqual([200, 503, 503, 200]);
      expect(first.headers.get('retry-after')).toBe('3');
    });

    it('records every API call with method, path, status and time, but not control calls', async () => {
      const session = await login();
      await call(session, '/sw-reporting/v1/tenants/', { headers: { Accept: 'application/json' } });
      await control('GET', '/state');

      expect(sim.calls.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
        { method: 'POST', path: LOGIN, status: 200 },
        { method: 'GET', path: '/sw-reporting/v1/tenants/', status: 406 },
      ]);
      expect(Number.isNaN(Date.parse(sim.calls[0]?.time ?? ''))).toBe(false);
    });

    it('forgets sessions, events, calls and pending failures on reset', async () => {
      await login();
      sim.addEvent({ typeId: 16, sourceIp: '10.0.0.1' });
      sim.failNext(1, 500);
      sim.reset();

      expect(sim.calls).toEqual([]);
      expect(sim.state()).toMatchObject({ sessions: 0, events: [], pendingFailures: [], jobs: 0 });
    });
  });

  describe('HTTP control surface', () => {
    it('adds and updates events over /_sim/events', async () => {
      const added = await control('POST', '/events', {
        typeId: 30,
        sourceIp: '10.20.1.1',
        targetIp: '198.51.100.9',
        targetPort: 443,
        firstActive: '2021-02-04T13:00:00Z',
        sourceTags: [50002],
      });
      expect(added.status).toBe(201);
      const record = (await added.json()) as { id: number; source: { tags: unknown[] } };
      expect(record.source.tags).toEqual([{ name: 'Workstations', id: 50002 }]);

      const patched = await control('PATCH', `/events/${record.id}`, {
        hitCount: 12,
        lastActive: '2021-02-04T13:30:00Z',
      });
      expect(await patched.json()).toMatchObject({
        id: record.id,
        hitCount: 12,
        lastActiveTime: '2021-02-04T13:30:00.000+0000',
      });
      expect((await control('PATCH', '/events/1', { hitCount: 2 })).status).toBe(404);
    });

    it('answers 400 with the problems to invalid control input', async () => {
      const res = await control('POST', '/events', { typeId: 'sixteen', sourceIp: 'not-an-ip' });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { message: string };
      expect(body.message).toContain('typeId');
      expect(body.message).toContain('sourceIp');
    });

    it('injects failures, expires sessions, reports state and calls, and resets over HTTP', async () => {
      const session = await login();
      expect((await control('POST', '/fail', { count: 1, status: 500, pathPrefix: TAGS })).status).toBe(204);
      expect((await call(session, TAGS)).status).toBe(500);

      expect(await (await control('POST', '/expire-sessions')).json()).toEqual({ expired: 1 });
      expect((await call(session, TAGS)).status).toBe(401);

      const calls = (await (await control('GET', '/calls')).json()) as { calls: { status: number }[] };
      expect(calls.calls.map((c) => c.status)).toEqual([200, 500, 401]);
      expect(await (await control('GET', '/state')).json()).toMatchObject({ sessions: 0, tenants: [{ id: 102 }] });

      expect((await control('POST', '/reset')).status).toBe(204);
      expect(sim.calls).toEqual([]);
    });
  });
});
