/**
 * Closed by default: with BOT_OPERATORS empty, the operators are the members of the alert space.
 * A stranger who opens a 1:1 with the bot (any Webex user can) gets /help, "up" on /status and
 * polite, audited refusals; nothing in the SMC, XDR or the incidents changes, and alerts for
 * the host they tried to snooze still arrive. A member can work; a member who leaves cannot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import type { SimPerson, WebexMessage, WebexRoom } from '../../sandbox/webex/index.js';
import { type World, cardText, createWorld, eventually, hostGroup, startBot } from '../helpers/world.js';

let world: World;
let app: App;
let stranger: SimPerson;
let strangerRoom: WebexRoom;
let memberRoom: WebexRoom;

beforeAll(async () => {
  world = await createWorld();
  // No BOT_OPERATORS: the alert space's members are the operators. Responders stay listed.
  app = await startBot(world.env({ BOT_OPERATORS: '', AUTO_ENRICH: 'false' }));
  stranger = world.webex.addPerson({ displayName: 'Eve Stranger', email: 'eve@elsewhere.example' });
  strangerRoom = await world.webex.createRoom({
    title: 'Eve',
    type: 'direct',
    memberIds: [stranger.id, world.webex.bot.id],
  });
  // Sam is in the alert space but in no list: a member, so an operator by default.
  memberRoom = await world.webex.createRoom({
    title: 'Sam',
    type: 'direct',
    memberIds: [world.outsider.id, world.webex.bot.id],
  });
});
afterAll(async () => {
  await app.stop();
  await world.close();
});

/** Sends `text` in a 1:1 and waits for the bot's next message there. */
async function ask(person: SimPerson, room: WebexRoom, text: string): Promise<WebexMessage> {
  const { message } = await world.webex.userSays({ personId: person.id, roomId: room.id, text });
  return eventually(
    () =>
      world.webex
        .messagesIn(room.id)
        .find((m) => m.personId === world.webex.bot.id && m.created >= message.created && m.id !== message.id),
    10_000,
    `the answer to ${text}`,
  );
}

const auditFor = async (personId: string) =>
  (await app.services.audit.recent(200)).filter((e) => e.actor.id === personId);

describe('a stranger in a 1:1 (not in the alert space, not listed)', () => {
  it.each([
    ['/snooze 10.61.0.1 30d', 'snooze'],
    ['/tag 10.61.0.2', 'tag'],
    ['/untag 10.61.0.3', 'untag'],
    ['/incidents all', 'incidents'],
    ['/audit', 'audit'],
    ['/enrich 203.0.113.50', 'enrich'],
    ['/block 203.0.113.51', 'block'],
  ])('is refused %s, politely, and the attempt is audited', async (text, command) => {
    const answer = await ask(stranger, strangerRoom, text);
    expect(answer.markdown).toMatch(/^Sorry, `?\/\w+`? is for (operators|responders)/);
    expect(answer.markdown).toContain('Nothing was changed');
    const entries = await auditFor(stranger.id);
    expect(entries.some((e) => e.action === `/${command}` && e.outcome === 'denied')).toBe(true);
  });

  it('changed nothing upstream or in the incidents, and the host it tried to snooze still alerts', async () => {
    expect(world.smc.calls.filter((c) => c.method !== 'GET' && c.path.includes('hostgroup'))).toEqual([]);
    expect(hostGroup(world.smc, 'SNA ChatOps Quarantine')).toBeUndefined();
    expect(world.xdr.calls).toEqual([]);
    expect(world.umbrella.calls).toEqual([]);
    expect(world.virusTotal.calls).toEqual([]);
    expect(await app.services.state.get('snooze:host:10.61.0.1')).toBeUndefined();
    world.smc.addEvent({ typeId: 16, sourceIp: '10.61.0.1', targetIp: '203.0.113.52' });
    await eventually(() => world.cards().find((m) => cardText(m).includes('10.61.0.1')), 15_000, 'the card');
  });

  it('gets /help, with a word on why it can do nothing else', async () => {
    const answer = await ask(stranger, strangerRoom, '/help');
    expect(answer.markdown).toContain('/status');
    expect(answer.markdown).toContain("You are not one of this bot's operators");
    expect(answer.markdown).toContain('members of the alert space');
  });

  it('learns from /status only whether the bot is up, never the feed URLs or the SMC session', async () => {
    // Once the IPv4 feed exists, an operator's /status lists its secret-bearing view.txt URL.
    await app.services.blocks?.feedFor('ip');
    const operatorView = await ask(world.outsider, memberRoom, '/status');
    expect(operatorView.markdown).toMatch(/view\.txt\?s=/);
    const strangerView = await ask(stranger, strangerRoom, '/status');
    expect(strangerView.markdown).toMatch(/is (up|\*\*degraded\*\*)/);
    expect(strangerView.markdown).not.toMatch(/view\.txt|\?s=|SMC session|quota|Blocking feed/);
  });
});

describe('members of the alert space', () => {
  it('work as operators with BOT_OPERATORS empty, and lose it when they leave the space', async () => {
    const tagged = await ask(world.outsider, memberRoom, '/tag 10.61.0.9');
    expect(tagged.markdown).toContain('Tagged 10.61.0.9');
    expect(hostGroup(world.smc, 'SNA ChatOps Quarantine')?.ranges).toContain('10.61.0.9');

    // Sam leaves the alert space (Webex tells the bot with a memberships/deleted event).
    const membership = world.webex.state.memberships.find(
      (m) => m.roomId === world.alertRoom.id && m.personId === world.outsider.id,
    );
    if (!membership) throw new Error('Sam is not in the alert space');
    const res = await fetch(`${world.webex.apiUrl}/memberships/${encodeURIComponent(membership.id)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${world.webex.tokenFor(world.outsider.id)}` },
    });
    expect(res.status).toBe(204);
    await eventually(
      async () => (await ask(world.outsider, memberRoom, '/untag 10.61.0.9')).markdown?.startsWith('Sorry'),
      10_000,
      'Sam to be refused once he left',
    );
    expect(hostGroup(world.smc, 'SNA ChatOps Quarantine')?.ranges).toContain('10.61.0.9');
  });
});
