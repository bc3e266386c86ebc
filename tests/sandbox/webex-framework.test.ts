/**
 * Runs the real webex-node-bot-framework (webhook mode) against the Webex simulator.
 * The SDK reads its base URLs from the environment once, when it is first loaded, so
 * the framework is imported dynamically after the simulator is up and the env is set.
 */
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Framework from 'webex-node-bot-framework';
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  type SimPerson,
  startWebexSimulator,
  type WebexRoom,
  type WebexSimulator,
} from '../../sandbox/webex/index.js';

const WEBHOOK_SECRET = 'framework-test-secret';

const alertCard = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.3',
  body: [
    { type: 'TextBlock', text: 'High Total Traffic: 10.0.0.5' },
    { type: 'Input.Text', id: 'note', placeholder: 'Note' },
  ],
  actions: [{ type: 'Action.Submit', title: 'Ack', data: { action: 'alert.ack', v: 1, alertId: 'a-1' } }],
};

describe('webex-node-bot-framework against the Webex simulator', () => {
  let sim: WebexSimulator;
  let receiver: Server;
  let framework: Framework;
  let alice: SimPerson;
  let socRoom: WebexRoom;
  const heard: Framework.MessageTrigger[] = [];
  const actions: Framework.AttachmentActionTrigger[] = [];
  const spawns: { roomId: string; addedBy: string | undefined }[] = [];
  const sayErrors: unknown[] = [];
  /** Sends started by handlers; settled before a test injects a fault, so no earlier send consumes it. */
  const sends: Array<Promise<unknown>> = [];

  beforeAll(async () => {
    sim = await startWebexSimulator();
    process.env.HYDRA_SERVICE_URL = sim.apiUrl;
    process.env.U2C_SERVICE_URL = sim.u2cUrl;
    process.env.NO_PROXY = '127.0.0.1,localhost';
    process.env.WEBEX_LOG_LEVEL = 'silent';
    const { default: FrameworkClass } = await import('webex-node-bot-framework');
    const { default: webhook } = await import('webex-node-bot-framework/webhook');

    alice = sim.addPerson({ displayName: 'Alice Analyst', email: 'alice@example.com' });
    socRoom = await sim.createRoom({ title: 'SOC', type: 'group', memberIds: [alice.id, sim.bot.id] });

    const app = express();
    app.use(express.json());
    receiver = await new Promise<Server>((resolve) => {
      const server = app.listen(0, '127.0.0.1', () => resolve(server));
    });
    const { port } = receiver.address() as AddressInfo;

    framework = new FrameworkClass({
      token: sim.bot.token,
      webhookUrl: `http://127.0.0.1:${port}/webhook`,
      webhookSecret: WEBHOOK_SECRET,
      messageFormat: 'markdown',
    });
    const handler = webhook(framework);
    app.post('/webhook', (req, res) => {
      void handler(req, res);
    });

    framework.hears('/status', (bot, trigger) => {
      heard.push(trigger);
      sends.push(
        Promise.resolve(bot.sendCard(alertCard, 'Alert: High Total Traffic on 10.0.0.5')).catch(() => undefined),
      );
    });
    framework.hears('/ping', async (bot) => {
      try {
        await bot.say('pong');
      } catch (error) {
        sayErrors.push(error);
      }
    });
    framework.on('attachmentAction', (bot, trigger) => {
      actions.push(trigger);
      sends.push(Promise.resolve(bot.reply(trigger.attachmentAction, 'Acknowledged')).catch(() => undefined));
    });
    framework.on('spawn', (bot, _id, addedBy) => {
      spawns.push({ roomId: bot.room.id, addedBy });
    });

    await framework.start();
    await sim.waitFor(() => framework.initialized && framework.cardsWebhook.id, 10_000, 'framework initialized');
  });

  afterAll(async () => {
    if (framework.active) await framework.stop();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await sim.close();
  });

  it('registers the firehose and attachmentActions webhooks and discovers the existing room', () => {
    const webhooks = sim.state.webhooks;

    expect(webhooks.map((w) => `${w.resource}/${w.event}`).sort()).toEqual(['all/all', 'attachmentActions/created']);
    expect(webhooks.every((w) => w.secret === WEBHOOK_SECRET && w.status === 'active')).toBe(true);
    expect(framework.webhook).toMatchObject({ name: webhooks.find((w) => w.resource === 'all')?.name });
    expect(framework.isBotAccount).toBe(true);
    expect(spawns).toContainEqual({ roomId: socRoom.id, addedBy: undefined });
  });

  it('calls hears for a mention in a group room, with the mention still in trigger.text', async () => {
    const { message, deliveries } = await sim.userSays({
      personId: alice.id,
      roomId: socRoom.id,
      text: '/status',
      mentionBot: true,
    });
    const trigger = await sim.waitFor(() => heard.find((t) => t.message.id === message.id), 15_000, 'hears');

    expect(deliveries).toEqual([expect.objectContaining({ status: 200, signed: true, resource: 'messages' })]);
    expect(trigger.text).toBe('SNA Bot /status');
    expect(trigger.args).toEqual(['/status']);
    expect(trigger.person).toMatchObject({ id: alice.id, displayName: 'Alice Analyst', emails: ['alice@example.com'] });
    expect(trigger.message.mentionedPeople).toEqual([sim.bot.id]);
  });

  it('posts the exact card attachment with sendCard', async () => {
    const cardMessage = await sim.waitFor(
      () => sim.messagesIn(socRoom.id).find((m) => m.attachments !== undefined),
      5_000,
      'card posted',
    );
    const post = sim.calls.find((c) => c.method === 'POST' && c.path === '/v1/messages');

    expect(post?.body).toEqual({
      markdown: 'Alert: High Total Traffic on 10.0.0.5',
      attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: alertCard }],
      roomId: socRoom.id,
    });
    expect(cardMessage).toMatchObject({ personId: sim.bot.id, attachments: [{ content: alertCard }] });
  });

  it('fires attachmentAction with the inputs when a person submits the card, and threads the reply under it', async () => {
    const cardMessage = sim.messagesIn(socRoom.id).find((m) => m.attachments !== undefined);
    if (!cardMessage) throw new Error('the card of the previous test is missing');

    const { action, deliveries } = await sim.submitCard({
      personId: alice.id,
      messageId: cardMessage.id,
      inputs: { action: 'alert.ack', v: 1, alertId: 'a-1', note: 'on it' },
    });
    const trigger = await sim.waitFor(() => actions.find((t) => t.id === action.id), 15_000, 'attachmentAction');
    const reply = await sim.waitFor(
      () => sim.messagesIn(socRoom.id).find((m) => m.text === 'Acknowledged'),
      5_000,
      'threaded reply',
    );

    expect(deliveries).toEqual([expect.objectContaining({ webhookId: framework.cardsWebhook.id, status: 200 })]);
    expect(trigger.attachmentAction).toMatchObject({
      messageId: cardMessage.id,
      personId: alice.id,
      roomId: socRoom.id,
      inputs: { action: 'alert.ack', v: 1, alertId: 'a-1', note: 'on it' },
    });
    expect(trigger.person.id).toBe(alice.id);
    expect(reply.parentId).toBe(cardMessage.id);
  });

  it('never hears a group message that does not mention the bot, because Webex does not deliver it', async () => {
    const before = heard.length;
    const { deliveries } = await sim.userSays({ personId: alice.id, roomId: socRoom.id, text: '/status please' });
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(deliveries).toEqual([]);
    expect(heard).toHaveLength(before);
  });

  it('spawns a bot with addedBy when a person adds it to a new room', async () => {
    const incidents = await sim.createRoom({ title: 'Incidents', type: 'group', memberIds: [alice.id] });
    await sim.addBotToRoom(incidents.id, alice.id);

    const spawn = await sim.waitFor(() => spawns.find((s) => s.roomId === incidents.id), 15_000, 'spawn');
    expect(spawn.addedBy).toBe(alice.id);
    expect(framework.getBotByRoomId(incidents.id)?.isGroup).toBe(true);
  });

  it('ignores an event with a forged signature and processes the same bytes correctly signed', async () => {
    // A message Webex did not deliver (no mention), pointed at by hand-made events.
    const { message } = await sim.userSays({ personId: alice.id, roomId: socRoom.id, text: '/status now' });
    const firehose = sim.state.webhooks.find((w) => w.resource === 'all');
    if (!firehose) throw new Error('no firehose webhook');
    const rawBody = JSON.stringify({
      id: firehose.id,
      name: firehose.name,
      targetUrl: firehose.targetUrl,
      resource: 'messages',
      event: 'created',
      orgId: firehose.orgId,
      createdBy: firehose.createdBy,
      appId: firehose.appId,
      ownedBy: 'creator',
      status: 'active',
      created: firehose.created,
      actorId: alice.id,
      data: { id: message.id, roomId: socRoom.id, personId: alice.id },
    });
    const fetchedMessage = (): boolean => sim.calls.some((c) => c.path === `/v1/messages/${message.id}`);

    const forged = createHmac('sha1', 'not-the-secret').update(rawBody).digest('hex');
    await sim.deliverRaw(firehose.id, rawBody, { 'x-spark-signature': forged });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fetchedMessage()).toBe(false);

    await sim.deliverRaw(firehose.id, rawBody, { 'x-spark-signature': sim.sign(firehose.id, rawBody) });
    const trigger = await sim.waitFor(() => heard.find((t) => t.message.id === message.id), 15_000, 'signed event');
    expect(trigger.text).toBe('/status now');
  });

  it('does not retry a 429 on POST /messages: bot.say rejects with statusCode, retryAfter, headers and body', async () => {
    await Promise.all(sends);
    sim.rateLimitNext(1, 30, { method: 'POST', pathPrefix: '/messages' });
    const callsBefore = sim.calls.length;

    await sim.userSays({ personId: alice.id, roomId: socRoom.id, text: '/ping', mentionBot: true });
    const error = await sim.waitFor(() => sayErrors[0], 15_000, 'say rejected');
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'TooManyRequests',
      statusCode: 429,
      retryAfter: '30',
      headers: expect.objectContaining({ 'retry-after': '30' }),
      body: { message: expect.any(String), errors: [{ description: expect.any(String) }] },
    });
    const posts = sim.calls.slice(callsBefore).filter((c) => c.method === 'POST' && c.path === '/v1/messages');
    expect(posts.map((c) => c.status)).toEqual([429]);
  });

  it('deletes both webhooks on stop()', async () => {
    await framework.stop();

    expect(sim.state.webhooks).toEqual([]);
    expect(sim.calls.filter((c) => c.method === 'DELETE' && c.path.startsWith('/v1/webhooks/'))).toHaveLength(2);
  });
});
