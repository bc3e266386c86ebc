/**
 * BLOCK_APPROVAL=two-person: a Block press becomes a request on the card; a different
 * responder approves it in time; the requester cannot; a late approval finds it expired.
 * `/block` and `/approve` typed as commands are unit-tested over the router
 * (tests/bot/commands/response-commands.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import type { SimPerson, WebexMessage } from '../../sandbox/webex/index.js';
import { type World, cardActions, cardText, createWorld, eventually, startBot, testClock } from '../helpers/world.js';

let world: World;
let app: App;
const clock = testClock();

beforeAll(async () => {
  world = await createWorld();
  app = await startBot(world.env({ BLOCK_APPROVAL: 'two-person', BLOCK_APPROVAL_TTL: '30m' }), { now: clock.now });
});
afterAll(async () => {
  await app.stop();
  await world.close();
});

const cardFor = (host: string) => world.cards().find((m) => cardText(m).includes(host));
const botRepliesTo = (messageId: string) =>
  world.webex
    .messagesIn(world.alertRoom.id)
    .filter((m) => m.personId === world.webex.bot.id && m.parentId === messageId);
const judgementsFor = (value: string) =>
  world.xdr.state().judgements.filter((j) => (j as { observable?: { value?: string } }).observable?.value === value);

async function alertFor(host: string, peer: string): Promise<WebexMessage> {
  world.smc.addEvent({ typeId: 16, sourceIp: host, targetIp: peer });
  return eventually(() => cardFor(host), 15_000, `a card for ${host}`);
}

async function press(person: SimPerson, card: WebexMessage, verb: string) {
  const data = cardActions(card).find((a) => a.data?.action === verb)?.data;
  if (!data) throw new Error(`the card has no ${verb} button`);
  await world.webex.submitCard({ personId: person.id, messageId: card.id, inputs: data });
}

async function cardShowing(host: string, text: string): Promise<WebexMessage> {
  return eventually(
    () => {
      const card = cardFor(host);
      return card && cardText(card).includes(text) ? card : undefined;
    },
    15_000,
    `the card to show "${text}"`,
  );
}

describe('two-person rule', () => {
  it('turns the first press into a request that only a different responder can approve', async () => {
    const card = await alertFor('10.50.0.1', '203.0.113.50');
    await press(world.responder, card, 'block');
    const pending = await cardShowing('10.50.0.1', 'requested by Riley Responder');
    expect(judgementsFor('203.0.113.50')).toHaveLength(0);

    await press(world.responder, pending, 'approve-block');
    await eventually(
      () => botRepliesTo(pending.id).find((m) => (m.markdown ?? '').includes('a different responder must approve')),
      10_000,
      'the requester to be told no',
    );
    expect(judgementsFor('203.0.113.50')).toHaveLength(0);

    await press(world.responder2, pending, 'approve-block');
    const blocked = await cardShowing('10.50.0.1', 'Blocked 203.0.113.50 by Riley Responder');
    expect(cardText(blocked)).toContain('Robin Second');
    expect(judgementsFor('203.0.113.50')).toHaveLength(1);
  });

  it('shows the request as expired when it is approved too late', async () => {
    const card = await alertFor('10.50.0.2', '203.0.113.51');
    await press(world.responder, card, 'block');
    const pending = await cardShowing('10.50.0.2', 'requested by Riley Responder');
    clock.advance(31 * 60_000);
    await press(world.responder2, pending, 'approve-block');
    await eventually(
      () =>
        world.webex
          .messagesIn(world.alertRoom.id)
          .find((m) => m.personId === world.webex.bot.id && /expired at/.test(m.markdown ?? '')),
      10_000,
      'the expiry answer',
    );
    const after = await eventually(
      () => {
        const c = cardFor('10.50.0.2');
        return c && cardActions(c).some((a) => a.data?.action === 'block') ? c : undefined;
      },
      15_000,
      'the card to offer Block again',
    );
    expect(cardText(after)).toMatch(/Block request for 203\.0\.113\.51 by Riley Responder expired at .* unapproved/);
    expect(judgementsFor('203.0.113.51')).toHaveLength(0);
  });
});
