/**
 * The XDR relay module of the real bot, called over HTTP with JWTs the XDR simulator signs (and
 * wrong ones), against the SMC and XDR simulators.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import type { RelayTokenInput } from '../../sandbox/xdr/relay-keys.js';
import { ctimIssues, moduleJudgementSchema, moduleSightingSchema } from '../helpers/ctim.js';
import { cardText, createWorld, eventually, hostGroup, startBot, type World } from '../helpers/world.js';

const AUDIENCE = 'https://sna-chatops.corp.example/relay';
const HOST = '10.20.4.17';
const PEER = '203.0.113.45';
const PROTECTED = '10.99.0.5';
const GROUP = 'SNA ChatOps Quarantine';

let world: World;
let app: App;

beforeAll(async () => {
  world = await createWorld();
  app = await startBot(
    world.env({
      RELAY_ENABLED: 'true',
      RELAY_AUDIENCE: AUDIENCE,
      RELAY_JWKS_URL: world.xdr.jwksUrl,
      PROTECTED_RANGES: '10.99.0.0/16',
      SNA_HOST_URL_TEMPLATE: 'https://smc.corp.example/host/{ip}',
    }),
  );
});
afterAll(async () => {
  await app.stop();
  await world.close();
});

const token = (input: Partial<RelayTokenInput> = {}) => world.xdr.mintRelayToken({ audience: AUDIENCE, ...input });

async function relay(
  path: string,
  body: unknown,
  auth: string | undefined,
): Promise<{ status: number; json: Record<string, unknown>; text: string }> {
  const res = await fetch(`${app.url}/relay${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth === undefined ? {} : { authorization: auth }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) as Record<string, unknown>, text };
}

const call = async (path: string, body: unknown = [], input: Partial<RelayTokenInput> = {}) =>
  relay(path, body, `Bearer ${await token(input)}`);
const jwksFetches = () => world.xdr.calls.filter((c) => c.path === '/.well-known/jwks').length;
type Docs = { count: number; docs: Array<Record<string, unknown>> };

describe('relay authentication', () => {
  it('answers a call XDR signed for this relay', async () => {
    const { status, json } = await call('/health');
    expect(status).toBe(200);
    expect(json).toEqual({ data: { status: 'ok' } });
  });

  it.each([
    ['signed by another key', { variant: 'other-key' }, 'Failed to decode JWT with provided key'],
    ['expired', { expiresInSeconds: -60 }, 'JWT has expired'],
    ['for another audience', { audience: 'https://elsewhere.example/relay' }, 'Wrong configuration-token-audience'],
    ['naming a jwks_host outside the region', { jwksHost: 'keys.attacker.example' }, 'Wrong jwks_host in JWT payload'],
    ['naming another region', { jwksHost: 'visibility.eu.amp.cisco.com' }, 'Wrong jwks_host in JWT payload'],
    ['without jwks_host', { variant: 'no-jwks-host' }, 'jwks_host is missing'],
    ['with a kid XDR never published', { variant: 'unknown-kid' }, 'kid from JWT header not found'],
  ] as const)('refuses a token %s with 401 in the relay error shape', async (_what, input, message) => {
    const { status, json, text } = await call('/observe/observables', [{ type: 'ip', value: HOST }], input);
    expect(status).toBe(401);
    expect(json).toEqual({
      errors: [{ code: 'authorization error', message: expect.stringContaining(message), type: 'fatal' }],
    });
    expect(text).not.toMatch(/ at |\.ts:|stack/);
  });

  it('refuses a missing header, another scheme and a token that is not a JWT', async () => {
    for (const auth of [undefined, `Basic ${Buffer.from('a:b').toString('base64')}`, 'Bearer not.a.jwt']) {
      const { status, json } = await relay('/health', [], auth);
      expect(status).toBe(401);
      expect((json.errors as Array<{ code: string }>)[0]?.code).toBe('authorization error');
    }
  });

  it('fetched the JWKS once for all those calls', () => {
    expect(jwksFetches()).toBe(1);
  });
});

describe('relay observe, refer and respond', () => {
  beforeAll(async () => {
    world.smc.addEvent({ typeId: 16, sourceIp: HOST, targetIp: PEER, targetPort: 443, points: 620, hitCount: 3 });
    await eventually(() => world.cards().find((m) => cardText(m).includes(HOST)), 15_000, 'the alert card');
  });

  it('answers sightings of the host that pass CTIM validation, with the host as target and host → peer relations', async () => {
    const { status, json } = await call('/observe/observables', [
      { type: 'ip', value: HOST },
      { type: 'domain', value: 'update-sync.darkrelay.example' },
      { type: 'sha256', value: 'a'.repeat(64) },
    ]);
    expect(status).toBe(200);
    const data = json.data as Record<string, Docs>;
    const sightings = data.sightings?.docs ?? [];
    // One for the incident, one for the SMC security event behind it.
    expect(sightings).toHaveLength(2);
    for (const s of sightings) {
      expect(ctimIssues(moduleSightingSchema, s)).toEqual([]);
      expect(s.observables).toEqual([{ type: 'ip', value: HOST }]);
      expect(s.targets).toEqual([
        { type: 'endpoint', observables: [{ type: 'ip', value: HOST }], observed_time: s.observed_time },
      ]);
      expect(s.relations).toEqual([
        expect.objectContaining({
          relation: 'Connected_To',
          source: { type: 'ip', value: HOST },
          related: { type: 'ip', value: PEER },
          relation_info: { port: 443, protocol: 'tcp' },
        }),
      ]);
      expect(s).toMatchObject({
        internal: true,
        severity: 'High',
        source_uri: `https://smc.corp.example/host/${HOST}`,
      });
    }
    expect(sightings.map((s) => s.title)).toEqual(
      expect.arrayContaining([
        `SNA: High Total Traffic on ${HOST}`,
        `SNA security event: High Total Traffic on ${HOST}`,
      ]),
    );
  });

  it('answers an unknown address with empty data, and only IPs of a mixed list', async () => {
    expect((await call('/observe/observables', [{ type: 'ip', value: '192.0.2.250' }])).json).toEqual({ data: {} });
    expect((await call('/observe/observables', [{ type: 'domain', value: 'example.com' }])).json).toEqual({ data: {} });
  });

  it('reports the peer with the inside host as target, and the block judgement once a responder blocked it', async () => {
    const { message } = await world.webex.userSays({
      personId: world.responder.id,
      roomId: world.alertRoom.id,
      text: `/block ${PEER}`,
      mentionBot: true,
    });
    await eventually(
      () =>
        world.webex
          .messagesIn(world.alertRoom.id)
          .find((m) => m.parentId === message.id && /Blocked/.test(m.markdown ?? '')),
      15_000,
      'the block answer',
    );
    const { json } = await call('/observe/observables', [{ type: 'ip', value: PEER }]);
    const data = json.data as Record<string, Docs>;
    expect(data.sightings?.docs.every((s) => (s.targets as Array<{ observables: unknown[] }>)[0]?.observables[0])).toBe(
      true,
    );
    expect((data.sightings?.docs[0]?.targets as Array<{ observables: unknown }>)[0]?.observables).toEqual([
      { type: 'ip', value: HOST },
    ]);
    const [judgement] = data.judgements?.docs ?? [];
    expect(ctimIssues(moduleJudgementSchema, judgement)).toEqual([]);
    expect(judgement).toMatchObject({ observable: { type: 'ip', value: PEER }, disposition_name: 'Malicious' });
    const stored = (world.xdr.state().judgements as Array<{ id: string }>).map((j) => j.id);
    expect(stored).toContain(judgement?.id);
    expect(data.verdicts?.docs[0]).toMatchObject({ disposition: 2, judgement_id: judgement?.id });
  });

  it('refers to the host report in SNA and to the incident card', async () => {
    const { json } = await call('/refer/observables', [{ type: 'ip', value: HOST }]);
    const refs = json.data as Array<Record<string, unknown>>;
    expect(refs[0]).toEqual({
      id: `ref-sna-host-${HOST}`,
      title: 'Open in SNA',
      description: `Open the host report of ${HOST} in Secure Network Analytics`,
      categories: ['Secure Network Analytics', 'Host report'],
      url: `https://smc.corp.example/host/${HOST}`,
    });
    expect(refs.some((r) => String(r.title).startsWith('Open the SNA ChatOps card of incident'))).toBe(true);
  });

  it('offers quarantine actions for IPs, without adding a protected address', async () => {
    const { json } = await call('/respond/observables', [
      { type: 'ip', value: HOST },
      { type: 'ip', value: PROTECTED },
      { type: 'domain', value: 'example.com' },
    ]);
    const actions = (json.data as Array<{ id: string; 'query-params': { observable_value: string } }>).map(
      (a) => `${a.id} ${a['query-params'].observable_value}`,
    );
    expect(actions).toEqual([
      `sna-quarantine-add ${HOST}`,
      `sna-quarantine-remove ${HOST}`,
      `sna-quarantine-remove ${PROTECTED}`,
    ]);
  });

  it('quarantines the host with the same Tag code as the button, audited as the XDR user', async () => {
    const { status, json } = await call(
      '/respond/trigger',
      { 'action-id': 'sna-quarantine-add', observable_type: 'ip', observable_value: HOST },
      { claims: { email: 'analyst@corp.example' } },
    );
    expect({ status, json }).toEqual({ status: 200, json: { data: { status: 'success' } } });
    expect(hostGroup(world.smc, GROUP)?.ranges).toContain(HOST);
    const [entry] = await app.services.audit.recent(1);
    expect(entry).toMatchObject({
      action: 'tag',
      target: `host:${HOST}`,
      outcome: 'done',
      actor: { name: 'XDR: analyst@corp.example', email: 'analyst@corp.example' },
    });
  });

  it('refuses to quarantine a protected address, in the relay shape, changing nothing and auditing the refusal', async () => {
    const { status, json } = await call(
      '/respond/trigger',
      { 'action-id': 'sna-quarantine-add', observable_type: 'ip', observable_value: PROTECTED },
      { claims: { email: 'analyst@corp.example' } },
    );
    expect(status).toBe(403);
    expect(json).toEqual({
      data: { status: 'failure' },
      errors: [{ code: 'refused', message: expect.stringContaining('PROTECTED_RANGES'), type: 'fatal' }],
    });
    expect(hostGroup(world.smc, GROUP)?.ranges).not.toContain(PROTECTED);
    const [entry] = await app.services.audit.recent(1);
    expect(entry).toMatchObject({
      outcome: 'refused',
      target: `host:${PROTECTED}`,
      actor: { name: 'XDR: analyst@corp.example' },
    });
  });

  it('removes the host again, and refuses an action it does not know', async () => {
    const removed = await call('/respond/trigger', {
      'action-id': 'sna-quarantine-remove',
      observable_type: 'ip',
      observable_value: HOST,
    });
    expect(removed.json).toEqual({ data: { status: 'success' } });
    expect(hostGroup(world.smc, GROUP)?.ranges).not.toContain(HOST);
    const unknown = await call('/respond/trigger', {
      'action-id': 'wipe-disk',
      observable_type: 'ip',
      observable_value: HOST,
    });
    expect(unknown.json).toMatchObject({ data: { status: 'failure' }, errors: [{ code: 'invalid request' }] });
  });
});

describe('relay plumbing', () => {
  it('reports the package version', async () => {
    expect((await call('/version')).json).toEqual({ version: '0.1.0' });
  });

  it('answers bad JSON, unknown paths and GETs in the relay shape, without a stack', async () => {
    const bad = await call('/observe/observables', '[{"type": "ip",');
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ errors: [{ code: 'invalid argument', type: 'fatal' }] });
    const wrongShape = await call('/observe/observables', { type: 'ip', value: HOST });
    expect(wrongShape.json).toMatchObject({ errors: [{ code: 'invalid argument' }] });
    const unknown = await call('/deliberate/nothing');
    expect(unknown.status).toBe(404);
    const get = await fetch(`${app.url}/relay/health`);
    expect(get.status).toBe(404);
    expect(await get.json()).toMatchObject({ errors: [{ code: 'not found', type: 'fatal' }] });
    for (const answer of [bad, wrongShape, unknown]) expect(answer.text).not.toMatch(/ at |\.ts:|node_modules/);
  });
});
