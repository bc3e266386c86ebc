import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../integrations/http.js';
import { parseRetryAfter } from '../../../integrations/wire.js';
import { XdrClient } from '../../../integrations/xdr/index.js';
import { everythingShownBy, fixture, startFixtureServer } from './helpers.js';

const SECRET = 'S3cr3t-Client-Password-That-Must-Not-Leak';
const CLIENT_ID = 'client-0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9';
const token = fixture<{ access_token: string }>('token.json');

/**
 * Wire shapes the simulator never sends (legacy SecureX modules, hostile refer links, a broken
 * server echoing credentials), served by a tiny real HTTP server.
 */
describe('XdrClient on recorded and hostile wire shapes', () => {
  let server: Awaited<ReturnType<typeof startFixtureServer>>;
  const bodies = new Map<string, { status: number; json: unknown }>();

  beforeAll(async () => {
    server = await startFixtureServer((req) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/iroh/oauth2/token') return { status: 200, json: fixture('token.json') };
      return bodies.get(path) ?? { status: 404, json: { error: 'not_found' } };
    });
  });
  afterAll(() => server.close());

  function client(): XdrClient {
    return new XdrClient({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      apiUrl: server.url,
      privateIntelUrl: server.url,
    });
  }

  it('reads the legacy "module-type" key as module_type_id, in data and in errors', async () => {
    bodies.set('/iroh/iroh-enrich/observe/observables', { status: 200, json: fixture('observe-legacy.json') });
    const result = await client().observe([{ type: 'sha256', value: 'a'.repeat(64) }]);

    expect(result.data[0]).toMatchObject({
      module: 'AMP File Reputation',
      module_type_id: '6f24c0f4-5b6a-4978-8877-665544332211',
    });
    expect(result.data[0]).not.toHaveProperty('module-type');
    expect(result.data[0]?.data.judgements?.docs[0]?.source).toBe('AMP Protect DB');
    expect(result.data[0]?.data.malwares).toEqual({ count: 1, docs: [{ type: 'malware', title: 'kept as sent' }] });
    expect(result.errors).toEqual([
      expect.objectContaining({ module: 'Umbrella', module_type_id: 'a1b2c3d4-5b6a-4978-8877-665544332211' }),
    ]);
  });

  it('reads a bundle import error sent as an object as text, never "[object Object]"', async () => {
    bodies.set('/ctia/bundle/import', { status: 200, json: fixture('bundle-import-error-object.json') });
    const results = await client().importBundle({ type: 'bundle', source: 'sna-webex-bot' });

    const failed = results.filter((r) => r.result === 'error');
    expect(failed.map((r) => r.error)).toEqual([
      'Invalid TLP Error: Invalid document TLP red, allowed TLPs are: green,amber',
    ]);
    expect(failed.map((r) => `${r.msg ?? r.error ?? 'error'}`).join('; ')).not.toContain('[object Object]');
  });

  it('drops refer links that are not http(s) and reports each as a warning', async () => {
    bodies.set('/iroh/iroh-enrich/refer/observables', { status: 200, json: fixture('refer-hostile.json') });
    const { data, errors } = await client().refer([{ type: 'domain', value: 'ilo.brenz.pl' }]);

    expect(data.map((r) => r.id)).toEqual(['ref-talos-search-domain-ilo.brenz.pl']);
    expect(errors).toEqual([
      expect.objectContaining({ module: 'Rogue Module', code: 'invalid-reference-url', type: 'warning' }),
      expect.objectContaining({ module: 'Rogue Module', code: 'invalid-reference-url', type: 'warning' }),
    ]);
    expect(JSON.stringify(errors)).not.toContain('javascript:');
  });

  it('parses the contract example of a created judgement, keeping every field', async () => {
    bodies.set('/ctia/judgement', { status: 201, json: fixture('judgement-created.json') });
    const judgement = await client().createJudgement({
      observable: { type: 'ip', value: '203.0.113.7' },
      source: 'sna-webex-bot',
      priority: 95,
      confidence: 'High',
      severity: 'High',
    });
    expect(judgement.id).toMatch(/:443\/ctia\/judgement\/judgement-/);
    expect(judgement).toMatchObject({ disposition: 2, client_id: CLIENT_ID, groups: ['6f0e2a1b-org'] });
  });

  it('never shows the client secret or the token in errors, even when the server echoes them', async () => {
    const basic = Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64');
    bodies.set('/ctia/incident/search', {
      status: 500,
      json: { error: 'unknown server error', echo: `Bearer ${token.access_token} Basic ${basic} ${SECRET}` },
    });
    const error = await client()
      .searchIncidents('title:"x"')
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    const shown = everythingShownBy(error);
    for (const secret of [SECRET, basic, token.access_token]) expect(shown).not.toContain(secret);
    expect((error as ApiError).detail).toContain('[REDACTED]');
  });

  it('reports a 2xx body of the wrong shape as a WireError', async () => {
    bodies.set('/ctia/indicator/search', { status: 200, json: { not: 'an array' } });
    await expect(client().searchIndicators('title:"x"')).rejects.toMatchObject({ code: 'wire_error' });
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120],
    ['3172s', 3172],
    [' 30 s ', 30],
    ['10 seconds', 10],
    ['Wed, 21 Oct 2015 07:28:10 GMT', 10],
  ])('reads %j as %d seconds', (header, seconds) => {
    expect(parseRetryAfter(header, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(seconds);
  });

  it.each(['', 'soon', 's', '-5s'])('gives up on %j', (header) => {
    expect(parseRetryAfter(header)).toBeUndefined();
  });
});
