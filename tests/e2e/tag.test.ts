/**
 * Tag and Untag from the card and from commands, with authorization, against the SMC
 * simulator's host groups.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import type { SimPerson, WebexMessage } from '../../sandbox/webex/index.js';
import { type World, cardActions, cardText, createWorld, eventually, hostGroup, startBot } from '../helpers/world.js';

const GROUP = 'SNA ChatOps Quarantine';
let world: World;
let app: App;

beforeAll(async () => {
  world = await createWorld();
  app = await startBot(world.env());
});
afterAll(async () => {
  await app.stop();
  await world.close();
});

async function alertFor(host: string): Promise<WebexMessage> {
  world.smc.addEvent({ typeId: 16, sourceIp: host, targetIp: '52.109.8.40' });
  return eventually(() => world.cards().find((m) => cardText(m).includes(host)), 15_000, `a card for ${host}`);
}

async function press(person: SimPerson, card: WebexMessage, verb: string) {
  const data = cardActions(card).find((a) => a.data?.action === verb)?.data;
  if (!data) throw new Error(`the card has no ${verb} button`);
  return world.webex.submitCard({ personId: person.id, messageId: card.id, inputs: data });
}

const latestCardFor = (host: string) => world.cards().find((m) => cardText(m).includes(host));
const botRepliesTo = (messageId: string) =>
  world.webex
    .messagesIn(world.alertRoom.id)
    .filter((m) => m.personId === world.webex.bot.id && m.parentId === messageId);

describe('Tag', () => {
  it('puts the host into the quarantine group and shows it on the card', async () => {
    const card = await alertFor('10.30.0.1');
    await press(world.operator, card, 'tag');
    await eventually(() => hostGroup(world.smc, GROUP)?.ranges.includes('10.30.0.1'), 15_000, 'the host in the group');
    const updated = await eventually(
      () =>
        cardText(latestCardFor('10.30.0.1') ?? card).includes(`Tagged in ${GROUP} by Jane Doe`) &&
        latestCardFor('10.30.0.1'),
      15_000,
      'the card to show the tag',
    );
    expect(cardActions(updated).map((a) => a.data?.action)).toContain('untag');
  });

  it('keeps both hosts when two operators tag different hosts at the same time', async () => {
    const [a, b] = await Promise.all([alertFor('10.30.0.2'), alertFor('10.30.0.3')]);
    await Promise.all([press(world.operator, a, 'tag'), press(world.responder, b, 'tag')]);
    await eventually(
      () => {
        const ranges = hostGroup(world.smc, GROUP)?.ranges ?? [];
        return ranges.includes('10.30.0.2') && ranges.includes('10.30.0.3');
      },
      15_000,
      'both hosts in the group',
    );
  });

  it('changes the group once when the button is tapped twice', async () => {
    const card = await alertFor('10.30.0.4');
    const putsBefore = world.smc.calls.filter((c) => c.method === 'PUT').length;
    await Promise.all([press(world.operator, card, 'tag'), press(world.operator, card, 'tag')]);
    await eventually(() => hostGroup(world.smc, GROUP)?.ranges.includes('10.30.0.4'), 15_000, 'the host in the group');
    await new Promise((r) => setTimeout(r, 500));
    expect(hostGroup(world.smc, GROUP)?.ranges.filter((r) => r === '10.30.0.4')).toHaveLength(1);
    expect(world.smc.calls.filter((c) => c.method === 'PUT').length - putsBefore).toBe(1);
  });

  it('ignores a replayed press (same attachment action delivered again)', async () => {
    const card = await alertFor('10.30.0.5');
    const { deliveries } = await press(world.operator, card, 'tag');
    await eventually(() => hostGroup(world.smc, GROUP)?.ranges.includes('10.30.0.5'), 15_000, 'the host in the group');
    const original = deliveries[0];
    if (!original) throw new Error('no delivery recorded');
    const putsBefore = world.smc.calls.filter((c) => c.method === 'PUT').length;
    const repliesBefore = botRepliesTo(card.id).length;
    const body = JSON.stringify({
      id: original.webhookId,
      name: world.webex.state.webhooks.find((w) => w.id === original.webhookId)?.name,
      resource: 'attachmentActions',
      event: 'created',
      data: { id: original.dataId, messageId: card.id, roomId: world.alertRoom.id, personId: world.operator.id },
    });
    const [replay] = await world.webex.deliverRaw(original.webhookId, body, {
      'content-type': 'application/json',
      'x-spark-signature': world.webex.sign(original.webhookId, body),
    });
    expect(replay?.status).toBe(200);
    await new Promise((r) => setTimeout(r, 800));
    expect(world.smc.calls.filter((c) => c.method === 'PUT').length).toBe(putsBefore);
    expect(botRepliesTo(card.id).length).toBe(repliesBefore);
  });

  it('refuses an outsider politely, changes nothing, and audits the attempt', async () => {
    const card = await alertFor('10.30.0.6');
    await press(world.outsider, card, 'tag');
    const refusal = await eventually(
      () => botRepliesTo(card.id).find((m) => /Sorry/.test(m.markdown ?? m.text ?? '')),
      10_000,
      'a refusal',
    );
    expect(refusal.markdown).toContain('for operators');
    expect(hostGroup(world.smc, GROUP)?.ranges ?? []).not.toContain('10.30.0.6');
    const entries = await app.services.audit.recent(5);
    expect(entries.some((e) => e.actor.email === 'sam@contractor.example' && e.outcome === 'denied')).toBe(true);
  });

  it('untags from a command and records both steps in /history', async () => {
    const { message } = await world.webex.userSays({
      personId: world.operator.id,
      roomId: world.alertRoom.id,
      text: '/untag 10.30.0.1',
      mentionBot: true,
    });
    await eventually(
      () => !hostGroup(world.smc, GROUP)?.ranges.includes('10.30.0.1'),
      15_000,
      'the host out of the group',
    );
    const reply = await eventually(() => botRepliesTo(message.id)[0], 10_000, 'the untag answer');
    expect(reply.markdown).toContain('Removed 10.30.0.1');
    const { message: ask } = await world.webex.userSays({
      personId: world.operator.id,
      roomId: world.alertRoom.id,
      text: '/history 10.30.0.1',
      mentionBot: true,
    });
    const history = await eventually(() => botRepliesTo(ask.id)[0], 10_000, 'the history');
    expect(history.markdown).toMatch(/untag host:10\.30\.0\.1 · \*\*done\*\*/);
    expect(history.markdown).toMatch(/tag host:10\.30\.0\.1 · \*\*done\*\*/);
  });
});
