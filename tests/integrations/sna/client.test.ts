import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, type FetchLike, NetworkError, WireError } from '../../../integrations/http.js';
import {
  SnaClient,
  type SnaClientOptions,
  SnaLoginError,
  LookupError,
  JobFailedError,
} from '../../../integrations/sna/client.js';
import { type SmcSimulator, startSmcSimulator } from '../../../sandbox/smc/index.js';

const LOGIN = '/token/v2/authenticate';
const SECRET = 'Pa55-Very-Secret-w0rd!';

interface SentRequest {
  method: string;
  path: string;
  headers: Headers;
  body: string | undefined;
}

/** Real fetch, plus a record of what the client sent. */
function recordingFetch(): { fetch: FetchLike; sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  const fetch: FetchLike = (input, init) => {
    sent.push({
      method: init?.method ?? 'GET',
      path: new URL(String(input)).pathname,
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : undefined,
    });
    return globalThis.fetch(input, init);
  };
  return { fetch, sent };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Everything an error exposes that could end up in a log or a chat message. */
function everythingShownBy(error: unknown): string {
  const e = error as Error & Record<string, unknown>;
  return [String(e), e.message, e.stack, JSON.stringify(e), e.detail, e.endpoint].join('\n');
}

describe('SnaClient against the SMC simulator', () => {
  let sim: SmcSimulator;
  const clients: SnaClient[] = [];

  function client(overrides: Partial<SnaClientOptions> = {}, on: SmcSimulator = sim): SnaClient {
    const created = new SnaClient({
      baseUrl: on.url,
      username: on.username,
      password: on.password,
      queryPollIntervalMs: 5,
      ...overrides,
    });
    clients.push(created);
    return created;
  }

  const logins = (on: SmcSimulator = sim): number => on.calls.filter((c) => c.path === LOGIN).length;
  const callsTo = (fragment: string): string[] =>
    sim.calls.filter((c) => c.path.includes(fragment)).map((c) => `${c.method} ${c.status}`);

  beforeAll(async () => {
    sim = await startSmcSimulator();
  });
  beforeEach(() => sim.reset());
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.logout()));
  });
  afterAll(() => sim.close());

  describe('session', () => {
    it('logs in lazily with a form post, then sends the session cookie on every call and the XSRF token on non-GET ones only', async () => {
      const { fetch, sent } = recordingFetch();
      const sna = client({ fetch });
      expect(sent).toHaveLength(0);
      expect(sna.session()).toEqual({ loggedIn: false, logins: 0 });

      await sna.listTenants();
      await sna.querySecurityEvents(102, {
        from: new Date('2021-02-04T13:00:00Z'),
        to: new Date('2021-02-04T14:00:00Z'),
        typeIds: [],
      });

      const [login, ...calls] = sent;
      expect(login?.method).toBe('POST');
      expect(login?.path).toBe(LOGIN);
      expect(login?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
      expect(Object.fromEntries(new URLSearchParams(login?.body))).toEqual({
        username: 'admin',
        password: 'sim-password',
      });
      expect(calls.map((c) => c.method)).toEqual(['GET', 'POST', 'GET', 'GET', 'GET', 'GET']);
      for (const call of calls) {
        const cookie = call.headers.get('cookie') ?? '';
        expect(cookie).toMatch(/(^|; )stealthwatch\.jwt=[0-9a-f]+/);
        const xsrf = /(?:^|; )XSRF-TOKEN=([^;]+)/.exec(cookie)?.[1];
        expect(xsrf).toBeDefined();
        // Cisco documents X-XSRF-TOKEN for non-GET requests only.
        expect(call.headers.get('x-xsrf-token')).toBe(call.method === 'GET' ? null : xsrf);
      }
      expect(sna.session()).toEqual({ loggedIn: true, since: expect.any(Date), logins: 1 });
    });

    describe("over the SMC's 20-minute session", () => {
      let clock: number;
      let timed: SmcSimulator;
      const now = () => clock;

      beforeAll(async () => {
        timed = await startSmcSimulator({ now });
      });
      beforeEach(() => {
        clock = Date.parse('2026-11-23T10:00:00Z');
        timed.reset();
      });
      afterAll(() => timed.close());

      it('logs in again a little before the session ends, ending the old one: no call meets a 401', async () => {
        const sna = client({ now }, timed);
        await sna.listTenants();
        clock += 19.5 * 60_000;

        await sna.listTenants();
        expect(timed.calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
          `POST ${LOGIN} 200`,
          'GET /sw-reporting/v1/tenants/ 200',
          'DELETE /token 204',
          `POST ${LOGIN} 200`,
          'GET /sw-reporting/v1/tenants/ 200',
        ]);
        expect(timed.state().sessions).toBe(1);
        expect(sna.session().logins).toBe(2);
      });

      it('keeps the session while it has more than a minute left', async () => {
        const sna = client({ now }, timed);
        await sna.listTenants();
        clock += 18 * 60_000;
        await sna.listTenants();
        expect(logins(timed)).toBe(1);
      });

      it('still logs in again once on a 401 when the SMC ended the session early', async () => {
        const sna = client({ now }, timed);
        await sna.listTenants();
        timed.expireSessions();
        await expect(sna.listTenants()).resolves.toHaveLength(1);
        expect(timed.calls.map((c) => c.status)).toEqual([200, 200, 401, 200, 200]);
      });
    });

    it('shares one login between concurrent first calls', async () => {
      const sna = client();
      await Promise.all([sna.listTenants(), sna.listEventTemplates(102), sna.listHostGroups(102)]);
      expect(logins()).toBe(1);
    });

    it('re-logs in exactly once after the session expires, then succeeds', async () => {
      const sna = client();
      await sna.listTenants();
      sim.expireSessions();

      await expect(sna.listTenants()).resolves.toEqual([{ id: 102, displayName: 'Sim Corp' }]);
      expect(logins()).toBe(2);
      expect(sim.calls.map((c) => `${c.method} ${c.path} ${c.status}`).slice(-3)).toEqual([
        'GET /sw-reporting/v1/tenants/ 401',
        `POST ${LOGIN} 200`,
        'GET /sw-reporting/v1/tenants/ 200',
      ]);
      expect(sna.session().logins).toBe(2);
    });

    it('throws ApiError 401 when the call is refused again after the re-login, and logs in afresh next time', async () => {
      const sna = client();
      sim.failNext(2, 401, { method: 'GET', pathPrefix: '/sw-reporting/v1/tenants' });

      await expect(sna.listTenants()).rejects.toSatisfy((e) => e instanceof ApiError && e.status === 401);
      expect(logins()).toBe(2);
      expect(sna.session().loggedIn).toBe(false);

      await sna.listTenants();
      expect(logins()).toBe(3);
    });

    it('rejects bad credentials with an ApiError that says the SMC rejected them and never shows the password', async () => {
      const sna = client({ password: SECRET });
      const error = await sna.listTenants().catch((e: unknown) => e);

      expect(error).toBeInstanceOf(SnaLoginError);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(401);
      expect((error as Error).message).toMatch(/rejected the credentials of user "admin"/);
      expect(everythingShownBy(error)).not.toContain(SECRET);
      expect(sna.session()).toEqual({ loggedIn: false, logins: 0 });
    });

    it('logs out with DELETE /token, ending the session on the SMC; the next call logs in again', async () => {
      const sna = client();
      await sna.listTenants();
      await sna.logout();

      expect(sna.session().loggedIn).toBe(false);
      expect(sim.state().sessions).toBe(0);
      expect(callsTo('/token').filter((c) => c.startsWith('DELETE'))).toEqual(['DELETE 204']);

      await sna.listTenants();
      expect(logins()).toBe(2);
    });

    it('sends nothing and does not throw when logging out without a session', async () => {
      await client().logout();
      expect(sim.calls).toEqual([]);
    });
  });

  describe('tenants', () => {
    it('lists tenants although the SMC answers 406 to Accept: application/json', async () => {
      const { fetch, sent } = recordingFetch();
      await expect(client({ fetch }).listTenants()).resolves.toEqual([{ id: 102, displayName: 'Sim Corp' }]);
      expect(sent.find((s) => s.path.startsWith('/sw-reporting/v1/tenants'))?.headers.get('accept')).toBeNull();
    });

    describe('with several tenants or none', () => {
      let multi: SmcSimulator;
      let empty: SmcSimulator;
      beforeAll(async () => {
        multi = await startSmcSimulator({
          tenants: [
            { id: 7, displayName: 'Alpha' },
            { id: 9, displayName: 'Beta' },
          ],
        });
        empty = await startSmcSimulator({ tenants: [] });
      });
      afterAll(async () => {
        await Promise.all([multi.close(), empty.close()]);
      });

      it('resolves the first tenant when none is configured, and a configured one that exists', async () => {
        const sna = client({}, multi);
        await expect(sna.resolveTenantId()).resolves.toBe(7);
        await expect(sna.resolveTenantId(9)).resolves.toBe(9);
      });

      it('names the available tenants when the configured one does not exist', async () => {
        await expect(client({}, multi).resolveTenantId(8)).rejects.toThrow(
          new LookupError({
            service: 'sna',
            message: 'SNA tenant 8 does not exist on the SMC; available: 7 (Alpha), 9 (Beta)',
            unknown: ['8'],
          }),
        );
      });

      it('fails clearly when the SMC lists no tenant', async () => {
        await expect(client({}, empty).resolveTenantId()).rejects.toThrow(/lists no tenant/);
      });
    });
  });

  describe('event types', () => {
    it('resolves event types by id or by case-insensitive name', async () => {
      await expect(
        client().resolveEventTypes(102, ['16', 'flow_denied', 'RESET/TCP', ' High Traffic ']),
      ).resolves.toEqual([
        { id: 16, name: 'High Total Traffic' },
        { id: 310, name: 'Flow_Denied' },
        { id: 262, name: 'Reset/tcp' },
        { id: 30, name: 'High Traffic' },
      ]);
    });

    it('names every unknown event type in one error, suggesting close names', async () => {
      const error = await client()
        .resolveEventTypes(102, ['Port Scn', 'Flow_Denied', 'Lateral Movement', '99999'])
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(LookupError);
      expect((error as LookupError).unknown).toEqual(['Port Scn', 'Lateral Movement', '99999']);
      expect((error as Error).message).toContain('"Port Scn" (did you mean "Port Scan"?)');
      expect((error as Error).message).toContain('"Lateral Movement"');
      expect((error as Error).message).toContain('"99999"');
    });
  });

  describe('security events', () => {
    const hour = { from: new Date('2021-02-04T13:00:00Z'), to: new Date('2021-02-04T14:00:00Z') };

    function seedEvents(): { denied: number; traffic: number } {
      const denied = sim.addEvent({
        typeId: 310,
        sourceIp: '192.168.91.6',
        targetIp: '52.109.8.21',
        targetPort: 137,
        protocol: 'udp',
        points: 162,
        firstActive: new Date('2021-02-04T13:20:38Z'),
      }).id;
      const traffic = sim.addEvent({
        typeId: 16,
        sourceIp: '10.10.1.5',
        points: 40,
        hitCount: 3,
        firstActive: new Date('2021-02-04T12:00:00Z'),
        lastActive: new Date('2021-02-04T13:05:00Z'),
      }).id;
      sim.addEvent({ typeId: 310, sourceIp: '10.20.0.9', firstActive: new Date('2021-02-04T15:00:00Z') });
      return { denied, traffic };
    }

    it('starts a query with only timeRange and type ids, polls it to COMPLETED, and returns normalized events', async () => {
      const { denied } = seedEvents();
      const { fetch, sent } = recordingFetch();

      const events = await client({ fetch }).querySecurityEvents(102, { ...hour, typeIds: [310] });

      expect(events).toEqual([
        {
          id: denied,
          typeId: 310,
          firstActive: '2021-02-04T13:20:38.000Z',
          lastActive: '2021-02-04T13:20:38.000Z',
          source: { ip: '192.168.91.6', port: 0, protocol: 'udp', hostGroups: [{ id: 50002, name: 'Workstations' }] },
          target: { ip: '52.109.8.21', port: 137, protocol: 'udp', hostGroups: [{ id: 61627, name: 'United States' }] },
          hitCount: 1,
          points: 162,
          details: {
            'source_host@username': '',
            'category_points@high-concern-index': '162',
            'baseline@threshold': '0',
            'flow@target_port': '137',
            targetIPAddress: '52.109.8.21',
            points: '162',
          },
        },
      ]);
      const start = sent.find((s) => s.method === 'POST' && s.path.endsWith('/queries'));
      expect(JSON.parse(start?.body ?? '')).toEqual({
        timeRange: { from: '2021-02-04T13:00:00Z', to: '2021-02-04T14:00:00Z' },
        securityEventTypeIds: [310],
      });
      expect(start?.headers.get('content-type')).toBe('application/json');
      expect(callsTo('/security-events/')).toEqual(['POST 200', 'GET 200', 'GET 200', 'GET 200', 'GET 200']);
      expect(sim.calls.at(-1)?.path).toMatch(/\/security-events\/results\/[0-9a-f]{24}$/);
    });

    it('asks for every type, without a type-id key, when no type id is given', async () => {
      const { denied, traffic } = seedEvents();
      const { fetch, sent } = recordingFetch();

      const events = await client({ fetch }).querySecurityEvents(102, { ...hour, typeIds: [] });

      expect(events.map((e) => e.id).sort()).toEqual([denied, traffic].sort());
      const body = JSON.parse(sent.find((s) => s.path.endsWith('/queries'))?.body ?? '') as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(['timeRange']);
    });

    it('sees an ongoing event keep its id and first activity while its hit count and last activity advance', async () => {
      const { traffic } = seedEvents();
      const sna = client();
      sim.updateEvent(traffic, { hitCount: 9, lastActive: new Date('2021-02-04T13:45:00Z') });

      const [event] = await sna.querySecurityEvents(102, { ...hour, typeIds: [16] });
      expect(event).toMatchObject({
        id: traffic,
        firstActive: '2021-02-04T12:00:00.000Z',
        lastActive: '2021-02-04T13:45:00.000Z',
        hitCount: 9,
      });
    });

    it('checks a job soon after starting it, then backs off to the poll interval', async () => {
      seedEvents();
      const slow = await startSmcSimulator({ pollsUntilComplete: 6 });
      try {
        const pauses: number[] = [];
        const sna = client({ queryPollIntervalMs: 500, sleep: async (ms) => void pauses.push(ms) }, slow);
        await sna.querySecurityEvents(102, { ...hour, typeIds: [] });
        expect(pauses).toEqual([100, 200, 400, 500, 500, 500, 500]);
      } finally {
        await slow.close();
      }
    });

    it('skips and reports a malformed record when asked to, naming the problem but not the value', async () => {
      const { denied, traffic } = seedEvents();
      sim.addMalformedRecord({ id: 77, securityEventType: 16, source: { ipAddress: '$(reboot)' }, hitCount: 'x' });
      sim.addMalformedRecord('not even an object');
      const rejected: Array<{ index: number; id?: number; issues: string[] }> = [];

      const events = await client().querySecurityEvents(102, {
        ...hour,
        typeIds: [],
        onInvalidRecord: (r) => rejected.push(r),
      });

      expect(events.map((e) => e.id).sort()).toEqual([denied, traffic].sort());
      expect(rejected.map((r) => [r.index, r.id])).toEqual([
        [2, 77],
        [3, undefined],
      ]);
      expect(rejected[0]?.issues.join('\n')).toMatch(/data\.results\.2\.source\.ipAddress/);
      expect(rejected[0]?.issues.join('\n')).not.toContain('reboot');
      // The next answer is clean again: a malformed record is added to one results answer by default.
      expect(await client().querySecurityEvents(102, { ...hour, typeIds: [] })).toHaveLength(2);
    });

    it('fails with a WireError naming the one malformed record among valid ones', async () => {
      seedEvents();
      // The results travel over real HTTP; this fetch spoils the second record on the way back.
      const spoiling: FetchLike = async (input, init) => {
        const res = await globalThis.fetch(input, init);
        if (!String(input).includes('/results/')) return res;
        const body = (await res.json()) as { data: { results: Array<{ source: { ipAddress: string } }> } };
        const second = body.data.results[1];
        if (second) second.source.ipAddress = '999.1.1.1<script>';
        return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      };
      const failure = client({ fetch: spoiling }).querySecurityEvents(102, { ...hour, typeIds: [] });
      await expect(failure).rejects.toBeInstanceOf(WireError);
      await expect(failure).rejects.toThrow(/data\.results\.1\.source\.ipAddress/);
    });

    /** Real fetch; the results' body is handed on through `shape`, which may hold it back, cut or break it. */
    function resultsThrough(
      shape: (body: Uint8Array, out: ReadableStreamDefaultController<Uint8Array>) => Promise<void>,
    ): FetchLike {
      return async (input, init) => {
        const res = await globalThis.fetch(input, init);
        if (!String(input).includes('/results/')) return res;
        const body = new Uint8Array(await res.arrayBuffer());
        const stream = new ReadableStream<Uint8Array>({ start: (out) => shape(body, out) });
        return new Response(stream, { status: 200, headers: res.headers });
      };
    }

    it('hands events over as the results stream in, before the answer has ended', async () => {
      for (let i = 0; i < 50; i += 1) sim.addEvent({ typeId: 16, sourceIp: `10.30.0.${i + 1}` });
      const handed: number[] = [];
      let beforeTheEnd = 0;
      const fetch = resultsThrough(async (body, out) => {
        out.enqueue(body.subarray(0, body.length / 2));
        // The second half only goes out once the first half's events have been handed over.
        while (handed.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        beforeTheEnd = handed.length;
        out.enqueue(body.subarray(body.length / 2));
        out.close();
      });
      const count = await client({ fetch }).forEachSecurityEvent(
        102,
        { from: new Date(0), to: new Date(), typeIds: [] },
        (e) => handed.push(e.id),
      );
      expect(count).toBe(50);
      expect(handed).toHaveLength(50);
      expect(beforeTheEnd).toBeGreaterThan(10);
    });

    it('refuses results cut short as not JSON, reporting none of their records', async () => {
      seedEvents();
      sim.addMalformedRecord({ id: 77, securityEventType: 16, hitCount: 'x' });
      const rejected: unknown[] = [];
      const fetch = resultsThrough(async (body, out) => {
        out.enqueue(body.subarray(0, body.length - 20));
        out.close();
      });
      const failure = client({ fetch }).querySecurityEvents(102, {
        ...hour,
        typeIds: [],
        onInvalidRecord: (r) => rejected.push(r),
      });
      await expect(failure).rejects.toBeInstanceOf(WireError);
      await expect(failure).rejects.toThrow('(root): body is not JSON');
      expect(rejected).toEqual([]);
    });

    it('fails with a NetworkError when the connection breaks while the results stream in', async () => {
      seedEvents();
      const fetch = resultsThrough(async (body, out) => {
        out.enqueue(body.subarray(0, 40));
        out.error(new TypeError('terminated'));
      });
      const failure = client({ fetch }).querySecurityEvents(102, { ...hour, typeIds: [] });
      await expect(failure).rejects.toBeInstanceOf(NetworkError);
    });

    it('throws JobFailedError, without reading results, when the SMC reports the job as FAILED', async () => {
      sim.failNextQueries(1);
      await expect(client().querySecurityEvents(102, { ...hour, typeIds: [] })).rejects.toBeInstanceOf(JobFailedError);
      expect(sim.calls.some((c) => c.path.includes('/results/'))).toBe(false);
    });

    it('refuses a range that ends before it starts, before sending anything', async () => {
      await expect(client().querySecurityEvents(102, { from: hour.to, to: hour.from, typeIds: [] })).rejects.toThrow(
        RangeError,
      );
      expect(sim.calls).toEqual([]);
    });

    describe('when the job never completes', () => {
      let stuck: SmcSimulator;
      beforeAll(async () => {
        stuck = await startSmcSimulator({ pollsUntilComplete: 1_000_000 });
      });
      beforeEach(() => stuck.reset());
      afterAll(() => stuck.close());
      const statusPolls = (): number => stuck.calls.filter((c) => c.path.includes('/queries/')).length;

      it('gives up after queryMaxWaitMs with a timed-out NetworkError and reads no results', async () => {
        const sna = client({ queryPollIntervalMs: 10, queryMaxWaitMs: 150 }, stuck);
        const startedAt = Date.now();

        const error = await sna.querySecurityEvents(102, { ...hour, typeIds: [] }).catch((e: unknown) => e);

        expect(error).toBeInstanceOf(NetworkError);
        expect((error as NetworkError).timedOut).toBe(true);
        expect(Date.now() - startedAt).toBeLessThan(2_000);
        expect(stuck.calls.some((c) => c.path.includes('/results/'))).toBe(false);
      });

      it('bounds the number of polls by the time slept, even with an instant sleep', async () => {
        const sna = client({ queryPollIntervalMs: 10, queryMaxWaitMs: 100, sleep: async () => {} }, stuck);
        await expect(sna.querySecurityEvents(102, { ...hour, typeIds: [] })).rejects.toBeInstanceOf(NetworkError);
        // At most the 100 ms budget over the 10 ms interval (fewer when the machine is slow).
        expect(statusPolls()).toBeGreaterThan(0);
        expect(statusPolls()).toBeLessThanOrEqual(10);
      });

      it('stops polling and rejects with the abort reason when the signal aborts', async () => {
        const controller = new AbortController();
        const reason = new Error('bot shutting down');
        const sna = client({ queryPollIntervalMs: 10, queryMaxWaitMs: 60_000 }, stuck);
        setTimeout(() => controller.abort(reason), 80);

        await expect(sna.querySecurityEvents(102, { ...hour, typeIds: [], signal: controller.signal })).rejects.toBe(
          reason,
        );
        const pollsAtAbort = statusPolls();
        expect(pollsAtAbort).toBeGreaterThan(0);
        await new Promise((resolve) => setTimeout(resolve, 60));
        // A status request already on the wire when the signal fired may still land; no new one starts.
        expect(statusPolls()).toBeLessThanOrEqual(pollsAtAbort + 1);
      });

      it('sends nothing when the signal is already aborted', async () => {
        const reason = new Error('already gone');
        const sna = client({}, stuck);
        await expect(
          sna.querySecurityEvents(102, { ...hour, typeIds: [], signal: AbortSignal.abort(reason) }),
        ).rejects.toBe(reason);
        expect(stuck.calls).toEqual([]);
      });
    });
  });

  describe('host groups', () => {
    it('lists host groups with their parent and location', async () => {
      const groups = await client().listHostGroups(102);
      expect(groups).toContainEqual({ id: 50001, name: 'Servers', parentId: 1, location: 'INSIDE' });
      expect(groups.map((g) => g.name)).toEqual(expect.arrayContaining(['Inside Hosts', 'Catch All', 'Workstations']));
    });

    it('reads one host group with every field the SMC sent', async () => {
      const group = await client().getHostGroup(102, 50001);
      expect(group).toMatchObject({
        id: 50001,
        name: 'Servers',
        location: 'INSIDE',
        parentId: 1,
        ranges: ['10.10.0.0/16'],
      });
      expect(group.display).toMatchObject({ idPath: [1, 50001], path: ['Inside Hosts'] });
    });

    it('tags a host into a group holding no range (sent without a ranges key) and untags it again', async () => {
      const sna = client();
      const created = await sna.createHostGroup(102, { name: 'Quarantine', location: 'INSIDE', parentId: 1 });
      expect(created.ranges).toEqual([]);
      const empty = await sna.getHostGroup(102, created.id);
      expect(empty.ranges).toEqual([]);

      const tagged = await sna.replaceHostGroup(102, { ...empty, ranges: ['10.30.0.1'] });
      expect(tagged.ranges).toEqual(['10.30.0.1']);
      const untagged = await sna.replaceHostGroup(102, { ...tagged, ranges: [] });
      expect(untagged.ranges).toEqual([]);
    });

    it('answers an unknown host group with ApiError 404', async () => {
      await expect(client().getHostGroup(102, 424242)).rejects.toSatisfy(
        (e) => e instanceof ApiError && e.status === 404,
      );
    });
  });

  describe('errors', () => {
    it('turns a 500 into a transient ApiError carrying the status, the endpoint and Retry-After', async () => {
      sim.failNext(1, 500, { pathPrefix: '/sw-reporting/v1/tenants/102/security-events/templates', retryAfter: 7 });
      const error = await client()
        .listEventTemplates(102)
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({
        service: 'sna',
        status: 500,
        retryAfterSeconds: 7,
        transient: true,
        endpoint: `GET ${sim.url}/sw-reporting/v1/tenants/102/security-events/templates`,
      });
    });

    it('reports an unreachable SMC as a NetworkError', async () => {
      const closed = createServer();
      const url = await listen(closed);
      await stop(closed);
      const error = await client({ baseUrl: url })
        .listTenants()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).timedOut).toBe(false);
    });

    it('times out a request that gets no answer as a NetworkError with timedOut', async () => {
      const silent = createServer(() => {});
      const url = await listen(silent);
      try {
        const error = await client({ baseUrl: url, timeoutMs: 100 })
          .listTenants()
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(NetworkError);
        expect((error as NetworkError).timedOut).toBe(true);
      } finally {
        await stop(silent);
      }
    });

    describe('against a misbehaving SMC', () => {
      let odd: Server;
      let url: string;
      beforeAll(async () => {
        // Logs anyone in, then answers HTML, or a 500 that echoes the login form back.
        odd = createServer((req, res) => {
          req.resume();
          req.on('end', () => {
            if (req.url?.endsWith(LOGIN)) {
              res.setHeader('Set-Cookie', ['stealthwatch.jwt=j; Path=/', 'XSRF-TOKEN=x; Path=/']);
              res.end();
            } else if (req.url?.startsWith('/echo')) {
              res.statusCode = 500;
              res.end(`failed for username=admin&password=${encodeURIComponent(SECRET)} raw ${SECRET}`);
            } else {
              res.setHeader('Content-Type', 'text/html');
              res.end('<html>Down for maintenance</html>');
            }
          });
        });
        url = await listen(odd);
      });
      afterAll(() => stop(odd));

      it('rejects a 2xx answer that is not the documented JSON as WireError', async () => {
        await expect(client({ baseUrl: url }).listTenants()).rejects.toBeInstanceOf(WireError);
      });

      it('never shows the password, even when the SMC echoes it in an error body', async () => {
        const errors = await Promise.all([
          client({ baseUrl: `${url}/echo`, password: SECRET })
            .listTenants()
            .catch((e: unknown) => e),
          client({ baseUrl: url, password: SECRET })
            .listTenants()
            .catch((e: unknown) => e),
        ]);
        expect(errors[0]).toBeInstanceOf(ApiError);
        expect((errors[0] as ApiError).detail).toContain('[REDACTED]');
        for (const error of errors) expect(everythingShownBy(error)).not.toContain(SECRET);
      });
    });

    it('never shows the password in login, API or network errors', async () => {
      const shown: unknown[] = [];
      shown.push(
        await client({ password: SECRET })
          .listTenants()
          .catch((e: unknown) => e),
      );
      const sna = client({ password: sim.password });
      sim.failNext(1, 500, { pathPrefix: '/sw-reporting' });
      shown.push(await sna.listTenants().catch((e: unknown) => e));
      const closed = createServer();
      const closedUrl = await listen(closed);
      await stop(closed);
      shown.push(
        await client({ baseUrl: closedUrl, password: SECRET })
          .listTenants()
          .catch((e: unknown) => e),
      );

      expect(shown).toHaveLength(3);
      for (const error of shown) {
        expect(error).toBeInstanceOf(Error);
        expect(everythingShownBy(error)).not.toContain(SECRET);
      }
    });
  });
});
