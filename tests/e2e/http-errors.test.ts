/**
 * No stack trace reaches any HTTP caller: bad JSON, oversize bodies and broken gzip to every
 * route get a short JSON answer, with NODE_ENV unset (Express would otherwise print the stack),
 * and `/sna/alarms` refuses a caller without the token before it reads the body.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import { type World, WEBHOOK_SECRET, createWorld, startBot } from '../helpers/world.js';

const TOKEN = 'push-token-0123456789abcdef';
let world: World;
let app: App;
let nodeEnv: string | undefined;

beforeAll(async () => {
  nodeEnv = process.env.NODE_ENV;
  delete process.env.NODE_ENV;
  world = await createWorld();
  app = await startBot(world.env({ SNA_WEBHOOK_TOKEN: TOKEN, AUTO_ENRICH: 'false' }));
});
afterAll(async () => {
  await app.stop();
  await world.close();
  if (nodeEnv !== undefined) process.env.NODE_ENV = nodeEnv;
});

const BODIES: Record<string, { body: string; headers: Record<string, string> }> = {
  'bad JSON': { body: '{"events": [1, 2,', headers: { 'content-type': 'application/json' } },
  '3 MB': {
    body: JSON.stringify({ pad: 'x'.repeat(3 * 1024 * 1024) }),
    headers: { 'content-type': 'application/json' },
  },
  'bad gzip': {
    body: 'this is not gzip at all',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
  },
  'unknown encoding': {
    body: '{}',
    headers: { 'content-type': 'application/json', 'content-encoding': 'x-unknown' },
  },
};

const ROUTES: Array<[string, Record<string, string>]> = [
  ['/webex/events', {}],
  ['/sna/alarms', {}],
  ['/sna/alarms', { authorization: `Bearer ${TOKEN}` }],
  ['/healthz', {}],
  ['/readyz', {}],
  ['/metrics', {}],
  ['/no/such/route', {}],
];

async function expectJsonError(res: Response): Promise<Record<string, unknown>> {
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const text = await res.text();
  expect(text).not.toMatch(/\bat .+:\d+:\d+|Error:|node_modules|<pre>|<html/i);
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(typeof body.message).toBe('string');
  return body;
}

describe('every route answers a bad body with a short JSON error', () => {
  for (const [path, headers] of ROUTES) {
    for (const [name, { body, headers: bodyHeaders }] of Object.entries(BODIES)) {
      it(`${name} to POST ${path}${headers.authorization ? ' (with the token)' : ''}`, async () => {
        const res = await fetch(`${app.url}${path}`, { method: 'POST', headers: { ...bodyHeaders, ...headers }, body });
        await expectJsonError(res);
      });
    }
  }

  it('answers a signed webhook that is not JSON with 400, and an oversize one with 413', async () => {
    const raw = Buffer.from('{not json');
    const signature = createHmac('sha1', WEBHOOK_SECRET).update(raw).digest('hex');
    const res = await fetch(`${app.url}/webex/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-spark-signature': signature },
      body: raw,
    });
    expect(res.status).toBe(400);
    await expectJsonError(res);
    const big = await fetch(`${app.url}/webex/events`, { method: 'POST', ...BODIES['3 MB'] });
    expect(big.status).toBe(413);
  });

  it('refuses a push without the token before reading its body (401, even for a broken body)', async () => {
    for (const { body, headers } of Object.values(BODIES)) {
      const res = await fetch(`${app.url}/sna/alarms`, { method: 'POST', headers, body });
      expect(res.status).toBe(401);
    }
  });

  it('answers a pushed body it cannot read with 400 or 413 once the token is right', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const bad = await fetch(`${app.url}/sna/alarms`, {
      method: 'POST',
      headers: { ...BODIES['bad JSON']?.headers, ...auth },
      body: BODIES['bad JSON']?.body,
    });
    expect(bad.status).toBe(400);
    const big = await fetch(`${app.url}/sna/alarms`, {
      method: 'POST',
      headers: { ...BODIES['3 MB']?.headers, ...auth },
      body: BODIES['3 MB']?.body,
    });
    expect(big.status).toBe(413);
  });
});
