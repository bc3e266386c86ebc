/**
 * The Secure Endpoint enrichment row over captured answers (api.amp.cisco.com links and all), served
 * by a local HTTP server that stands in for a regional API host.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchLike } from '../../../../integrations/http.js';
import { SecureEndpointClient } from '../../../../integrations/secure-endpoint/client.js';
import { secureEndpointSource } from '../../../../bot/enrich/sources/secure-endpoint.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../fixtures/secure-endpoint/${name}`, import.meta.url), 'utf8');

const SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';

describe('Secure Endpoint enrichment', () => {
  let server: Server;
  let local: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const body = path === '/v1/computers/activity' ? fixture('activity.json') : fixture('computers.json');
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    local = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** A client that believes it talks to `baseUrl`; every request goes to the local server. */
  const clientFor = (baseUrl: string): SecureEndpointClient => {
    const fetch: FetchLike = (input, init) => {
      const url = new URL(String(input));
      return globalThis.fetch(`${local}${url.pathname}${url.search}`, init);
    };
    return new SecureEndpointClient({ baseUrl, clientId: 'id', apiKey: 'key', fetch, maxPages: 1 });
  };

  it.each([
    ['https://api.amp.cisco.com', 'https://console.amp.cisco.com'],
    ['https://api.eu.amp.cisco.com', 'https://console.eu.amp.cisco.com'],
    ['https://api.apjc.amp.cisco.com', 'https://console.apjc.amp.cisco.com'],
  ])('links "Device trajectory" to the console of %s, never to the API', async (api, console) => {
    const answer = await secureEndpointSource(clientFor(api)).lookup(
      { type: 'sha256', value: SHA256 },
      new AbortController().signal,
    );
    expect(answer.pivots).toEqual([
      {
        title: 'Device trajectory',
        url: `${console}/computers/5e8a4a8c-16f6-4e8b-9d1b-1a0c8f9e2b11/trajectory?q=${SHA256}`,
      },
    ]);
    expect(JSON.stringify(answer)).not.toContain('/v1/');
  });

  it('puts the address looked up in the trajectory query of the computer that owns it', async () => {
    const answer = await secureEndpointSource(clientFor('https://api.amp.cisco.com')).lookup(
      { type: 'ip', value: '10.10.20.7' },
      new AbortController().signal,
    );
    expect(answer.pivots?.[0]?.url).toBe(
      'https://console.amp.cisco.com/computers/5e8a4a8c-16f6-4e8b-9d1b-1a0c8f9e2b11/trajectory?q=10.10.20.7',
    );
  });
});
