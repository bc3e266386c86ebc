/**
 * Flow context end to end: `/flows` answers from the SMC simulator's flows, new alert cards gain a
 * "Top talkers" line, and a burst of new incidents never makes more flow queries per minute than
 * configured while every card still posts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import type { WebexMessage } from '../../sandbox/webex/index.js';
import { cardText, createWorld, eventually, startBot, type World } from '../helpers/world.js';

const PER_MINUTE = 3;
let world: World;
let app: App;

beforeAll(async () => {
  world = await createWorld();
  app = await startBot(
    world.env({
      SNA_FLOW_QUERIES_PER_MINUTE: String(PER_MINUTE),
      DIGEST_THRESHOLD: '100',
      AUTO_ENRICH: 'false',
    }),
  );
});
afterAll(async () => {
  await app.stop();
  await world.close();
});

async function ask(text: string): Promise<WebexMessage> {
  const { message } = await world.webex.userSays({
    personId: world.operator.id,
    roomId: world.alertRoom.id,
    text,
    mentionBot: true,
  });
  return eventually(
    () =>
      world.webex
        .messagesIn(world.alertRoom.id)
        .find((m) => m.parentId === message.id && m.personId === world.webex.bot.id),
    15_000,
    `the answer to ${text}`,
  );
}

const flowStarts = (since: number) =>
  world.smc.calls
    .filter((c) => c.method === 'POST' && c.path.endsWith('/flows/queries') && Date.parse(c.time) >= since)
    .map((c) => Date.parse(c.time));

describe('Top talkers on alert cards', () => {
  it('adds the busiest peers of a new incident to its card', async () => {
    world.smc.addEvent({ typeId: 16, sourceIp: '10.40.0.1', targetIp: '203.0.113.45', targetPort: 443, points: 300 });
    const card = await eventually(
      () => world.cards().find((m) => cardText(m).includes('10.40.0.1') && cardText(m).includes('Top talkers')),
      30_000,
      'a card with top talkers',
    );
    expect(cardText(card)).toMatch(/Top talkers\n203\.0\.113\.45:443\/tcp 12(\.\d)? MB/);
  });

  it(`posts every card of a burst of 50 new incidents while making at most ${PER_MINUTE} flow queries a minute`, async () => {
    const hosts = Array.from({ length: 50 }, (_, n) => `10.50.0.${n + 1}`);
    for (const host of hosts)
      world.smc.addEvent({ typeId: 16, sourceIp: host, targetIp: '198.51.100.23', targetPort: 1194 });
    const posted = () => hosts.filter((h) => world.cards().some((m) => cardText(m).includes(`\n${h}\n`))).length;
    await eventually(() => posted() === 50, 90_000, 'all 50 cards');
    // The first ones get their line once their query is done; the rest wait for the next minutes.
    await eventually(
      () => world.cards().some((m) => /10\.50\.0\.\d+/.test(cardText(m)) && cardText(m).includes('Top talkers')),
      30_000,
      'a burst card with top talkers',
    );
    // Every flow query so far was background work (the card above's included): none over the budget.
    const starts = flowStarts(0);
    expect(starts.length).toBe(PER_MINUTE);
    for (const start of starts) {
      expect(starts.filter((t) => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(PER_MINUTE);
    }
    expect(app.services.flows?.queryCount).toBe(PER_MINUTE);
  });
});

describe('/flows', () => {
  it("answers a card of the host's peers from the SMC's flows, busiest first, within the window", async () => {
    const now = Date.now();
    const flow = (serverIp: string, serverPort: number, clientBytes: number, minutesAgo: number) =>
      world.smc.addFlow({
        clientIp: '10.20.4.17',
        serverIp,
        serverPort,
        clientBytes,
        serverBytes: 1000,
        firstActive: new Date(now - minutesAgo * 60_000),
      });
    flow('198.51.100.77', 22, 50_000, 20);
    flow('203.0.113.45', 443, 9_000_000, 10);
    flow('203.0.113.200', 443, 300_000, 5);
    flow('192.0.2.66', 8080, 99_000_000, 150);

    const card = await ask('/flows 10.20.4.17');
    const text = cardText(card);
    expect(text).toContain('Top peers of 10.20.4.17');
    const order = ['203.0.113.45', '203.0.113.200', '198.51.100.77'].map((ip) => text.indexOf(`**${ip}**`));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(text).toContain('**203.0.113.45** · 443/tcp');
    expect(text).toContain('United States · ↑ 9 MB · ↓ 1 kB');
    expect(text).not.toContain('192.0.2.66');

    const wider = cardText(await ask('/flows 10.20.4.17 3h'));
    expect(wider.indexOf('**192.0.2.66**')).toBeGreaterThan(-1);
    expect(wider.indexOf('**192.0.2.66**')).toBeLessThan(wider.indexOf('**203.0.113.45**'));
  });

  it('is listed by /help and answers a clear usage message for a bad window', async () => {
    expect((await ask('/help')).markdown).toContain('/flows');
    expect((await ask('/flows 10.20.4.17 forever')).markdown).toContain('takes a window like `30m` or `2h`');
  });
});
