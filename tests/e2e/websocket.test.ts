/**
 * Websocket mode end to end: the real bot with no WEBEX_WEBHOOK_URL, the real framework and
 * webex 2.4.2 SDK, against the Webex simulator's device registration (WDM) and Mercury websocket.
 * Nothing reaches the bot over HTTP: commands and presses arrive as socket activities.
 */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import type { SimPerson, WebexMessage } from '../../sandbox/webex/index.js';
import { cardActions, cardText, createWorld, eventually, freePort, spawnBot, type World } from '../helpers/world.js';

const HIGH_TOTAL_TRAFFIC = 16;
// The SDK reads these when it loads (first bot start below): pings every 400 ms, so a dead
// connection is noticed in under a second instead of 29 s.
process.env.MERCURY_PING_INTERVAL = '400';
process.env.MERCURY_PONG_TIMEOUT = '400';

/** The part of webex 2.4.2's socket that ws calls for each frame. */
interface SdkSocket {
  onmessage(event: { data: string }): void;
  /** What its ping timer calls. */
  _ping(): unknown;
}

let world: World;
let app: App | undefined;

/** The environment of a bot in websocket mode: no webhook URL, no secret. */
function websocketEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return world.env({ WEBEX_WEBHOOK_URL: '', WEBEX_WEBHOOK_SECRET: '', ...overrides });
}

async function startWebsocketBot(overrides: Record<string, string> = {}): Promise<App> {
  const config = loadConfig({ ...websocketEnv(overrides), PORT: String(await freePort()) });
  return startApp(config, { log: pino({ level: 'silent' }) });
}

/** The bot's sockets that are open and authorized now. */
function botSockets() {
  return world.webex.mercury.connections.filter((c) => c.personId === world.webex.bot.id && c.state === 'authorized');
}

async function health(): Promise<Record<string, unknown>> {
  const res = await fetch(`${app?.url ?? ''}/healthz`);
  return (await res.json()) as Record<string, unknown>;
}

/** The bot's answers threaded under a message. */
function answersTo(message: WebexMessage): WebexMessage[] {
  return world.webex
    .messagesIn(message.roomId)
    .filter((m) => m.personId === world.webex.bot.id && m.parentId === message.id);
}

/** Says something to the bot in the alert space and waits for its (first) answer. */
async function ask(text: string, person: SimPerson = world.operator) {
  const { message, deliveries } = await world.webex.userSays({
    personId: person.id,
    roomId: world.alertRoom.id,
    text,
    mentionBot: true,
  });
  expect(deliveries).toEqual([]); // no webhook exists: the socket is the only way in
  const answer = await eventually(() => answersTo(message)[0], 10_000, `the bot's answer to "${text}"`);
  return { message, answer };
}

async function cardFor(host: string) {
  return eventually(() => world.cards().find((m) => cardText(m).includes(host)), 15_000, `a card for ${host}`);
}

beforeAll(async () => {
  world = await createWorld();
});
afterEach(async () => {
  await app?.stop();
  app = undefined;
});
afterAll(async () => {
  await world.close();
});

describe('websocket mode (no WEBEX_WEBHOOK_URL)', () => {
  it('registers a device, opens an authorized websocket, and creates no webhook', async () => {
    app = await startWebsocketBot();

    const devices = world.webex.devices.list(world.webex.bot.id);
    expect(devices).toHaveLength(1);
    expect(botSockets()).toHaveLength(1);
    expect(world.webex.state.webhooks).toEqual([]);
    expect(world.webex.calls.some((c) => c.path === '/v1/webhooks')).toBe(false);
    expect(await health()).toMatchObject({ ok: true, status: 'ok', webex: 'connected' });
  });

  it('posts a card for an SNA event, answers a command, and acts on a press, all without a webhook', async () => {
    app = await startWebsocketBot();
    world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: '10.20.1.21', targetIp: '52.109.8.21', points: 162 });
    const card = await cardFor('10.20.1.21');
    expect(cardText(card)).toContain('High Total Traffic');

    const { message, answer } = await ask('/help');
    expect(answer.markdown).toContain('/status');
    const frame = world.webex.mercury.frames.find((f) => f.dataId === message.id);
    expect(frame).toMatchObject({ verb: 'post', outcome: 'sent', acked: true });

    const incidentId = String(cardActions(card).find((a) => a.data?.action === 'ack')?.data?.incidentId);
    const { action, deliveries } = await world.webex.submitCard({
      personId: world.operator.id,
      messageId: card.id,
      inputs: { action: 'ack', v: 1, incidentId },
    });
    expect(deliveries).toEqual([]);
    await eventually(
      () =>
        world
          .cards()
          .find((m) => cardText(m).includes('10.20.1.21') && cardText(m).includes('Acknowledged by Jane Doe')),
      15_000,
      'the acknowledged card',
    );
    expect(world.webex.mercury.frames.find((f) => f.dataId === action.id)).toMatchObject({
      verb: 'cardAction',
      outcome: 'sent',
    });
  });

  it('reconnects after the socket drops, without losing or doubling an alert or an answer', async () => {
    app = await startWebsocketBot();
    const [first] = botSockets();
    world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: '10.20.1.22', targetIp: '52.109.8.22' });
    await cardFor('10.20.1.22');

    // The network cuts the connection (no close frame: the SDK sees 1006).
    expect(world.webex.mercury.drop({ personId: world.webex.bot.id })).toBe(1);
    world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: '10.20.1.23', targetIp: '52.109.8.23' });
    const again = await world.webex.waitFor(
      () => botSockets().find((c) => c.id !== first?.id),
      10_000,
      'the bot to reconnect',
    );
    expect(world.webex.mercury.connections.find((c) => c.id === first?.id)).toMatchObject({
      state: 'closed',
      closedBy: 'dropped',
    });
    expect(again.deviceId).toBe(first?.deviceId); // the same device, reconnected: no new registration
    expect(world.webex.devices.list(world.webex.bot.id)).toHaveLength(1);

    await cardFor('10.20.1.23');
    const { message: afterReconnect } = await ask('/status');
    // A later question answered means any duplicate of the first would have been handled by now.
    await ask('/help');
    expect(answersTo(afterReconnect)).toHaveLength(1);
    for (const host of ['10.20.1.22', '10.20.1.23']) {
      expect(world.cards().filter((m) => cardText(m).includes(host))).toHaveLength(1);
    }
    expect(await health()).toMatchObject({ status: 'ok', webex: 'connected' });
  });

  it('notices a connection that stopped answering pings, and reconnects', async () => {
    app = await startWebsocketBot();
    const [first] = botSockets();
    world.webex.mercury.setAnswerPings(false);
    const closed = await world.webex.waitFor(
      () => world.webex.mercury.connections.find((c) => c.id === first?.id && c.state === 'closed'),
      10_000,
      'the SDK to give up on the silent socket',
    );
    world.webex.mercury.setAnswerPings(true);
    expect(closed).toMatchObject({ closedBy: 'client', closeCode: 1000, closeReason: 'Pong not received' });
    await world.webex.waitFor(() => botSockets().length === 1, 10_000, 'the bot to reconnect');
    const { answer } = await ask('/help');
    expect(answer.markdown).toContain('/status');
  });

  it('closes its socket and removes its device when it stops', async () => {
    app = await startWebsocketBot();
    const [socket] = botSockets();
    await app.stop();
    app = undefined;
    expect(world.webex.devices.list(world.webex.bot.id)).toEqual([]);
    const closed = await world.webex.waitFor(
      () => world.webex.mercury.connections.find((c) => c.id === socket?.id && c.state === 'closed'),
      5_000,
      'the socket to close',
    );
    expect(closed.closedBy).toBe('client');
  });

  it('takes a frame or a ping timer on a closed socket without an unhandled rejection', async () => {
    app = await startWebsocketBot();
    const sdk = app.framework.getWebexSDK?.() as { internal: { mercury: { socket: SdkSocket } } };
    const socket = sdk.internal.mercury.socket;
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      await app.stop();
      app = undefined;
      // What ws hands the SDK when Webex's frame crossed the close: the SDK acknowledges it.
      socket.onmessage({ data: JSON.stringify({ id: randomUUID(), sequenceNumber: 1_000, data: {} }) });
      // A ping timer that fires after the socket closed (seen after a drop, before the reconnect).
      void socket._ping();
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('unhandledRejection', onRejection);
    }
    expect(rejections).toEqual([]);
  });

  it('fails to start with a clear error when Webex refuses the websocket, leaving no device behind', async () => {
    world.webex.mercury.refuseNext(1, 4403);
    await expect(startWebsocketBot()).rejects.toThrow(/Webex refused the bot's event websocket/);
    expect(world.webex.devices.list(world.webex.bot.id)).toEqual([]);
  });
});

describe('websocket mode as `npm start` runs it (compiled bundle, own process)', () => {
  it('refuses a bad token at start with a message naming WEBEX_BOT_TOKEN, never the token', async () => {
    const token = `SIMBOTTOKEN_PF84_${randomUUID()}`;
    const bot = spawnBot({
      ...websocketEnv({ WEBEX_BOT_TOKEN: token, LOG_LEVEL: 'info' }),
      PORT: String(await freePort()),
    });
    const code = await bot.exited();
    expect(code, bot.output()).toBe(1);
    expect(bot.output()).toMatch(/could not start/);
    expect(bot.output()).toMatch(/Webex refused WEBEX_BOT_TOKEN \(401 Unauthorized\)/);
    expect(bot.output()).not.toContain(token);
    expect(bot.output()).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('runs with the whole SDK (WEBEX_SDK_PLUGINS=all): answers over the socket, stops cleanly', async () => {
    const bot = spawnBot({
      ...websocketEnv({ WEBEX_SDK_PLUGINS: 'all', LOG_LEVEL: 'info' }),
      PORT: String(await freePort()),
    });
    try {
      await bot.ready();
      expect(bot.output()).toContain('"mode":"websocket"');
      const { answer } = await ask('/help');
      expect(answer.markdown).toContain('/status');
    } finally {
      expect(await bot.stop()).toBe(0);
    }
    expect(world.webex.devices.list(world.webex.bot.id)).toEqual([]);
  });
});
