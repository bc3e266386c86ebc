/**
 * The flow search client against the SMC simulator (real HTTP), and the published captures of the
 * flow API read by the client's schemas.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FetchLike } from '../../../integrations/http.js';
import { SnaClient } from '../../../integrations/sna/client.js';
import { buildFlowQueryBody } from '../../../integrations/sna/flows.js';
import { flowQueryStatusSchema, flowRecordSchema } from '../../../integrations/sna/flows-schemas.js';
import { type SmcSimulator, startSmcSimulator } from '../../../sandbox/smc/index.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/sna/${name}`, import.meta.url), 'utf8'));

const TENANT = 102;
const HOUR = 3_600_000;

describe('SMC flow search', () => {
  let sim: SmcSimulator;
  let client: SnaClient;
  const sent: Array<{ method: string; path: string; headers: Headers; body: string | undefined }> = [];

  beforeAll(async () => {
    sim = await startSmcSimulator({ pollsUntilComplete: 1 });
  });
  beforeEach(() => {
    sim.reset();
    sent.length = 0;
    const fetch: FetchLike = (input, init) => {
      sent.push({
        method: init?.method ?? 'GET',
        path: new URL(String(input)).pathname,
        headers: new Headers(init?.headers),
        body: typeof init?.body === 'string' ? init.body : undefined,
      });
      return globalThis.fetch(input, init);
    };
    client = new SnaClient({
      baseUrl: sim.url,
      username: sim.username,
      password: sim.password,
      fetch,
      queryPollIntervalMs: 5,
    });
  });
  afterEach(() => client.logout());
  afterAll(() => sim.close());

  it('starts a v2 flow query with the XSRF token, polls it and returns the flows of the subject with its peers', async () => {
    const now = Date.now();
    sim.addEvent({
      typeId: 16,
      sourceIp: '10.20.4.17',
      targetIp: '203.0.113.45',
      targetPort: 443,
      points: 100,
      firstActive: new Date(now - 20 * 60_000),
      lastActive: new Date(now - 5 * 60_000),
    });
    sim.addFlow({
      clientIp: '10.20.4.17',
      serverIp: '198.51.100.77',
      serverPort: 22,
      clientBytes: 7_000,
      serverBytes: 3_000,
      firstActive: new Date(now - 10 * 60_000),
    });
    const result = await client.queryFlows(TENANT, {
      ip: '10.20.4.17',
      from: new Date(now - HOUR),
      to: new Date(now),
      recordLimit: 100,
    });
    expect(result.capped).toBe(false);
    const peers = result.flows.map(
      (f) => `${f.peer.ip}:${f.peer.port}/${f.protocol} ${f.subject.bytes}>${f.peer.bytes}`,
    );
    expect(peers.sort()).toEqual(['198.51.100.77:22/TCP 7000>3000', '203.0.113.45:443/TCP 4000000>200000']);
    for (const flow of result.flows) {
      expect(flow.subject.ip).toBe('10.20.4.17');
      expect(flow.byteCount).toBe(flow.subject.bytes + flow.peer.bytes);
      expect(flow.peer.hostGroupIds).toEqual([61627]);
      expect(flow.peer.countryCode).toBe('US');
    }
    const start = sent.find((r) => r.method === 'POST' && r.path.endsWith('/flows/queries'));
    expect(start?.path).toBe(`/sw-reporting/v2/tenants/${TENANT}/flows/queries`);
    expect(start?.headers.get('x-xsrf-token')).toBeTruthy();
    expect(JSON.parse(start?.body ?? '{}')).toEqual({
      startDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      endDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      recordLimit: 100,
      subject: { ipAddresses: { includes: ['10.20.4.17'] } },
      flow: { flowDirection: 'BOTH', includeInterfaceData: false },
    });
    expect(sim.calls.filter((c) => c.path.includes('/flows/queries')).map((c) => `${c.method} ${c.status}`)).toEqual([
      'POST 201',
      'GET 200',
      'GET 200',
      'GET 200',
    ]);
  });

  it('shows the other side of an event as subject too: the target host sees the source as its peer', async () => {
    const now = Date.now();
    sim.addEvent({
      typeId: 16,
      sourceIp: '10.20.4.17',
      targetIp: '203.0.113.45',
      targetPort: 443,
      lastActive: new Date(now),
    });
    const { flows } = await client.queryFlows(TENANT, {
      ip: '203.0.113.45',
      from: new Date(now - HOUR),
      to: new Date(now),
      recordLimit: 10,
    });
    expect(flows.map((f) => [f.subject.ip, f.subject.orientation, f.peer.ip])).toEqual([
      ['203.0.113.45', 'server', '10.20.4.17'],
    ]);
  });

  it('leaves out flows outside the window and says when the record limit was reached', async () => {
    const now = Date.now();
    for (let n = 0; n < 3; n += 1) {
      sim.addFlow({
        clientIp: '10.20.4.17',
        serverIp: `198.51.100.${n + 1}`,
        serverPort: 53,
        protocol: 'udp',
        clientBytes: 10,
        serverBytes: 10,
        firstActive: new Date(now - 10 * 60_000),
      });
    }
    sim.addFlow({
      clientIp: '10.20.4.17',
      serverIp: '198.51.100.99',
      serverPort: 53,
      clientBytes: 10,
      serverBytes: 10,
      firstActive: new Date(now - 5 * HOUR),
    });
    const capped = await client.queryFlows(TENANT, {
      ip: '10.20.4.17',
      from: new Date(now - HOUR),
      to: new Date(now),
      recordLimit: 2,
    });
    expect(capped).toMatchObject({ capped: true });
    expect(capped.flows).toHaveLength(2);
    const all = await client.queryFlows(TENANT, {
      ip: '10.20.4.17',
      from: new Date(now - HOUR),
      to: new Date(now),
      recordLimit: 50,
    });
    expect(all.flows.map((f) => f.peer.ip)).not.toContain('198.51.100.99');
    expect(all.capped).toBe(false);
  });

  it("accepts the full body of Cisco's Postman collection and refuses a key it does not know", async () => {
    const postman = fixture('flow-query-postman.json');
    const login = await fetch(`${sim.url}/token/v2/authenticate`, {
      method: 'POST',
      body: new URLSearchParams({ username: sim.username, password: sim.password }),
    });
    const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]);
    const xsrf = cookies.find((c) => c?.startsWith('XSRF-TOKEN='))?.slice('XSRF-TOKEN='.length) ?? '';
    const post = (body: unknown) =>
      fetch(`${sim.url}/sw-reporting/v2/tenants/${TENANT}/flows/queries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: cookies.join('; '), 'x-xsrf-token': xsrf },
        body: JSON.stringify(body),
      });
    expect((await post(postman)).status).toBe(201);
    expect((await post({ ...(postman as object), limit: 5 })).status).toBe(400);
  });

  it('refuses a window that ends before it starts, before sending anything', () => {
    expect(() =>
      buildFlowQueryBody({ ip: '10.0.0.1', from: new Date(2000), to: new Date(1000), recordLimit: 10 }),
    ).toThrow(RangeError);
  });
});

describe('published flow API captures', () => {
  it("reads the XSOAR integration's captured status answer", () => {
    expect(flowQueryStatusSchema.parse(fixture('flow-status.json')).data.query).toEqual({
      status: 'COMPLETED',
      percentComplete: 100,
    });
  });

  it("reads the captured flow record once its anonymized addresses are addresses again, and refuses 'x.x.x.x' naming only the field", () => {
    const captured = fixture('flow-results.json') as {
      data: { flows: Array<Record<string, Record<string, unknown>>> };
    };
    const [record] = captured.data.flows;
    const rejected = flowRecordSchema.safeParse(record);
    expect(rejected.success).toBe(false);
    const message = JSON.stringify(rejected.error?.issues.map((i) => i.path.join('.')));
    expect(message).toContain('subject.ipAddress');
    expect(message).not.toContain('x.x.x.x');

    const real = structuredClone(record) ?? {};
    (real.subject as Record<string, unknown>).ipAddress = '10.1.2.3';
    (real.peer as Record<string, unknown>).ipAddress = '10.9.9.9';
    const parsed = flowRecordSchema.parse(real);
    expect(parsed.id).toBe('876742');
    expect(parsed.statistics).toEqual({
      byteCount: 11_790_842,
      firstActiveTime: '2021-02-15T15:17:42.000Z',
      lastActiveTime: '2021-02-15T15:41:59.000Z',
    });
    expect(parsed.subject.bytes + parsed.peer.bytes).toBe(parsed.statistics.byteCount);
    expect(parsed.peer).toMatchObject({
      orientation: 'server',
      portProtocol: { port: 514, protocol: 'UDP' },
      hostGroupIds: [65534],
    });
  });
});
