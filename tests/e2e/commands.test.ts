/**
 * Commands and the webhook's front door, through the real framework and the Webex simulator.
 * How a message becomes a command (aliases, typos, usage messages) is unit-tested over the
 * router (tests/bot/router); this file keeps what needs the wire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import type { SimPerson, WebexRoom } from '../../sandbox/webex/index.js';
import { PEOPLE_LOOKUP_BATCH_MS } from '../../bot/webex/sdk-repairs.js';
import { createWorld, eventually, startBot, type World } from '../helpers/world.js';

let world: World;
let app: App;
let direct: WebexRoom;

beforeAll(async () => {
  world = await createWorld();
  app = await startBot(world.env());
  direct = await world.webex.createRoom({
    title: 'Jane',
    type: 'direct',
    memberIds: [world.operator.id, world.webex.bot.id],
  });
});
afterAll(async () => {
  await app.stop();
  await world.close();
});

/** Sends a message and waits for the bot's answer to it. */
async function ask(text: string, opts: { room?: WebexRoom; mention?: boolean; person?: SimPerson } = {}) {
  const room = opts.room ?? world.alertRoom;
  const { message } = await world.webex.userSays({
    personId: (opts.person ?? world.operator).id,
    roomId: room.id,
    text,
    mentionBot: opts.mention ?? room.type === 'group',
  });
  return eventually(
    () =>
      world.webex
        .messagesIn(room.id)
        .find(
          (m) =>
            m.personId === world.webex.bot.id &&
            (room.type === 'direct' ? m.created >= message.created : m.parentId === message.id) &&
            m.id !== message.id,
        ),
    10_000,
    `the bot's answer to "${text}"`,
  );
}

describe('commands', () => {
  it.each(['/help', 'help'])(
    'answers %j with the generated command list, threaded under the question',
    async (text) => {
      const answer = await ask(text);
      expect(answer.markdown).toContain('/status');
      expect(answer.markdown).toContain('/help');
      expect(answer.parentId).toBeDefined();
    },
  );

  it('answers the very first /help of someone who just opened a 1:1 with the bot', async () => {
    // Webex announces the bot's new membership and the first message together; the framework
    // used to drop the message while it spawned the bot for the new space (5 of 5 tries).
    for (let n = 0; n < 3; n++) {
      const newcomer = world.webex.addPerson({ displayName: `New Person ${n}`, email: `new${n}@soc.example` });
      const room = await world.webex.createRoom({
        title: newcomer.displayName,
        type: 'direct',
        memberIds: [newcomer.id, world.webex.bot.id],
      });
      const answer = await ask('/help', { room, mention: false, person: newcomer });
      expect(answer.markdown).toContain('/status');
    }
  });

  it('answers help in a 1:1 space without a mention', async () => {
    const answer = await ask('help', { room: direct, mention: false });
    expect(answer.markdown).toContain('/status');
  });

  it('shows polling, SMC session and outbox health on /status', async () => {
    await eventually(async () => (await app.services.poller?.status())?.lastSuccessAt, 10_000, 'a first poll');
    const answer = await ask('/status');
    expect(answer.markdown).toMatch(/SMC session: logged in/);
    expect(answer.markdown).toMatch(/Last poll: .*ok/);
    expect(answer.markdown).toMatch(/Outbox: empty/);
    expect(answer.markdown).toContain('High Total Traffic');
  });

  it('tells apart two people asking at the same moment (their person lookups share a batch)', async () => {
    const [operator, outsider] = await Promise.all([
      ask('/audit', { person: world.operator }),
      ask('/audit', { person: world.outsider }),
    ]);
    expect(operator.markdown).not.toContain('Sorry');
    expect(outsider.markdown).toContain('Sorry');
    expect(outsider.markdown).toContain('for operators');
  });

  it('does not hold each message for the SDK default 100 ms person-lookup batch window', () => {
    const sdk = app.framework.getWebexSDK?.() as { config?: { people?: { batcherWait?: unknown } } } | undefined;
    expect(sdk?.config?.people?.batcherWait).toBe(PEOPLE_LOOKUP_BATCH_MS);
  });
});

const botAnswers = (messageId: string) =>
  world.webex
    .messagesIn(world.alertRoom.id)
    .filter((m) => m.personId === world.webex.bot.id && m.parentId === messageId);

describe('webhook front door', () => {
  async function forge(headers: Record<string, string>) {
    const hook = world.webex.state.webhooks.find((w) => w.resource === 'all');
    if (!hook) throw new Error('the bot registered no firehose webhook');
    const before = world.webex.calls.length;
    const body = JSON.stringify({
      id: hook.id,
      name: hook.name,
      resource: 'messages',
      event: 'created',
      data: { id: 'forged-message', roomId: world.alertRoom.id, personId: world.operator.id },
    });
    const [delivery] = await world.webex.deliverRaw(hook.id, body, headers);
    await new Promise((r) => setTimeout(r, 400));
    // Only calls about the forged event count (earlier tests' work may still be finishing).
    return { delivery, callsAfter: world.webex.calls.slice(before).filter((c) => c.path.includes('forged-message')) };
  }

  it('rejects an unsigned event with 401 and runs nothing', async () => {
    const { delivery, callsAfter } = await forge({ 'content-type': 'application/json' });
    expect(delivery?.status).toBe(401);
    expect(callsAfter).toEqual([]);
  });

  it('rejects a forged signature with 401 and runs nothing', async () => {
    const { delivery, callsAfter } = await forge({
      'content-type': 'application/json',
      'x-spark-signature': 'a'.repeat(40),
    });
    expect(delivery?.status).toBe(401);
    expect(callsAfter).toEqual([]);
  });

  it('runs a signed message delivered three times once, with one answer', async () => {
    const { message, deliveries } = await world.webex.userSays({
      personId: world.operator.id,
      roomId: world.alertRoom.id,
      text: '/tag 10.12.0.1',
      mentionBot: true,
    });
    await eventually(() => botAnswers(message.id).length > 0, 10_000, 'the first answer');
    const original = deliveries.find((d) => d.resource === 'messages');
    if (!original) throw new Error('no delivery of the message');
    for (let n = 0; n < 2; n++) {
      const [replay] = await world.webex.deliverRaw(original.webhookId, original.body, {
        'content-type': 'application/json',
        'x-spark-signature': world.webex.sign(original.webhookId, original.body),
      });
      expect(replay?.status).toBe(200);
    }
    // Each replay was accepted and fetched again; none ran.
    await eventually(
      () => world.webex.calls.filter((c) => c.method === 'GET' && c.path.endsWith(message.id)).length >= 3,
      10_000,
      'the replays to be fetched',
    );
    await app.services.outbox.idle();
    await new Promise((r) => setTimeout(r, 300));
    expect(botAnswers(message.id)).toHaveLength(1);
    expect(world.smc.calls.filter((c) => c.method === 'PUT' && c.path.includes('/tags/'))).toHaveLength(1);
  });

  it('serves /healthz', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, webex: 'ready' });
  });
});
