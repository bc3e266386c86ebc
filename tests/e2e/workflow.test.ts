/**
 * The incident workflow end to end: digest instead of a flood, escalation to one XDR incident,
 * and the points threshold. /ack, /assign, /resolve and /snooze on the card are unit-tested over
 * the router (tests/bot/commands/incident-workflow.test.ts).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import type { WebexMessage } from '../../sandbox/webex/index.js';
import { type World, cardActions, cardText, createWorld, eventually, polls, startBot } from '../helpers/world.js';

let world: World;
let app: App | undefined;
/** One state file for the whole file: each bot picks up where the previous one stopped. */
let env: (overrides?: Record<string, string>) => Record<string, string>;

beforeAll(async () => {
  world = await createWorld();
  const base = world.env({ AUTO_ENRICH: 'false' });
  env = (overrides = {}) => ({ ...base, ...overrides });
});
afterEach(async () => {
  await app?.stop();
  app = undefined;
  // Each test's bot starts on fresh state: without this it would alert again for every earlier
  // test's events (and spend its flow-query budget on them).
  world.smc.reset();
});
afterAll(async () => {
  await world.close();
});

const botRepliesTo = (messageId: string) =>
  world.webex
    .messagesIn(world.alertRoom.id)
    .filter((m) => m.personId === world.webex.bot.id && m.parentId === messageId);

async function ask(text: string): Promise<WebexMessage> {
  const { message } = await world.webex.userSays({
    personId: world.operator.id,
    roomId: world.alertRoom.id,
    text,
    mentionBot: true,
  });
  return eventually(() => botRepliesTo(message.id)[0], 15_000, `the answer to ${text}`);
}

const cardFor = (host: string) =>
  world.cards().find((m) => cardText(m).includes(host) && !cardText(m).includes('new incidents'));
const incidentIdOf = (card: WebexMessage) =>
  String(cardActions(card).find((a) => a.data?.incidentId)?.data?.incidentId);

async function alertFor(host: string, extra: { points?: number } = {}): Promise<WebexMessage> {
  world.smc.addEvent({ typeId: 16, sourceIp: host, targetIp: '203.0.113.200', ...extra });
  return eventually(() => cardFor(host), 15_000, `a card for ${host}`);
}

describe('a burst of new incidents', () => {
  it('becomes one digest card naming all thirty hosts instead of thirty alerts', async () => {
    const hosts = Array.from({ length: 30 }, (_, i) => `10.80.1.${i + 1}`);
    for (const host of hosts) world.smc.addEvent({ typeId: 16, sourceIp: host, targetIp: '203.0.113.201' });
    const cardsBefore = world.cards().length;
    app = await startBot(env());
    const digest = await eventually(
      () => world.cards().find((m) => cardText(m).includes('30 new incidents')),
      15_000,
      'the digest',
    );
    const named = new Set(cardText(digest).match(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g));
    expect(hosts.filter((h) => !named.has(h))).toEqual([]);
    expect(cardText(digest)).not.toMatch(/\+\d+ more/);
    // Two more polls and an idle outbox: nothing else was posted for the burst.
    const { poller, outbox } = app.services;
    for (let n = 0; n < 2; n += 1) {
      const before = (await poller?.status())?.lastSuccessAt;
      await eventually(async () => (await poller?.status())?.lastSuccessAt !== before, 15_000, 'the next poll');
    }
    await outbox.idle();
    expect(world.cards().length - cardsBefore).toBe(1);

    const list = await ask('/incidents');
    expect(cardText(list)).toMatch(/10\.80\.1\.\d+/);
  });
});

describe('working an incident', () => {
  it('does not alert for events under SNA_MIN_POINTS', async () => {
    app = await startBot(env({ SNA_MIN_POINTS: '100' }));
    world.smc.addEvent({ typeId: 16, sourceIp: '10.80.4.1', targetIp: '203.0.113.203', points: 20 });
    await alertFor('10.80.4.2', { points: 500 });
    await polls(app, 1);
    await app.services.outbox.idle();
    expect(cardFor('10.80.4.1')).toBeUndefined();
  });

  it('escalates to exactly one XDR incident with a sighting per SNA event', async () => {
    app = await startBot(env());
    world.smc.addEvent({ typeId: 16, sourceIp: '10.80.5.1', targetIp: '203.0.113.204' });
    const card = await eventually(() => cardFor('10.80.5.1'), 15_000, 'the alert');
    world.smc.addEvent({ typeId: 16, sourceIp: '10.80.5.1', targetIp: '203.0.113.205' });
    await eventually(() => /2 events/.test(cardText(cardFor('10.80.5.1') ?? card)), 15_000, 'two events on the card');
    const id = incidentIdOf(card);
    const incidentsBefore = world.xdr.state().incidents.length;

    expect((await ask(`/escalate ${id}`)).markdown).toMatch(
      /Escalated \w+ to XDR incident incident-[\w-]+ with 2 sightings/,
    );
    const state = world.xdr.state();
    expect(state.incidents.length).toBe(incidentsBefore + 1);
    const xdrIncident = state.incidents.at(-1) as { id: string; title?: string };
    expect(xdrIncident.title).toBe('High Total Traffic on 10.80.5.1');
    const members = state.relationships.filter(
      (r) =>
        (r as { relationship_type?: string; target_ref?: string }).relationship_type === 'member-of' &&
        (r as { target_ref?: string }).target_ref === xdrIncident.id,
    );
    expect(members).toHaveLength(2);

    await eventually(
      () => /Escalated to XDR incident/.test(cardText(cardFor('10.80.5.1') ?? card)),
      15_000,
      'the escalation on the card',
    );
    expect((await ask(`/escalate ${id}`)).markdown).toContain('Already escalated');
    // Even when the bot forgets it escalated, XDR's bundle import dedupes by external id.
    await app.services.incidents.change(id, (i) => ((i.escalation = undefined), true));
    await ask(`/escalate ${id}`);
    expect(world.xdr.state().incidents.length).toBe(incidentsBefore + 1);
  });
});
