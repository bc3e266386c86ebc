import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  type SimPerson,
  startWebexSimulator,
  type WebexMessage,
  type WebexRoom,
  type WebexSimulator,
} from '../../sandbox/webex/index.js';

interface ApiResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Calls the simulated REST API with a token. */
function apiAs(sim: WebexSimulator, token: string | undefined) {
  return async (method: string, path: string, body?: unknown): Promise<ApiResponse> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${sim.apiUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
}

interface Received {
  raw: Buffer;
  headers: IncomingHttpHeaders;
}

/** A webhook target on 127.0.0.1 that keeps the exact bytes it receives. */
async function startReceiver(status = 200): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ raw: Buffer.concat(chunks), headers: req.headers });
      res.statusCode = status;
      res.end('OK');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function card(actions: unknown[]): { contentType: string; content: Record<string, unknown> } {
  return {
    contentType: ADAPTIVE_CARD_CONTENT_TYPE,
    content: { type: 'AdaptiveCard', version: '1.3', body: [{ type: 'TextBlock', text: 'Alert' }], actions },
  };
}

const submit = (title: string) => ({ type: 'Action.Submit', title, data: { action: title } });

function errorDescription(body: unknown): string {
  expect(body).toMatchObject({ message: expect.any(String), errors: [{ description: expect.any(String) }] });
  expect(body).toHaveProperty('trackingId');
  return (body as { message: string }).message;
}

describe('Webex simulator', () => {
  let sim: WebexSimulator;
  let alice: SimPerson;
  let bob: SimPerson;
  let room: WebexRoom;
  let asBot: ReturnType<typeof apiAs>;
  let asAlice: ReturnType<typeof apiAs>;

  beforeAll(async () => {
    sim = await startWebexSimulator();
    asBot = apiAs(sim, sim.bot.token);
  });

  afterAll(async () => {
    await sim.close();
  });

  beforeEach(async () => {
    sim.reset({ keepWebhooks: false });
    alice = sim.addPerson({ displayName: 'Alice Analyst', email: 'alice@example.com' });
    bob = sim.addPerson({ displayName: 'Bob Builder', email: 'bob@example.com' });
    room = await sim.createRoom({ title: 'SOC', type: 'group', memberIds: [alice.id, sim.bot.id, bob.id] });
    asAlice = apiAs(sim, alice.token);
  });

  describe('authentication', () => {
    it('answers 401 with a Webex error body when the token is missing or unknown', async () => {
      const missing = await apiAs(sim, undefined)('GET', '/people/me');
      const unknown = await apiAs(sim, 'not-a-token')('GET', '/people/me');

      expect(missing.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(errorDescription(unknown.body)).toMatch(/access token/);
    });

    it('accepts the bot token and person tokens and records the auth kind, never the token', async () => {
      const me = await asBot('GET', '/people/me');
      const aliceMe = await asAlice('GET', '/people/me');
      await apiAs(sim, 'forged')('GET', '/people/me');

      expect(me.body).toMatchObject({
        id: sim.bot.id,
        type: 'bot',
        displayName: 'SNA Bot',
        emails: ['sna-bot@webex.bot'],
      });
      expect(aliceMe.body).toMatchObject({ id: alice.id, type: 'person' });
      expect(sim.calls.map((c) => c.auth)).toEqual(['bot', 'person', 'invalid']);
      expect(JSON.stringify(sim.calls)).not.toContain(sim.bot.token);
      expect(JSON.stringify(sim.calls)).not.toContain(alice.token);
    });

    it('issues ids that decode to ciscospark:// URIs and a bot token with three _-separated parts', () => {
      expect(Buffer.from(sim.bot.id, 'base64url').toString()).toMatch(/^ciscospark:\/\/us\/PEOPLE\/[0-9a-f-]{36}$/);
      expect(Buffer.from(room.id, 'base64url').toString()).toMatch(/^ciscospark:\/\/us\/ROOM\//);
      expect(sim.bot.token.split('_')).toHaveLength(3);
    });
  });

  describe('people', () => {
    it('answers the SDK batcher path /people/?id=A,B with the known people and the unknown ids', async () => {
      const missing = Buffer.from('ciscospark://us/PEOPLE/00000000-0000-0000-0000-000000000000').toString('base64url');
      const res = await asBot('GET', `/people/?id=${alice.id},${missing}&showAllTypes=false`);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: [expect.objectContaining({ id: alice.id })], notFoundIds: [missing] });
    });

    it('finds a person by email', async () => {
      const res = await asBot('GET', '/people?email=BOB@example.com');
      expect(res.body).toEqual({ items: [expect.objectContaining({ id: bob.id, emails: ['bob@example.com'] })] });
    });
  });

  describe('rooms and memberships', () => {
    it("lists the caller's own memberships when no roomId is given", async () => {
      await sim.createRoom({ title: 'Other', type: 'group', memberIds: [alice.id, bob.id] });
      const res = await asBot('GET', '/memberships');

      expect(res.body).toEqual({ items: [expect.objectContaining({ roomId: room.id, personId: sim.bot.id })] });
    });

    it('paginates with max and a Link rel="next" header the SDK can follow', async () => {
      const first = await asBot('GET', `/memberships?roomId=${room.id}&max=2`);
      const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
      const second = next ? await fetch(next, { headers: { authorization: `Bearer ${sim.bot.token}` } }) : undefined;
      const secondBody: unknown = await second?.json();

      expect(first.body).toEqual({ items: [expect.anything(), expect.anything()] });
      expect(next).toContain(sim.apiUrl);
      expect(second?.headers.get('link')).toBeNull();
      expect(secondBody).toEqual({ items: [expect.objectContaining({ personId: bob.id })] });
    });

    it('filters a room membership list by personId', async () => {
      const res = await asBot('GET', `/memberships?roomId=${room.id}&personId=${sim.bot.id}`);
      expect(res.body).toEqual({ items: [expect.objectContaining({ personId: sim.bot.id, roomType: 'group' })] });
    });

    it('answers 404 for a room the caller is not a member of', async () => {
      const other = await sim.createRoom({ title: 'Private', type: 'group', memberIds: [alice.id] });
      expect((await asBot('GET', `/rooms/${other.id}`)).status).toBe(404);
      expect((await asBot('GET', `/memberships?roomId=${other.id}`)).status).toBe(404);
    });
  });

  describe('POST /messages', () => {
    it('answers 200 with the full message, as Webex does', async () => {
      const res = await asBot('POST', '/messages', { roomId: room.id, markdown: 'Hello **team**' });

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: expect.any(String),
        roomId: room.id,
        roomType: 'group',
        text: 'Hello team',
        markdown: 'Hello **team**',
        html: '<p>Hello <strong>team</strong></p>',
        personId: sim.bot.id,
        personEmail: 'sna-bot@webex.bot',
        created: expect.any(String),
      });
    });

    it('measures the 7439 limit in UTF-8 bytes, not characters', async () => {
      const ascii = 'a'.repeat(7439);
      const accents = 'é'.repeat(3720); // 3720 characters, 7440 bytes

      expect((await asBot('POST', '/messages', { roomId: room.id, text: ascii })).status).toBe(200);
      const tooLong = await asBot('POST', '/messages', { roomId: room.id, text: accents });
      const tooLongMarkdown = await asBot('POST', '/messages', { roomId: room.id, markdown: `${ascii}!` });

      expect(tooLong.status).toBe(400);
      expect(errorDescription(tooLong.body)).toMatch(/7439 bytes/);
      expect(tooLongMarkdown.status).toBe(400);
    });

    it('refuses more than one attachment', async () => {
      const res = await asBot('POST', '/messages', {
        roomId: room.id,
        text: 'two cards',
        attachments: [card([]), card([])],
      });
      expect(res.status).toBe(400);
    });

    it('refuses a card with more than five actions, counting those inside Action.ShowCard', async () => {
      const five = [submit('1'), submit('2'), submit('3'), submit('4'), submit('5')];
      const showCard = {
        type: 'Action.ShowCard',
        title: 'More',
        card: { type: 'AdaptiveCard', actions: [submit('6')] },
      };

      const ok = await asBot('POST', '/messages', { roomId: room.id, text: 'card', attachments: [card(five)] });
      const nested = await asBot('POST', '/messages', {
        roomId: room.id,
        text: 'card',
        attachments: [card([submit('1'), submit('2'), submit('3'), submit('4'), showCard])],
      });

      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ attachments: [card(five)] });
      expect(nested.status).toBe(400);
      expect(errorDescription(nested.body)).toMatch(/at most 5 actions \(got 6\)/);
    });

    it('refuses a message with no text, markdown, files or attachments', async () => {
      expect((await asBot('POST', '/messages', { roomId: room.id })).status).toBe(400);
      expect((await asBot('POST', '/messages', { roomId: room.id, text: '' })).status).toBe(400);
    });

    it('accepts a card without text', async () => {
      expect((await asBot('POST', '/messages', { roomId: room.id, attachments: [card([])] })).status).toBe(200);
    });

    it('threads a reply under a root message but refuses a reply to a reply', async () => {
      const root = await asBot('POST', '/messages', { roomId: room.id, text: 'root' });
      const rootId = (root.body as WebexMessage).id;
      const reply = await asBot('POST', '/messages', { roomId: room.id, text: 'reply', parentId: rootId });
      const nested = await asBot('POST', '/messages', {
        roomId: room.id,
        text: 'reply to reply',
        parentId: (reply.body as WebexMessage).id,
      });

      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ parentId: rootId });
      expect(nested.status).toBe(400);
    });

    it('answers 404 when the sender is not a member of the room', async () => {
      const other = await sim.createRoom({ title: 'Private', type: 'group', memberIds: [alice.id] });
      expect((await asBot('POST', '/messages', { roomId: other.id, text: 'hi' })).status).toBe(404);
    });

    it('opens a direct room for toPersonEmail', async () => {
      const res = await asBot('POST', '/messages', { toPersonEmail: 'bob@example.com', text: 'psst' });

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ roomType: 'direct', text: 'psst' });
      expect(sim.state.rooms.filter((r) => r.type === 'direct')).toHaveLength(1);
    });

    it('lists a group room for a bot only with mentionedPeople=me, newest first', async () => {
      await sim.userSays({ personId: alice.id, roomId: room.id, text: 'first', mentionBot: true });
      await sim.userSays({ personId: alice.id, roomId: room.id, text: 'no mention' });
      await sim.userSays({ personId: alice.id, roomId: room.id, text: 'second', mentionBot: true });

      const refused = await asBot('GET', `/messages?roomId=${room.id}`);
      const mentions = await asBot('GET', `/messages?roomId=${room.id}&mentionedPeople=me`);

      expect(refused.status).toBe(403);
      expect((mentions.body as { items: WebexMessage[] }).items.map((m) => m.text)).toEqual([
        'SNA Bot second',
        'SNA Bot first',
      ]);
    });
  });

  describe('PUT /messages/{id}', () => {
    async function botMessage(body: Record<string, unknown>): Promise<WebexMessage> {
      const res = await asBot('POST', '/messages', { roomId: room.id, ...body });
      expect(res.status).toBe(200);
      return res.body as WebexMessage;
    }

    it('requires roomId and text or markdown', async () => {
      const message = await botMessage({ text: 'v1' });

      expect((await asBot('PUT', `/messages/${message.id}`, { text: 'v2' })).status).toBe(400);
      expect((await asBot('PUT', `/messages/${message.id}`, { roomId: room.id })).status).toBe(400);
      const ok = await asBot('PUT', `/messages/${message.id}`, { roomId: room.id, markdown: '**v2**' });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ id: message.id, text: 'v2', markdown: '**v2**', updated: expect.any(String) });
    });

    it('allows at most 10 edits of a message', async () => {
      const message = await botMessage({ text: 'v0' });
      const statuses: number[] = [];
      for (let edit = 1; edit <= 11; edit += 1) {
        statuses.push((await asBot('PUT', `/messages/${message.id}`, { roomId: room.id, text: `v${edit}` })).status);
      }

      expect(statuses).toEqual([...Array<number>(10).fill(200), 400]);
      expect(sim.messagesIn(room.id)[0]?.text).toBe('v10');
    });

    it("forbids editing another person's message", async () => {
      const { message } = await sim.userSays({ personId: alice.id, roomId: room.id, text: 'mine' });
      const res = await asBot('PUT', `/messages/${message.id}`, { roomId: room.id, text: 'hijacked' });

      expect(res.status).toBe(403);
      expect(sim.messagesIn(room.id)[0]?.text).toBe('mine');
    });

    it('refuses to edit a message with a card, as the Messages OpenAPI says', async () => {
      const message = await botMessage({ markdown: 'alert', attachments: [card([submit('Ack')])] });
      const textOnly = await asBot('PUT', `/messages/${message.id}`, { roomId: room.id, markdown: 'alert (acked)' });

      expect(textOnly.status).toBe(400);
      expect(errorDescription(textOnly.body)).toMatch(/attachments/);
      expect(sim.messagesIn(room.id)[0]).toMatchObject({ markdown: 'alert', attachments: [card([submit('Ack')])] });
    });

    it.each([
      ['attachments', { attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: {} }] }],
      ['files', { files: ['https://example.com/a.png'] }],
      ['html', { html: '<b>x</b>' }],
      ['parentId', { parentId: 'Y2lzY29zcGFyazovL3VzL01FU1NBR0UvMQ' }],
    ])('refuses an edit carrying %s, a field beyond roomId, text and markdown', async (_field, extra) => {
      const message = await botMessage({ markdown: 'plain' });
      const res = await asBot('PUT', `/messages/${message.id}`, { roomId: room.id, markdown: 'edited', ...extra });

      expect(res.status).toBe(400);
      expect(sim.messagesIn(room.id)[0]?.markdown).toBe('plain');
    });
  });

  describe('fault injection', () => {
    it('answers 429 with Retry-After for the next matching calls only, before any state changes', async () => {
      sim.rateLimitNext(2, 7, { method: 'POST', pathPrefix: '/messages' });

      const unmatched = await asBot('GET', '/people/me');
      const first = await asBot('POST', '/messages', { roomId: room.id, text: 'one' });
      const second = await asBot('POST', '/messages', { roomId: room.id, text: 'two' });
      const third = await asBot('POST', '/messages', { roomId: room.id, text: 'three' });

      expect([unmatched.status, first.status, second.status, third.status]).toEqual([200, 429, 429, 200]);
      expect(first.headers.get('retry-after')).toBe('7');
      errorDescription(first.body);
      expect(sim.messagesIn(room.id).map((m) => m.text)).toEqual(['three']);
      expect(sim.calls.filter((c) => c.fault === 'rateLimit')).toHaveLength(2);
    });

    it('answers the failNext status and then recovers', async () => {
      sim.failNext(1, 503, { pathPrefix: '/v1/messages' });

      const failed = await asBot('POST', '/messages', { roomId: room.id, text: 'one' });
      const retried = await asBot('POST', '/messages', { roomId: room.id, text: 'one' });

      expect(failed.status).toBe(503);
      errorDescription(failed.body);
      expect(retried.status).toBe(200);
    });
  });

  describe('webhook delivery', () => {
    let receiver: Awaited<ReturnType<typeof startReceiver>>;

    beforeEach(async () => {
      receiver = await startReceiver();
    });

    afterEach(async () => {
      await receiver.close();
    });

    async function registerWebhook(body: Record<string, unknown>, api = asBot): Promise<{ id: string; name: string }> {
      const res = await api('POST', '/webhooks', { name: 'hook', targetUrl: receiver.url, ...body });
      expect(res.status).toBe(200);
      return res.body as { id: string; name: string };
    }

    it('echoes name and secret with status active when a webhook is created', async () => {
      const res = await asBot('POST', '/webhooks', {
        name: 'bmFtZQ==',
        targetUrl: receiver.url,
        resource: 'all',
        event: 'all',
        secret: 'shh',
      });

      expect(res.body).toMatchObject({
        name: 'bmFtZQ==',
        secret: 'shh',
        status: 'active',
        resource: 'all',
        event: 'all',
      });
    });

    it('signs each delivery with HMAC-SHA1 of the secret over the exact raw body bytes', async () => {
      const hook = await registerWebhook({ resource: 'messages', event: 'created', secret: 'shh' });
      const { message, deliveries } = await sim.userSays({
        personId: alice.id,
        roomId: room.id,
        text: 'café ☕ /status',
        mentionBot: true,
      });

      const [received] = receiver.received;
      const expected = createHmac('sha1', 'shh')
        .update(received?.raw ?? Buffer.alloc(0))
        .digest('hex');
      expect(received?.headers['x-spark-signature']).toBe(expected);
      expect(JSON.parse(received?.raw.toString('utf8') ?? '{}')).toMatchObject({
        id: hook.id,
        name: 'hook',
        resource: 'messages',
        event: 'created',
        ownedBy: 'creator',
        status: 'active',
        actorId: alice.id,
        createdBy: sim.bot.id,
        data: {
          id: message.id,
          roomId: room.id,
          roomType: 'group',
          personId: alice.id,
          personEmail: 'alice@example.com',
        },
      });
      expect(deliveries).toEqual([expect.objectContaining({ webhookId: hook.id, status: 200, signed: true })]);
    });

    it('stores a mention as Webex does: text starts with the bot name, html carries a spark-mention', async () => {
      const { message } = await sim.userSays({
        personId: alice.id,
        roomId: room.id,
        text: '/status',
        mentionBot: true,
      });

      expect(message.text).toBe('SNA Bot /status');
      expect(message.html).toContain(
        `<spark-mention data-object-type="person" data-object-id="${sim.bot.id}">SNA Bot</spark-mention>`,
      );
      expect(message.mentionedPeople).toEqual([sim.bot.id]);
    });

    it('tells a bot in a group room only about messages that mention it, and about its own', async () => {
      await registerWebhook({ resource: 'all', event: 'all' });

      const unmentioned = await sim.userSays({ personId: alice.id, roomId: room.id, text: 'chatter' });
      const mentioned = await sim.userSays({ personId: alice.id, roomId: room.id, text: 'help', mentionBot: true });
      const own = await asBot('POST', '/messages', { roomId: room.id, text: 'bot speaking' });
      await sim.waitFor(() => sim.deliveries.some((d) => d.dataId === (own.body as WebexMessage).id));

      expect(unmentioned.deliveries).toEqual([]);
      expect(mentioned.deliveries).toHaveLength(1);
      expect(sim.deliveries.map((d) => d.dataId)).toEqual([mentioned.message.id, (own.body as WebexMessage).id]);
    });

    it("tells people's webhooks about every message of their rooms", async () => {
      await registerWebhook({ resource: 'messages', event: 'created' }, asAlice);
      const { deliveries } = await sim.userSays({ personId: bob.id, roomId: room.id, text: 'chatter' });
      expect(deliveries).toHaveLength(1);
    });

    it('tells a bot in a direct room about every message', async () => {
      await registerWebhook({ resource: 'messages', event: 'created' });
      const direct = await sim.createRoom({ title: '', type: 'direct', memberIds: [alice.id, sim.bot.id] });

      const { deliveries } = await sim.userSays({ personId: alice.id, roomId: direct.id, text: 'status' });

      expect(deliveries).toHaveLength(1);
    });

    it('sends attachment actions only to attachmentActions webhooks, never on the all/all firehose', async () => {
      const firehose = await registerWebhook({ resource: 'all', event: 'all' });
      const cards = await registerWebhook({ resource: 'attachmentActions', event: 'created' });
      const posted = await asBot('POST', '/messages', {
        roomId: room.id,
        text: 'alert',
        attachments: [card([submit('Ack')])],
      });
      await sim.waitFor(() => sim.deliveries.length === 1); // the bot's own message, on the firehose

      const { action, deliveries } = await sim.submitCard({
        personId: alice.id,
        messageId: (posted.body as WebexMessage).id,
        inputs: { action: 'ack', note: 'mine' },
      });

      expect(deliveries).toEqual([expect.objectContaining({ webhookId: cards.id, resource: 'attachmentActions' })]);
      expect(deliveries.some((d) => d.webhookId === firehose.id)).toBe(false);
      expect(JSON.parse(deliveries[0]?.body ?? '{}').data).toEqual({
        id: action.id,
        type: 'submit',
        messageId: (posted.body as WebexMessage).id,
        personId: alice.id,
        roomId: room.id,
        created: action.created,
      });
      const read = await asBot('GET', `/attachment/actions/${action.id}`);
      expect(read.body).toEqual(action);
      expect(action.inputs).toEqual({ action: 'ack', note: 'mine' });
    });

    it('delivers memberships/created with the adder as actorId when the bot is added to a room', async () => {
      await registerWebhook({ resource: 'all', event: 'all' });
      const other = await sim.createRoom({ title: 'New', type: 'group', memberIds: [alice.id] });

      const { membership, deliveries } = await sim.addBotToRoom(other.id, alice.id);

      expect(deliveries).toHaveLength(1);
      expect(JSON.parse(deliveries[0]?.body ?? '{}')).toMatchObject({
        resource: 'memberships',
        event: 'created',
        actorId: alice.id,
        data: { id: membership.id, roomId: other.id, personId: sim.bot.id },
      });
    });

    it('respects a roomId filter', async () => {
      const hook = await registerWebhook({ resource: 'messages', event: 'created', filter: `roomId=${room.id}` });
      const other = await sim.createRoom({ title: 'Other', type: 'group', memberIds: [alice.id, sim.bot.id] });

      const inOther = await sim.userSays({ personId: alice.id, roomId: other.id, text: 'x', mentionBot: true });
      const inRoom = await sim.userSays({ personId: alice.id, roomId: room.id, text: 'x', mentionBot: true });

      expect(inOther.deliveries).toEqual([]);
      expect(inRoom.deliveries).toHaveLength(1);
      expect(JSON.parse(inRoom.deliveries[0]?.body ?? '{}')).toMatchObject({
        id: hook.id,
        filter: `roomId=${room.id}`,
      });
    });

    it("records each delivery with the target's status, or null when it is unreachable", async () => {
      const failing = await startReceiver(500);
      await registerWebhook({ resource: 'messages', event: 'created', targetUrl: failing.url });
      await failing.close();
      await registerWebhook({ resource: 'messages', event: 'created', name: 'second' });
      const erroring = await startReceiver(500);
      await registerWebhook({ resource: 'messages', event: 'created', name: 'third', targetUrl: erroring.url });

      const { deliveries } = await sim.userSays({ personId: alice.id, roomId: room.id, text: 'x', mentionBot: true });
      await erroring.close();

      expect(deliveries.map((d) => d.status).sort()).toEqual([200, 500, null]);
      expect(deliveries.find((d) => d.status === null)?.error).toBeTruthy();
    });

    it('sends a raw body byte for byte with exactly the given headers', async () => {
      const hook = await registerWebhook({ resource: 'messages', event: 'created', secret: 'shh' });
      const rawBody = '{ "forged" : true }';

      const [delivery] = await sim.deliverRaw(hook.id, rawBody, { 'x-spark-signature': 'deadbeef' });

      expect(receiver.received[0]?.raw.toString('utf8')).toBe(rawBody);
      expect(receiver.received[0]?.headers['x-spark-signature']).toBe('deadbeef');
      expect(delivery).toMatchObject({ raw: true, signed: true, status: 200 });
      expect(sim.sign(hook.id, rawBody)).toBe(createHmac('sha1', 'shh').update(rawBody).digest('hex'));
    });

    it('stops delivering to a webhook set inactive', async () => {
      const hook = await registerWebhook({ resource: 'messages', event: 'created' });
      await asBot('PUT', `/webhooks/${hook.id}`, { name: 'hook', targetUrl: receiver.url, status: 'inactive' });

      const { deliveries } = await sim.userSays({ personId: alice.id, roomId: room.id, text: 'x', mentionBot: true });

      expect(deliveries).toEqual([]);
    });
  });

  describe('control surface', () => {
    it('drives people, rooms and user messages over /_sim like the in-process API', async () => {
      const post = async (path: string, body: unknown): Promise<unknown> => {
        const res = await fetch(`${sim.url}/_sim${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(res.status).toBe(200);
        return res.json();
      };
      const carol = (await post('/people', { displayName: 'Carol', email: 'carol@example.com' })) as SimPerson;
      const space = (await post('/rooms', { title: 'Ops', memberIds: [carol.id, sim.bot.id] })) as WebexRoom;
      const said = (await post('/messages', {
        personId: carol.id,
        roomId: space.id,
        text: 'hi',
        mentionBot: true,
      })) as {
        message: WebexMessage;
      };

      expect(carol.token).toBeTruthy();
      expect(said.message).toMatchObject({ roomId: space.id, text: 'SNA Bot hi', personId: carol.id });
      expect(sim.messagesIn(space.id)).toEqual([said.message]);
      const state = (await (await fetch(`${sim.url}/_sim/state`)).json()) as { rooms: WebexRoom[] };
      expect(state.rooms.map((r) => r.title)).toContain('Ops');
    });

    it('answers a bad control request with 400 and a Webex error body', async () => {
      const res = await fetch(`${sim.url}/_sim/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ roomId: room.id }),
      });
      expect(res.status).toBe(400);
      errorDescription(await res.json());
    });

    it('emits a change event for every state change', async () => {
      const kinds: string[] = [];
      const listener = (change: { kind: string; action: string }): void => {
        kinds.push(`${change.kind}.${change.action}`);
      };
      sim.events.on('change', listener);
      await sim.userSays({ personId: alice.id, roomId: room.id, text: 'hello' });
      sim.events.off('change', listener);

      expect(kinds).toEqual(['message.created']);
    });

    it('keeps the bot identity and token across reset, and forgets everything else', async () => {
      const before = sim.bot;
      sim.reset();

      expect(sim.bot).toEqual(before);
      expect(sim.state.people.map((p) => p.id)).toEqual([before.id]);
      expect(sim.state.rooms).toEqual([]);
      expect((await asBot('GET', '/people/me')).status).toBe(200);
      expect((await asAlice('GET', '/people/me')).status).toBe(401);
    });

    it('waitFor resolves with the first truthy value and rejects on timeout', async () => {
      const later = setTimeout(() => void sim.userSays({ personId: alice.id, roomId: room.id, text: 'late' }), 20);
      const message = await sim.waitFor(() => sim.messagesIn(room.id).find((m) => m.text === 'late'), 1000);
      clearTimeout(later);

      expect(message.text).toBe('late');
      await expect(sim.waitFor(() => false, 50, 'never')).rejects.toThrow(/timed out after 50 ms: never/);
    });
  });
});
