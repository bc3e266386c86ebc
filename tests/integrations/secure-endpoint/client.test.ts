import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, type FetchLike, NetworkError, WireError } from '../../../integrations/http.js';
import {
  SECURE_ENDPOINT_REGIONS,
  SecureEndpointClient,
  type SecureEndpointClientOptions,
} from '../../../integrations/secure-endpoint/client.js';
import {
  EICAR_SHA256,
  type SecureEndpointSimulator,
  startSecureEndpointSimulator,
} from '../../../sandbox/secure-endpoint/index.js';

const ACTIVITY = '/v1/computers/activity';

function recordingFetch(): { fetch: FetchLike; sent: { url: string; headers: Headers }[] } {
  const sent: { url: string; headers: Headers }[] = [];
  const fetch: FetchLike = (input, init) => {
    sent.push({ url: String(input), headers: new Headers(init?.headers) });
    return globalThis.fetch(input, init);
  };
  return { fetch, sent };
}

function everythingShownBy(error: unknown): string {
  const e = error as Error & Record<string, unknown>;
  return [String(e), e.message, e.stack, JSON.stringify(e), e.detail, e.endpoint].join('\n');
}

async function rawServer(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}

function sendJson(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

describe('SecureEndpointClient against the Secure Endpoint simulator', () => {
  let sim: SecureEndpointSimulator;

  const client = (overrides: Partial<SecureEndpointClientOptions> = {}): SecureEndpointClient =>
    new SecureEndpointClient({ baseUrl: sim.url, clientId: sim.clientId, apiKey: sim.apiKey, ...overrides });
  const fleet = (count: number, ip = '10.9.9.9'): string[] =>
    Array.from({ length: count }, (_, i) => sim.addComputer({ hostname: `BULK-${i}`, internalIps: [ip] }));

  beforeAll(async () => {
    sim = await startSecureEndpointSimulator();
  });
  beforeEach(() => sim.reset());
  afterAll(() => sim.close());

  it('authenticates with HTTP Basic client id:API key and asks for gzip', async () => {
    const { fetch, sent } = recordingFetch();
    await client({ fetch }).computersByInternalIp('10.10.20.7');
    const basic = Buffer.from(`${sim.clientId}:${sim.apiKey}`).toString('base64');
    expect(sent[0]?.headers.get('authorization')).toBe(`Basic ${basic}`);
    expect(sent[0]?.headers.get('accept-encoding')).toBe('gzip');
    expect(sent[0]?.url).toBe(`${sim.url}/v1/computers?internal_ip=10.10.20.7&offset=0&limit=100`);
  });

  it('returns typed computers for an internal IP, with OS, addresses and isolation', async () => {
    const list = await client().computersByInternalIp('10.10.50.3');
    expect(list).toMatchObject({ total: 1, truncated: false });
    expect(list.items[0]).toMatchObject({
      hostname: 'HR-DESKTOP-03.corp.example',
      active: true,
      operatingSystem: 'Windows 10 Enterprise',
      internalIps: ['10.10.50.3'],
      isolation: { available: true, status: 'isolated' },
    });
    expect(list.items[0]?.connectorGuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(list.items[0]?.links.trajectory).toBe(`${sim.url}/v1/computers/${list.items[0]?.connectorGuid}/trajectory`);
  });

  it('returns an empty list when no computer has the IP', async () => {
    await expect(client().computersByInternalIp('10.255.255.254')).resolves.toEqual({
      items: [],
      total: 0,
      truncated: false,
    });
  });

  it('lists the computers that saw a SHA-256 in their activity', async () => {
    const list = await client().computerActivity(EICAR_SHA256);
    expect(list.items.map((c) => c.hostname)).toEqual(['FIN-LAPTOP-07.corp.example', 'HR-DESKTOP-03.corp.example']);
  });

  it('follows metadata.links.next until the last page', async () => {
    fleet(5);
    sim.setVerdict('evil.example', { computers: ['BULK-0', 'BULK-1', 'BULK-2', 'BULK-3', 'BULK-4'] });
    const list = await client({ pageSize: 2 }).computerActivity('evil.example');
    expect(list).toMatchObject({ total: 5, truncated: false });
    expect(list.items.map((c) => c.hostname)).toEqual(['BULK-0', 'BULK-1', 'BULK-2', 'BULK-3', 'BULK-4']);
    expect(sim.calls.filter((c) => c.path === ACTIVITY)).toHaveLength(3);
  });

  it('stops at the page cap and says the list is truncated', async () => {
    fleet(5);
    const list = await client().computersByInternalIp('10.9.9.9', { pageSize: 2, maxPages: 2 });
    expect(list).toMatchObject({ total: 5, truncated: true });
    expect(list.items).toHaveLength(4);
    expect(sim.calls).toHaveLength(2);
  });

  it('requests a next link on its own base URL, never on the host the link names', async () => {
    const { fetch, sent } = recordingFetch();
    const pages = [
      {
        metadata: {
          links: { next: 'https://attacker.example/v1/computers/activity?q=x&offset=1&limit=1' },
          results: { total: 2 },
        },
        data: [] as unknown[],
      },
      { metadata: { results: { total: 2 } }, data: [] as unknown[] },
    ];
    const computer = { connector_guid: 'a-1', hostname: 'h', active: true };
    pages[0]?.data.push(computer);
    pages[1]?.data.push({ ...computer, connector_guid: 'a-2' });
    const api = await rawServer((req, res) => sendJson(res, req.url?.includes('offset=1') ? pages[1] : pages[0]));
    try {
      const list = await client({ baseUrl: api.url, fetch, pageSize: 1 }).computerActivity('x');
      expect(list.items.map((c) => c.connectorGuid)).toEqual(['a-1', 'a-2']);
      expect(sent.map((s) => new URL(s.url).origin)).toEqual([api.url, api.url]);
      expect(sent[1]?.url).toBe(`${api.url}${ACTIVITY}?q=x&offset=1&limit=1`);
    } finally {
      await api.close();
    }
  });

  it('throws a WireError when a next link leaves the listing it continues', async () => {
    const api = await rawServer((_req, res) =>
      sendJson(res, { metadata: { links: { next: 'https://api.amp.cisco.com/v1/file_lists/x' } }, data: [] }),
    );
    try {
      await expect(client({ baseUrl: api.url }).computersByInternalIp('10.0.0.1')).rejects.toThrow(WireError);
    } finally {
      await api.close();
    }
  });

  it('returns the detection events of a file with host, user and file details', async () => {
    const list = await client().eventsForSha256(EICAR_SHA256.toUpperCase());
    expect(list.total).toBe(2);
    expect(list.items[0]).toMatchObject({
      eventType: 'Threat Detected',
      eventTypeId: 1090519054,
      detection: 'W32.EICAR.Test.Sig',
      computer: { hostname: 'FIN-LAPTOP-07.corp.example', user: 'alice@corp.example', internalIps: ['10.10.20.7'] },
      file: { fileName: 'eicar.com', sha256: EICAR_SHA256, disposition: 'Malicious' },
    });
    expect(list.items[0]?.id).toMatch(/^\d+$/);
  });

  it('keeps 64-bit event ids exact, as the simulator sends them unquoted', async () => {
    const { items } = await client().eventsForSha256(EICAR_SHA256);
    const raw = await (
      await fetch(`${sim.url}/v1/events?detection_sha256=${EICAR_SHA256}`, {
        headers: { Authorization: `Basic ${Buffer.from(`${sim.clientId}:${sim.apiKey}`).toString('base64')}` },
      })
    ).text();
    const sent = [...raw.matchAll(/"id":(\d+)/g)].map((m) => m[1]);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((id) => !Number.isSafeInteger(Number(id)))).toBe(true);
    expect(items.map((e) => e.id)).toEqual(sent);
  });

  it("reads the event ids of a real answer (Cisco's own example) without losing digits", async () => {
    const api = await rawServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(readFileSync(new URL('../../fixtures/secure-endpoint/events-64bit-ids.json', import.meta.url)));
    });
    try {
      const list = await client({ baseUrl: api.url }).eventsForSha256(
        'a78c29d1fa05c2b23d1dc9b75da8c053399143682fe3779bc466f10e1a997850',
      );
      expect(list.items.map((e) => e.id)).toEqual(['6533241145273614340', '6533241145273614339']);
      expect(list.items[1]).toMatchObject({ detection: 'W32.Overdrive.RET', file: { fileName: 'SqGGuYXyy.exe' } });
    } finally {
      await api.close();
    }
  });

  it('exposes the X-RateLimit budget of the last response', async () => {
    const limited = await startSecureEndpointSimulator({ hourlyLimit: 10 });
    try {
      const c = new SecureEndpointClient({ baseUrl: limited.url, clientId: limited.clientId, apiKey: limited.apiKey });
      expect(c.rateLimit()).toBeUndefined();
      await c.computersByInternalIp('10.10.20.7');
      await c.computersByInternalIp('10.10.20.7');
      const budget = c.rateLimit();
      expect(budget).toMatchObject({ limit: 10, remaining: 8 });
      expect(budget?.resetSeconds).toBeGreaterThan(3590);
      expect(budget?.resetAt?.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
    } finally {
      await limited.close();
    }
  });

  it('turns a 429 into a transient ApiError retrying after X-RateLimit-Reset, and records the empty budget', async () => {
    sim.rateLimitNext(1, 120);
    const c = client();
    const error = await c.computerActivity('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, transient: true, retryAfterSeconds: 120 });
    expect(c.rateLimit()).toMatchObject({ remaining: 0, resetSeconds: 120 });
  });

  it('answers 429 once the hourly budget is spent', async () => {
    const limited = await startSecureEndpointSimulator({ hourlyLimit: 1 });
    try {
      const c = new SecureEndpointClient({ baseUrl: limited.url, clientId: limited.clientId, apiKey: limited.apiKey });
      await c.computersByInternalIp('10.10.20.7');
      await expect(c.computersByInternalIp('10.10.20.7')).rejects.toMatchObject({ status: 429 });
    } finally {
      await limited.close();
    }
  });

  it('reports wrong credentials as an ApiError 401 with the API description and without the key', async () => {
    const apiKey = 'Not-The-Right-Key-0000';
    const error = await client({ apiKey })
      .computerActivity('x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 401,
      service: 'secure-endpoint',
      detail: 'Unauthorized: Unknown API key or Client ID',
    });
    expect(everythingShownBy(error)).not.toContain(apiKey);
    expect(everythingShownBy(error)).not.toContain(Buffer.from(`${sim.clientId}:${apiKey}`).toString('base64'));
  });

  it('throws a NetworkError marked timedOut when the API is slower than the timeout', async () => {
    sim.setLatency(500);
    const error = await client({ timeoutMs: 100 })
      .computersByInternalIp('10.10.20.7')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).timedOut).toBe(true);
  });

  it('throws a transient ApiError on a 5xx', async () => {
    sim.failNext(1, 503);
    await expect(client().eventsForSha256(EICAR_SHA256)).rejects.toMatchObject({ status: 503, transient: true });
  });

  it('throws a WireError when a computer has a connector guid that could escape a path', async () => {
    const hostile = JSON.parse(
      readFileSync(new URL('../../fixtures/secure-endpoint/hostile.json', import.meta.url), 'utf8'),
    ) as { body: unknown }[];
    const api = await rawServer((_req, res) => sendJson(res, { data: [hostile[0]?.body] }));
    try {
      await expect(client({ baseUrl: api.url }).computersByInternalIp('10.0.0.1')).rejects.toThrow(WireError);
    } finally {
      await api.close();
    }
  });

  it('refuses malformed input before sending anything', async () => {
    const c = client();
    await expect(c.computersByInternalIp('10.0.0.1/24')).rejects.toThrow(RangeError);
    await expect(c.computerActivity('   ')).rejects.toThrow(RangeError);
    await expect(c.computerActivity('x\ny')).rejects.toThrow(RangeError);
    await expect(c.eventsForSha256('abc')).rejects.toThrow(RangeError);
    await expect(c.computerActivity('x', { pageSize: 501 })).rejects.toThrow(RangeError);
    expect(sim.calls).toEqual([]);
  });

  it('accepts a base URL ending in /v1 and defaults to the North America host', async () => {
    await expect(client({ baseUrl: `${sim.url}/v1/` }).computersByInternalIp('10.10.20.7')).resolves.toMatchObject({
      total: 1,
    });
    expect(SECURE_ENDPOINT_REGIONS).toEqual({
      nam: 'https://api.amp.cisco.com',
      eu: 'https://api.eu.amp.cisco.com',
      apjc: 'https://api.apjc.amp.cisco.com',
    });
    expect(() => new SecureEndpointClient({ clientId: 'c', apiKey: '', baseUrl: sim.url })).toThrow(TypeError);
    expect(
      () => new SecureEndpointClient({ clientId: 'c', apiKey: 'k', baseUrl: 'https://c:k@api.amp.cisco.com' }),
    ).toThrow(TypeError);
  });
});
