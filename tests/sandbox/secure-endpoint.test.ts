import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  EICAR_SHA256,
  type SecureEndpointSimulator,
  startSecureEndpointSimulator,
} from '../../sandbox/secure-endpoint/index.js';

interface Envelope {
  version: string;
  metadata: { links: { self: string; next?: string; prev?: string }; results: Record<string, number> };
  data: Record<string, unknown>[];
}

describe('Secure Endpoint simulator', () => {
  let sim: SecureEndpointSimulator;

  beforeAll(async () => {
    sim = await startSecureEndpointSimulator();
  });
  beforeEach(() => sim.reset());
  afterAll(() => sim.close());

  const basic = (id = sim.clientId, key = sim.apiKey): string =>
    `Basic ${Buffer.from(`${id}:${key}`).toString('base64')}`;
  const get = (path: string, authorization = basic()): Promise<Response> =>
    fetch(`${sim.url}${path}`, { headers: { Authorization: authorization } });
  const page = async (path: string): Promise<Envelope> => (await (await get(path)).json()) as Envelope;
  const control = (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${sim.url}/_sim${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    });

  it('answers wrong credentials with the 401 body of the contract, word for word', async () => {
    const res = await get('/v1/computers', basic(sim.clientId, 'wrong'));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      version: 'v0.1.0',
      data: {},
      errors: [{ error_code: 401, description: 'Unauthorized', details: ['Unknown API key or Client ID'] }],
    });
  });

  it('wraps listings in the envelope and pages them with limit, offset and next/prev links', async () => {
    for (let i = 0; i < 5; i += 1) sim.addComputer({ hostname: `BULK-${i}`, internalIps: ['10.9.9.9'] });
    const first = await page('/v1/computers?internal_ip=10.9.9.9&limit=2');
    expect(first.version).toBe('v1.2.0');
    expect(first.metadata.results).toEqual({ total: 5, current_item_count: 2, index: 0, items_per_page: 2 });
    expect(first.metadata.links.next).toBe(`${sim.url}/v1/computers?internal_ip=10.9.9.9&limit=2&offset=2`);
    expect(first.metadata.links.prev).toBeUndefined();
    const last = await page('/v1/computers?internal_ip=10.9.9.9&limit=2&offset=4');
    expect(last.data.map((c) => c.hostname)).toEqual(['BULK-4']);
    expect(last.metadata.links.next).toBeUndefined();
    expect(last.metadata.links.prev).toContain('offset=2');
  });

  it('caps limit at 500 and answers 400 to a malformed offset', async () => {
    expect((await page('/v1/computers?limit=9999')).metadata.results.items_per_page).toBe(500);
    const bad = await get('/v1/computers?offset=-1');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errors: [{ error_code: 400, description: 'Bad Request' }] });
  });

  it('serves full computers by internal IP, external IP or hostname, with isolation', async () => {
    const [byInternal] = (await page('/v1/computers?internal_ip=10.10.50.3')).data;
    expect(byInternal).toMatchObject({
      hostname: 'HR-DESKTOP-03.corp.example',
      active: true,
      operating_system: 'Windows 10 Enterprise',
      internal_ips: ['10.10.50.3'],
      isolation: { available: true, status: 'isolated' },
      links: { computer: expect.stringContaining('/v1/computers/') },
    });
    expect((await page('/v1/computers?external_ip=198.51.100.7')).data).toHaveLength(2);
    expect((await page('/v1/computers?hostname[]=web-srv-02.corp.example')).data).toHaveLength(1);
    const guid = String(byInternal?.connector_guid);
    expect(((await page(`/v1/computers/${guid}`)) as unknown as { data: { hostname: string } }).data.hostname).toBe(
      'HR-DESKTOP-03.corp.example',
    );
  });

  it('answers activity items with guid, hostname, processor id, active and links only', async () => {
    const { data } = await page(`/v1/computers/activity?q=${EICAR_SHA256}`);
    expect(data.map((c) => Object.keys(c).sort())).toEqual([
      ['active', 'connector_guid', 'hostname', 'links', 'windows_processor_id'],
      ['active', 'connector_guid', 'hostname', 'links', 'windows_processor_id'],
    ]);
    expect((await page('/v1/computers/activity?q=203.0.113.50')).data.map((c) => c.hostname)).toEqual([
      'ENG-LAPTOP-12.corp.example',
    ]);
    expect((await get('/v1/computers/activity')).status).toBe(400);
  });

  it('serves one Threat Detected event per computer for a SHA-256 with a detection', async () => {
    const { data } = await page(`/v1/events?detection_sha256=${EICAR_SHA256}`);
    expect(data).toHaveLength(2);
    expect(data[0]).toMatchObject({
      event_type: 'Threat Detected',
      event_type_id: 1090519054,
      detection: 'W32.EICAR.Test.Sig',
      computer: { hostname: 'FIN-LAPTOP-07.corp.example', user: 'alice@corp.example' },
      file: { file_name: 'eicar.com', identity: { sha256: EICAR_SHA256 }, disposition: 'Malicious' },
    });
    expect((await page(`/v1/events?detection_sha256=${'0'.repeat(64)}`)).data).toEqual([]);
  });

  it('sends X-RateLimit headers that count down, and 429 once the hourly budget is spent', async () => {
    const limited = await startSecureEndpointSimulator({ hourlyLimit: 2 });
    try {
      const call = (): Promise<Response> =>
        fetch(`${limited.url}/v1/computers`, {
          headers: {
            Authorization: `Basic ${Buffer.from(`${limited.clientId}:${limited.apiKey}`).toString('base64')}`,
          },
        });
      const first = await call();
      expect(first.headers.get('x-ratelimit-limit')).toBe('2');
      expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
      expect(Number(first.headers.get('x-ratelimit-reset'))).toBeGreaterThan(3500);
      expect((await call()).headers.get('x-ratelimit-remaining')).toBe('0');
      const refused = await call();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(await refused.json()).toMatchObject({ errors: [{ error_code: 429 }] });
    } finally {
      await limited.close();
    }
  });

  it('answers an injected 429 with an empty budget resetting after the given seconds', async () => {
    sim.rateLimitNext(1, 42);
    const res = await get('/v1/computers');
    expect(res.status).toBe(429);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(res.headers.get('x-ratelimit-reset')).toBe('42');
    expect(res.headers.get('retry-after')).toBeNull();
  });

  it('gzips answers for clients that accept it', async () => {
    const encoding = await new Promise<string | undefined>((resolve, reject) => {
      const req = httpRequest(
        `${sim.url}/v1/computers`,
        { headers: { Authorization: basic(), 'Accept-Encoding': 'gzip' } },
        (res) => {
          res.resume();
          resolve(res.headers['content-encoding']);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(encoding).toBe('gzip');
    expect((await page('/v1/computers')).data.length).toBeGreaterThan(0);
  });

  it('records calls without credentials nor queries, and answers 404 to unknown paths', async () => {
    expect((await get('/v1/file_lists/x')).status).toBe(404);
    await get('/v1/computers?internal_ip=10.10.20.7');
    expect(sim.calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      'GET /v1/file_lists/x 404',
      'GET /v1/computers 200',
    ]);
    const log = JSON.stringify(sim.calls);
    for (const secret of [sim.apiKey, sim.clientId, basic(), '10.10.20.7']) expect(log).not.toContain(secret);
  });

  it('offers computers and verdicts over HTTP under /_sim, and refuses verdicts naming unknown computers', async () => {
    const added = await control('POST', '/computers', {
      hostname: 'NEW-HOST',
      user: 'dave',
      internalIps: ['10.1.1.1'],
    });
    expect(added.status).toBe(201);
    const { connectorGuid } = (await added.json()) as { connectorGuid: string };
    expect((await control('POST', '/verdicts', { observable: 'bad.exe', computers: ['NEW-HOST'] })).status).toBe(204);
    expect((await page('/v1/computers/activity?q=BAD.EXE')).data.map((c) => c.connector_guid)).toEqual([connectorGuid]);
    expect((await control('POST', '/verdicts', { observable: 'x', computers: ['GHOST'] })).status).toBe(400);
    expect((await control('POST', '/computers', { hostname: '' })).status).toBe(400);
    expect(() => sim.setVerdict('x', { computers: ['GHOST'] })).toThrow('no computer GHOST');
  });

  it('describes new computers inline in a verdict, with events when a detection is given', async () => {
    const sha = 'ab'.repeat(32);
    sim.setVerdict(sha, {
      computers: [{ hostname: 'LAB-9', user: 'eve', internalIps: ['10.2.2.2'] }],
      detection: 'Win.Ransomware.X',
      at: '2024-01-02T03:04:05Z',
    });
    const { data } = await page(`/v1/events?detection_sha256=${sha}`);
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({
      timestamp: 1704164645,
      date: '2024-01-02T03:04:05+00:00',
      computer: { hostname: 'LAB-9', user: 'eve' },
    });
    expect((await page('/v1/computers?internal_ip=10.2.2.2')).data).toHaveLength(1);
  });

  it('keeps connector guids stable across resets, for demos', async () => {
    const before = (await page('/v1/computers?internal_ip=10.10.20.7')).data[0]?.connector_guid;
    sim.reset();
    expect((await page('/v1/computers?internal_ip=10.10.20.7')).data[0]?.connector_guid).toBe(before);
  });
});
