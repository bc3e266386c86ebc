/**
 * What operators of the bot see: /metrics, /healthz, /readyz, and JSON logs without secrets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import {
  type World,
  cardActions,
  cardText,
  createWorld,
  eventually,
  spawnBot,
  startBot,
  withPort,
} from '../helpers/world.js';

let world: World;
let app: App;

beforeAll(async () => {
  world = await createWorld();
  app = await startBot(world.env({ AUTO_ENRICH: 'false' }));
});
afterAll(async () => {
  await app.stop();
  await world.close();
});

describe('/metrics', () => {
  it('counts alerts, polls, upstream calls and actions in Prometheus format', async () => {
    world.smc.addEvent({ typeId: 16, sourceIp: '10.95.0.1', targetIp: '203.0.113.95' });
    const card = await eventually(
      () => world.cards().find((m) => cardText(m).includes('10.95.0.1')),
      15_000,
      'the alert',
    );
    const tag = cardActions(card).find((a) => a.data?.action === 'tag')?.data;
    if (!tag) throw new Error('no Tag button');
    await world.webex.submitCard({ personId: world.operator.id, messageId: card.id, inputs: tag });

    const text = await eventually(
      async () => {
        const body = await (await fetch(`${app.url}/metrics`)).text();
        return body.includes('action="tag",outcome="done"') ? body : undefined;
      },
      15_000,
      'the tag in the metrics',
    );
    expect(text).toMatch(/^sna_chatops_alerts_posted_total [1-9]/m);
    expect(text).toMatch(/^sna_chatops_upstream_requests_total\{service="sna",status="200"\} [1-9]/m);
    expect(text).toMatch(/^sna_chatops_poll_duration_seconds_count [1-9]/m);
    expect(text).toMatch(/^sna_chatops_events_total\{path="poll"\} [1-9]/m);
    expect(text).toMatch(/^sna_chatops_outbox_depth \d+/m);
    expect(text).toMatch(/^sna_chatops_leader 1$/m);
  });
});

describe('health', () => {
  it('reports ok on /healthz and ready on /readyz', async () => {
    const health = await fetch(`${app.url}/healthz`);
    expect(await health.json()).toMatchObject({ ok: true, status: 'ok', state: 'up', role: 'leader' });
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
  });
});

describe('logs', () => {
  it('are JSON lines and never contain a secret, even at trace level', async () => {
    const env = await withPort(world.env({ LOG_LEVEL: 'trace' }));
    const bot = spawnBot(env);
    try {
      await bot.ready();
      world.smc.addEvent({ typeId: 16, sourceIp: '10.95.0.2', targetIp: '203.0.113.96' });
      await eventually(() => world.cards().some((m) => cardText(m).includes('10.95.0.2')), 15_000, 'an alert');
      world.xdr.expireTokens();
      const { message } = await world.webex.userSays({
        personId: world.responder.id,
        roomId: world.alertRoom.id,
        text: '/block 203.0.113.97',
        mentionBot: true,
      });
      await eventually(
        () =>
          world.webex
            .messagesIn(world.alertRoom.id)
            .some((m) => m.parentId === message.id && /Blocked/.test(m.markdown ?? '')),
        15_000,
        'the block answer',
      );
    } finally {
      await bot.stop();
    }
    const output = bot.output();
    const lines = output.split('\n').filter((l) => l.trim().startsWith('{'));
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    for (const secret of [
      env.WEBEX_BOT_TOKEN,
      env.WEBEX_WEBHOOK_SECRET,
      env.SNA_PASSWORD,
      env.XDR_CLIENT_SECRET,
      env.UMBRELLA_API_SECRET,
      env.SECURE_ENDPOINT_API_KEY,
      env.VIRUSTOTAL_API_KEY,
    ]) {
      expect(secret && secret.length > 5).toBe(true);
      expect(output).not.toContain(secret);
    }
  });
});
