/**
 * The Webex simulator's websocket side on the wire, with a plain `ws` client: the u2c catalog
 * entries websocket mode needs, WDM device registration, and the Mercury socket (authorization,
 * buffer state, ping/pong, acks, activities). The SDK itself is the judge in tests/e2e/websocket.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type SimPerson, startWebexSimulator, type WebexRoom, type WebexSimulator } from '../../sandbox/webex/index.js';

let sim: WebexSimulator;
let alice: SimPerson;
let room: WebexRoom;

beforeAll(async () => {
  sim = await startWebexSimulator();
  alice = sim.addPerson({ displayName: 'Alice Analyst', email: 'alice@soc.example' });
  room = await sim.createRoom({ title: 'SOC', type: 'group', memberIds: [alice.id, sim.bot.id] });
});
afterAll(async () => {
  await sim.close();
});

function api(path: string, init: RequestInit & { token?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  return fetch(`${sim.url}${path}`, { ...init, headers });
}

async function registerDevice(token = sim.bot.token): Promise<{ url: string; webSocketUrl: string }> {
  const res = await api('/wdm/api/v1/devices', { method: 'POST', token, body: JSON.stringify({ name: 'test' }) });
  expect(res.status).toBe(200);
  return (await res.json()) as { url: string; webSocketUrl: string };
}

type Frame = Record<string, unknown> & { id?: string; type?: string; data?: Record<string, unknown> };

/** A raw Mercury client: every frame received, in order. */
class Client {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: Array<() => void> = [];

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      this.frames.push(JSON.parse(data.toString('utf8')) as Frame);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
  }

  static async open(url: string): Promise<Client> {
    const socket = new WebSocket(url);
    const client = new Client(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  send(frame: object): void {
    this.socket.send(JSON.stringify(frame));
  }

  async next(match: (frame: Frame) => boolean): Promise<Frame> {
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Opens, authorizes and waits for the buffer state, as the SDK does. */
  static async authorized(url: string, token = sim.bot.token): Promise<Client> {
    const client = await Client.open(url);
    client.send({ id: 'auth-1', type: 'authorization', data: { token: `Bearer ${token}` } });
    await client.next((f) => f.data?.eventType === 'mercury.buffer_state');
    return client;
  }
}

function activityOf(frame: Frame): Record<string, unknown> {
  return (frame.data?.activity ?? {}) as Record<string, unknown>;
}

function uuidOf(id: string): string {
  return Buffer.from(id, 'base64url').toString('utf8').split('/').pop() ?? '';
}

describe('u2c catalog', () => {
  it('advertises wdm, and the conversation cluster the SDK maps to "us" ids', async () => {
    const res = await api('/u2c/api/v1/limited/catalog?orgId=x&format=hostmap');
    const body = (await res.json()) as {
      serviceLinks: Record<string, string>;
      hostCatalog: Record<string, Array<{ id: string }>>;
    };
    expect(body.serviceLinks.wdm).toBe(`${sim.url}/wdm/api/v1`);
    expect(body.serviceLinks.conversation).toBe(`${sim.url}/conversation/api/v1`);
    expect(body.hostCatalog['127.0.0.1']?.[0]?.id).toBe('urn:TEAM:us-east-2_a:conversation');
  });

  it('wants a token for the full catalog', async () => {
    expect((await api('/u2c/api/v1/catalog')).status).toBe(401);
    expect((await api('/u2c/api/v1/catalog', { token: sim.bot.token })).status).toBe(200);
  });
});

describe('WDM device registration', () => {
  it('registers, refreshes and deletes a device of the caller only', async () => {
    expect((await api('/wdm/api/v1/devices', { method: 'POST', body: '{}' })).status).toBe(401);
    const device = await registerDevice();
    expect(device.webSocketUrl).toMatch(
      /^ws:\/\/127\.0\.0\.1:\d+\/mercury\/v1\/apps\/wx2\/registrations\/[0-9a-f-]{36}\/messages$/,
    );
    const path = new URL(device.url).pathname;
    expect((await api(path, { token: alice.token })).status).toBe(404);
    expect((await api(path, { method: 'PUT', token: sim.bot.token, body: '{"name":"again"}' })).status).toBe(200);
    expect((await api(path, { method: 'DELETE', token: sim.bot.token })).status).toBe(204);
    expect((await api(path, { token: sim.bot.token })).status).toBe(404);
  });
});

describe('Mercury websocket', () => {
  it('refuses an unknown registration at the upgrade', async () => {
    const socket = new WebSocket(
      `${sim.url.replace('http', 'ws')}/mercury/v1/apps/wx2/registrations/${crypto.randomUUID()}/messages`,
    );
    const error = await new Promise<Error>((resolve) => socket.once('error', resolve));
    expect(error.message).toContain('404');
  });

  it('closes with 4401 when the authorization carries a bad token, before sending anything', async () => {
    const client = await Client.open((await registerDevice()).webSocketUrl);
    client.send({ id: 'auth-x', type: 'authorization', data: { token: 'Bearer not-a-token' } });
    expect((await client.closed).code).toBe(4401);
    expect(client.frames).toEqual([]);
  });

  it('answers a good authorization with a buffer state (no `type`), then pings with pongs', async () => {
    const client = await Client.authorized((await registerDevice()).webSocketUrl);
    const ready = client.frames[0];
    expect(ready?.type).toBeUndefined();
    expect(ready).toMatchObject({ sequenceNumber: 1, data: { eventType: 'mercury.buffer_state' } });
    client.send({ id: 'ping-7', type: 'ping' });
    expect(await client.next((f) => f.type === 'pong')).toEqual({ id: 'ping-7', type: 'pong' });
    client.socket.close();
  });

  it('sends the bot an activity for a message that mentions it, with uuids and a conversation URL', async () => {
    const client = await Client.authorized((await registerDevice()).webSocketUrl);
    await sim.userSays({ personId: alice.id, roomId: room.id, text: 'not for the bot' });
    const { message } = await sim.userSays({ personId: alice.id, roomId: room.id, text: '/help', mentionBot: true });
    const frame = await client.next((f) => f.data?.eventType === 'conversation.activity');
    const activity = activityOf(frame);
    expect(activity).toMatchObject({
      id: uuidOf(message.id),
      verb: 'post',
      actor: { entryUUID: uuidOf(alice.id), emailAddress: 'alice@soc.example', type: 'PERSON' },
      target: { id: uuidOf(room.id), url: `${sim.url}/conversation/api/v1/conversations/${uuidOf(room.id)}`, tags: [] },
    });
    expect(client.frames.filter((f) => f.data?.eventType === 'conversation.activity')).toHaveLength(1);

    client.send({ messageId: frame.id, type: 'ack' });
    await sim.waitFor(() => sim.mercury.frames.find((r) => r.frameId === frame.id)?.acked, 5_000, 'the ack');
    client.socket.close();
  });

  it('gives memberships Webex-shaped ids the SDK can rebuild from an `add` activity', async () => {
    const client = await Client.authorized((await registerDevice()).webSocketUrl);
    const second = await sim.createRoom({ title: 'Second', type: 'group', memberIds: [alice.id] });
    const { membership } = await sim.addBotToRoom(second.id, alice.id);
    expect(Buffer.from(membership.id, 'base64url').toString('utf8')).toBe(
      `ciscospark://us/MEMBERSHIP/${uuidOf(sim.bot.id)}:${uuidOf(second.id)}`,
    );
    const activity = activityOf(await client.next((f) => activityOf(f).verb === 'add'));
    expect(activity.object).toMatchObject({ entryUUID: uuidOf(sim.bot.id), roomProperties: { isModerator: false } });
    expect(activity.target).toMatchObject({ id: uuidOf(second.id) });
    client.socket.close();
  });

  it('closes the socket of a device that is deleted', async () => {
    const device = await registerDevice();
    const client = await Client.authorized(device.webSocketUrl);
    await api(new URL(device.url).pathname, { method: 'DELETE', token: sim.bot.token });
    expect(await client.closed).toEqual({ code: 1000, reason: 'Device unregistered' });
  });
});
