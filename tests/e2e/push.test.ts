/**
 * Push intake: SNA Response Management posts alarms to `/sna/alarms`; they alert at once,
 * and the poller (the safety net) does not double them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import { type World, cardText, createWorld, eventually, polls, startBot } from '../helpers/world.js';

const TOKEN = 'push-token-0123456789abcdef';
let world: World;
let app: App;

beforeAll(async () => {
  world = await createWorld();
  app = await startBot(world.env({ SNA_WEBHOOK_TOKEN: TOKEN, SNA_POLL_SECONDS: '2', AUTO_ENRICH: 'false' }));
});
afterAll(async () => {
  await app.stop();
  await world.close();
});

const push = (body: unknown, token = TOKEN) =>
  fetch(`${app.url}/sna/alarms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
const cardsFor = (host: string) => world.cards().filter((m) => cardText(m).includes(host));

describe('POST /sna/alarms', () => {
  it('alerts for a pushed SMC record within a second, and later polls of the same event add nothing', async () => {
    const record = world.smc.addEvent({ typeId: 16, sourceIp: '10.90.0.1', targetIp: '203.0.113.90', points: 300 });
    const started = Date.now();
    const res = await push(record);
    expect(res.status).toBe(202);
    await eventually(() => cardsFor('10.90.0.1').length === 1, 5_000, 'the pushed card');
    expect(Date.now() - started).toBeLessThan(2_000);

    // Two polls that see the same event again, and whatever they queued delivered.
    await polls(app, 2);
    await app.services.outbox.idle();
    const cards = cardsFor('10.90.0.1');
    expect(cards).toHaveLength(1);
    const [only] = cards;
    if (!only) throw new Error('no card');
    expect(cardText(only)).toMatch(/1 event\b/);
  });

  it('accepts the flat template from the README', async () => {
    const res = await push({
      id: 990001,
      typeId: 16,
      typeName: 'High Total Traffic',
      sourceIp: '10.90.0.2',
      targetIp: '203.0.113.91',
      points: 120,
      hitCount: 3,
      firstActive: new Date().toISOString(),
    });
    expect(res.status).toBe(202);
    const card = await eventually(() => cardsFor('10.90.0.2')[0], 5_000, 'the pushed card');
    expect(cardText(card)).toContain('High Total Traffic');
  });

  it('refuses a wrong token with 401 and a malformed body with a clear 400, creating nothing', async () => {
    const wrong = await push(
      { id: 1, typeId: 16, sourceIp: '10.90.0.3', firstActive: new Date().toISOString() },
      'not-the-token-at-all',
    );
    expect(wrong.status).toBe(401);
    const bad = await push({ id: 'x', sourceIp: 'not-an-ip' });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { message: string; problems: string[] };
    expect(body.message).toContain('README');
    expect(body.problems.join(' ')).toMatch(/IP address|typeId|id/);
    await new Promise((r) => setTimeout(r, 500));
    expect(cardsFor('10.90.0.3')).toHaveLength(0);
  });
});
