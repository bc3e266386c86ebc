import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  EICAR_SHA256,
  startVirusTotalSimulator,
  urlSha256,
  type VirusTotalSimulator,
} from '../../sandbox/virustotal/index.js';

interface VtObject {
  data: { id: string; type: string; links: { self: string }; attributes: Record<string, unknown> };
}

describe('VirusTotal simulator', () => {
  let sim: VirusTotalSimulator;

  beforeAll(async () => {
    sim = await startVirusTotalSimulator();
  });
  beforeEach(() => sim.reset());
  afterAll(() => sim.close());

  const get = (path: string, key: string | null = sim.apiKey): Promise<Response> =>
    fetch(`${sim.baseUrl}${path}`, key === null ? {} : { headers: { 'x-apikey': key } });
  const object = async (path: string): Promise<VtObject> => (await (await get(path)).json()) as VtObject;
  const control = (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${sim.url}/_sim${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    });

  it('answers AuthenticationRequiredError without x-apikey and WrongCredentialsError with a wrong one', async () => {
    const missing = await get('/domains/example.com', null);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({
      error: { code: 'AuthenticationRequiredError', message: 'X-Apikey header is missing' },
    });
    const wrong = await get('/domains/example.com', 'nope');
    expect(await wrong.json()).toEqual({ error: { code: 'WrongCredentialsError', message: 'Wrong API key' } });
  });

  it('serves objects with id, type, self link and last analysis stats, reputation and date', async () => {
    const { data } = await object('/ip_addresses/198.51.100.23');
    expect(data).toMatchObject({
      id: '198.51.100.23',
      type: 'ip_address',
      links: { self: `${sim.baseUrl}/ip_addresses/198.51.100.23` },
    });
    expect(data.attributes).toMatchObject({
      last_analysis_stats: { harmless: 46, malicious: 12, suspicious: 2, undetected: 10, timeout: 0 },
      reputation: -21,
      last_analysis_date: expect.any(Number),
    });
    expect((await object('/domains/internetbadguys.com')).data.type).toBe('domain');
  });

  it('finds a file by SHA-256, SHA-1 or MD5 and always answers its SHA-256 as id', async () => {
    for (const hash of [EICAR_SHA256, '3395856ce81f2b7382dee72602f798b642f14140', '44D88612FEA8A8F36DE82E1278ABB02F']) {
      const { data } = await object(`/files/${hash}`);
      expect(data).toMatchObject({ id: EICAR_SHA256, type: 'file' });
    }
  });

  it('finds a URL by unpadded URL-safe base64 id or by SHA-256, answering the SHA-256 as id', async () => {
    const url = 'http://internetbadguys.com/';
    const byBase64 = await object(`/urls/${Buffer.from(url).toString('base64url')}`);
    expect(byBase64.data).toMatchObject({ id: urlSha256(url), type: 'url', attributes: { url } });
    expect((await object(`/urls/${urlSha256(url)}`)).data.id).toBe(urlSha256(url));
  });

  it('answers 404 NotFoundError for an object it does not know', async () => {
    const res = await get('/domains/never-seen.example');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'NotFoundError', message: 'Domain "never-seen.example" not found' },
    });
  });

  it('answers 400 InvalidArgumentError to a malformed id', async () => {
    const res = await get('/ip_addresses/999.1.1.1');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'InvalidArgumentError' } });
    expect((await get('/files/not-a-hash')).status).toBe(400);
  });

  it('enforces a per-minute quota per key when asked, freeing slots as the minute slides', async () => {
    let now = 1_000_000;
    const quota = await startVirusTotalSimulator({ quotaPerMinute: 4, now: () => now });
    try {
      const call = (): Promise<Response> =>
        fetch(`${quota.baseUrl}/domains/example.com`, { headers: { 'x-apikey': quota.apiKey } });
      for (let i = 0; i < 4; i += 1) {
        expect((await call()).status).toBe(200);
        now += 10_000;
      }
      const refused = await call();
      expect(refused.status).toBe(429);
      expect(await refused.json()).toEqual({ error: { code: 'QuotaExceededError', message: 'Quota exceeded' } });
      expect(refused.headers.get('retry-after')).toBeNull();
      now = 1_000_000 + 60_000;
      expect((await call()).status).toBe(200);
      expect((await call()).status).toBe(429);
    } finally {
      await quota.close();
    }
  });

  it('turns the quota on and off over HTTP, and back to the start option on reset', async () => {
    expect((await control('POST', '/quota', { perMinute: 1 })).status).toBe(204);
    expect((await get('/domains/example.com')).status).toBe(200);
    expect((await get('/domains/example.com')).status).toBe(429);
    expect((await control('POST', '/quota', { perMinute: null })).status).toBe(204);
    expect((await get('/domains/example.com')).status).toBe(200);
    sim.setQuota(1);
    sim.reset();
    expect((await get('/domains/example.com')).status).toBe(200);
    expect((await get('/domains/example.com')).status).toBe(200);
  });

  it('answers injected faults with the VT error codes and Retry-After only when asked', async () => {
    sim.rateLimitNext(1);
    sim.failNext(1, 503);
    const limited = await get('/domains/example.com');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeNull();
    expect(await limited.json()).toMatchObject({ error: { code: 'QuotaExceededError' } });
    expect(await (await get('/domains/example.com')).json()).toMatchObject({ error: { code: 'TransientError' } });
    sim.rateLimitNext(1, 60);
    expect((await get('/domains/example.com')).headers.get('retry-after')).toBe('60');
  });

  it('sets verdicts over HTTP, telling IPs, hashes, URLs and domains apart', async () => {
    const observables = ['192.0.2.9', 'c'.repeat(40), 'https://evil.example/login', 'evil.example'];
    for (const observable of observables) {
      expect((await control('POST', '/verdicts', { observable, malicious: 3 })).status).toBe(204);
    }
    expect((await object('/ip_addresses/192.0.2.9')).data.type).toBe('ip_address');
    expect((await object(`/files/${'c'.repeat(40)}`)).data.type).toBe('file');
    expect((await object(`/urls/${Buffer.from('https://evil.example/login').toString('base64url')}`)).data.type).toBe(
      'url',
    );
    expect((await object('/domains/evil.example')).data.type).toBe('domain');
    expect((await control('POST', '/verdicts', { observable: 'x.example', malicious: -1 })).status).toBe(400);
  });

  it('records calls without the key, and comes with malicious, suspicious and clean demo verdicts', async () => {
    await get('/domains/example.com');
    expect(sim.calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual(['GET /api/v3/domains/example.com 200']);
    expect(JSON.stringify(sim.calls)).not.toContain(sim.apiKey);
    const stats = async (path: string) =>
      (await object(path)).data.attributes.last_analysis_stats as Record<string, number>;
    expect((await stats(`/files/${EICAR_SHA256}`)).malicious).toBeGreaterThan(50);
    expect(await stats('/ip_addresses/203.0.113.50')).toMatchObject({ malicious: 0, suspicious: 3 });
    expect(await stats('/domains/example.com')).toMatchObject({ malicious: 0, suspicious: 0 });
  });
});
