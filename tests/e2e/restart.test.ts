/**
 * The bot as `npm start` runs it, in real child processes sharing one SQLite state file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChildBot,
  cardText,
  createWorld,
  eventually,
  spawnBot,
  type World,
  withPort,
  smcPolls,
} from '../helpers/world.js';

let world: World;
const running: ChildBot[] = [];

beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  for (const bot of running) await bot.stop('SIGKILL');
  await world.close();
});

async function start(env: Record<string, string>): Promise<ChildBot> {
  const bot = spawnBot(env);
  running.push(bot);
  await bot.ready();
  return bot;
}

const cardsFor = (host: string) => world.cards().filter((m) => cardText(m).includes(host));

describe('restart on the same state file', () => {
  it('neither duplicates a card nor misses what happened while the bot was down', async () => {
    const env = await withPort(world.env({ LOG_LEVEL: 'info' }));
    const first = await start(env);
    const ongoing = world.smc.addEvent({ typeId: 16, sourceIp: '10.20.0.1', targetIp: '52.109.8.30' });
    await eventually(() => cardsFor('10.20.0.1').length === 1, 15_000, 'the first card').catch((err: Error) => {
      throw new Error(`${err.message}\n--- bot output ---\n${first.output()}`);
    });
    expect(await first.stop('SIGTERM')).toBe(0);

    // While the bot is down: the ongoing event grows, and a new host misbehaves.
    world.smc.updateEvent(ongoing.id, { hitCount: 7, lastActive: new Date() });
    world.smc.addEvent({ typeId: 16, sourceIp: '10.20.0.2', targetIp: '52.109.8.31' });

    const second = await start(env);
    await eventually(() => cardsFor('10.20.0.2').length === 1, 15_000, 'a card for the host seen while down');
    await eventually(() => cardsFor('10.20.0.1').some((m) => /7 hits/.test(cardText(m))), 15_000, 'the updated card');
    // A few more polls over the same window change nothing.
    await smcPolls(world, 2);
    expect(cardsFor('10.20.0.1')).toHaveLength(1);
    expect(cardsFor('10.20.0.2')).toHaveLength(1);
    await second.stop('SIGTERM');
  });
});

describe('bad configuration', () => {
  it('exits non-zero listing every problem, without printing secrets', async () => {
    const bot = spawnBot({
      WEBEX_BOT_TOKEN: 'a-very-secret-token-value',
      WEBEX_WEBHOOK_URL: 'https://bot.example.com/webex',
      WEBEX_WEBHOOK_SECRET: 'short',
      SNA_URL: 'https://smc.example.com',
      SNA_PASSWORD: 'another-secret-value',
      PORT: 'eighty',
    });
    running.push(bot);
    expect(await bot.exited()).toBe(2);
    const output = bot.output();
    for (const name of ['WEBEX_ALERT_ROOM_ID', 'WEBEX_WEBHOOK_SECRET', 'SNA_USERNAME', 'PORT'])
      expect(output).toContain(name);
    expect(output).not.toContain('a-very-secret-token-value');
    expect(output).not.toContain('another-secret-value');
  });
});
