import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, type FetchLike, NetworkError, WireError } from '../../../integrations/http.js';
import { VirusTotalClient, type VirusTotalClientOptions } from '../../../integrations/virustotal/client.js';
import {
  EICAR_SHA256,
  startVirusTotalSimulator,
  urlSha256,
  type VirusTotalSimulator,
} from '../../../sandbox/virustotal/index.js';

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

describe('VirusTotalClient against the VirusTotal simulator', () => {
  let sim: VirusTotalSimulator;

  const client = (overrides: Partial<VirusTotalClientOptions> = {}): VirusTotalClient =>
    new VirusTotalClient({ baseUrl: sim.baseUrl, apiKey: sim.apiKey, ...overrides });

  beforeAll(async () => {
    sim = await startVirusTotalSimulator();
  });
  beforeEach(() => sim.reset());
  afterAll(() => sim.close());

  it('sends the key in x-apikey and nowhere in the URL', async () => {
    const { fetch, sent } = recordingFetch();
    await client({ fetch }).lookup({ type: 'ip', value: '198.51.100.23' });
    expect(sent[0]?.headers.get('x-apikey')).toBe(sim.apiKey);
    expect(sent[0]?.url).toBe(`${sim.baseUrl}/ip_addresses/198.51.100.23`);
  });

  it('returns stats, reputation, analysis date and GUI link of a known file, also when asked by MD5', async () => {
    sim.setVerdict(EICAR_SHA256, {
      malicious: 62,
      suspicious: 1,
      harmless: 0,
      undetected: 7,
      reputation: -37,
      md5: '44d88612fea8a8f36de82e1278abb02f',
      lastAnalysisDate: '2023-11-15T11:54:50Z',
    });
    const expected = {
      found: true,
      stats: { harmless: 0, malicious: 62, suspicious: 1, undetected: 7, timeout: 0 },
      reputation: -37,
      lastAnalysisDate: '2023-11-15T11:54:50.000Z',
      link: `https://www.virustotal.com/gui/file/${EICAR_SHA256}`,
    };
    await expect(client().lookup({ type: 'sha256', value: EICAR_SHA256 })).resolves.toEqual(expected);
    await expect(client().lookup({ type: 'md5', value: '44D88612FEA8A8F36DE82E1278ABB02F' })).resolves.toEqual(
      expected,
    );
  });

  it('looks a URL up by its unpadded URL-safe base64 id and links to its SHA-256 page', async () => {
    const { fetch, sent } = recordingFetch();
    const url = 'http://internetbadguys.com/';
    const result = await client({ fetch }).lookup({ type: 'url', value: url });
    expect(sent[0]?.url).toBe(`${sim.baseUrl}/urls/aHR0cDovL2ludGVybmV0YmFkZ3V5cy5jb20v`);
    expect(result).toMatchObject({
      found: true,
      stats: { malicious: 9 },
      link: `https://www.virustotal.com/gui/url/${urlSha256(url)}`,
    });
  });

  it('gives malicious, suspicious and clean answers for the demo IPs and domains', async () => {
    const c = client();
    const results = await Promise.all([
      c.lookup({ type: 'ip', value: '198.51.100.23' }),
      c.lookup({ type: 'ip', value: '203.0.113.50' }),
      c.lookup({ type: 'domain', value: 'example.com' }),
    ]);
    expect(results.map((r) => (r.found ? [r.stats.malicious, r.stats.suspicious] : null))).toEqual([
      [12, 2],
      [0, 3],
      [0, 0],
    ]);
    expect(results[2]).toMatchObject({ link: 'https://www.virustotal.com/gui/domain/example.com' });
    expect(results[0]).toMatchObject({ link: 'https://www.virustotal.com/gui/ip-address/198.51.100.23' });
  });

  it('answers { found: false } when VirusTotal has never seen the observable (404 NotFoundError)', async () => {
    await expect(client().lookup({ type: 'domain', value: 'never-seen.example' })).resolves.toEqual({ found: false });
    await expect(client().lookup({ type: 'sha1', value: 'a'.repeat(40) })).resolves.toEqual({ found: false });
    expect(sim.calls.map((c) => c.status)).toEqual([404, 404]);
  });

  it('treats a 404 without a NotFoundError body (a wrong base URL) as an ApiError, not as unknown', async () => {
    const plain = await rawServer((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end('<h1>Not Found</h1>');
    });
    try {
      await expect(client({ baseUrl: plain.url }).lookup({ type: 'domain', value: 'x.example' })).rejects.toMatchObject(
        {
          status: 404,
          detail: '<h1>Not Found</h1>',
        },
      );
    } finally {
      await plain.close();
    }
  });

  it('reports a wrong key as an ApiError 401 whose detail is the VT code, without the key', async () => {
    const apiKey = 'f'.repeat(64);
    const error = await client({ apiKey })
      .lookup({ type: 'domain', value: 'example.com' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, service: 'virustotal', detail: 'WrongCredentialsError: Wrong API key' });
    expect(everythingShownBy(error)).not.toContain(apiKey);
  });

  it('reports the 5th request of a minute under the public quota as a transient 429 QuotaExceededError', async () => {
    sim.setQuota(4);
    const c = client();
    for (let i = 0; i < 4; i += 1) await c.lookup({ type: 'ip', value: '8.8.8.8' });
    const error = await c.lookup({ type: 'ip', value: '8.8.8.8' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, transient: true, retryAfterSeconds: undefined });
    expect((error as ApiError).detail).toMatch(/^QuotaExceededError/);
  });

  it('passes on Retry-After when a 429 carries one', async () => {
    sim.rateLimitNext(1, 30);
    await expect(client().lookup({ type: 'ip', value: '8.8.8.8' })).rejects.toMatchObject({
      status: 429,
      retryAfterSeconds: 30,
    });
  });

  it('throws a NetworkError marked timedOut when VirusTotal is slower than the timeout', async () => {
    sim.setLatency(500);
    const error = await client({ timeoutMs: 100 })
      .lookup({ type: 'ip', value: '8.8.8.8' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).timedOut).toBe(true);
  });

  it('throws a transient ApiError on a 5xx', async () => {
    sim.failNext(1, 503);
    await expect(client().lookup({ type: 'ip', value: '8.8.8.8' })).rejects.toMatchObject({
      status: 503,
      transient: true,
      detail: 'TransientError: Simulated failure',
    });
  });

  it('throws a WireError when the object id could break out of the GUI link', async () => {
    const hostile = await rawServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          data: {
            id: '../../evil',
            type: 'domain',
            attributes: { last_analysis_stats: { harmless: 0, malicious: 0, suspicious: 0, undetected: 0 } },
          },
        }),
      );
    });
    try {
      await expect(client({ baseUrl: hostile.url }).lookup({ type: 'domain', value: 'x.example' })).rejects.toThrow(
        WireError,
      );
    } finally {
      await hostile.close();
    }
  });

  it('refuses a value that does not fit its type before sending anything', async () => {
    await expect(client().lookup({ type: 'sha256', value: EICAR_SHA256.slice(1) })).rejects.toThrow(RangeError);
    await expect(client().lookup({ type: 'domain', value: 'a/../../files' })).rejects.toThrow(RangeError);
    expect(sim.calls).toEqual([]);
  });

  it('refuses a missing key and a base URL carrying credentials', () => {
    expect(() => new VirusTotalClient({ apiKey: '' })).toThrow(TypeError);
    expect(() => new VirusTotalClient({ apiKey: 'k', baseUrl: 'https://www.virustotal.com/api/v3?apikey=k' })).toThrow(
      TypeError,
    );
  });
});
