/**
 * Block and Unblock from the card and from commands, end to end: the real bot, the XDR
 * simulator's CTIA (judgements, relationships, the feed's view.txt) and authorization. The
 * two-person rule and the guardrails have their own files; what each block answer says (TTL,
 * already blocked, refusals, failures) is unit-tested over the router (tests/bot/commands,
 * tests/bot/actions).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import type { SimPerson, WebexMessage } from '../../sandbox/webex/index.js';
import { type World, cardActions, cardText, createWorld, eventually, startBot } from '../helpers/world.js';

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

async function alertFor(host: string, peer: string): Promise<WebexMessage> {
  world.smc.addEvent({ typeId: 16, sourceIp: host, targetIp: peer });
  return eventually(() => world.cards().find((m) => cardText(m).includes(host)), 15_000, `a card for ${host}`);
}

async function press(person: SimPerson, card: WebexMessage, verb: string) {
  const data = cardActions(card).find((a) => a.data?.action === verb)?.data;
  if (!data)
    throw new Error(
      `the card has no ${verb} button (has ${cardActions(card)
        .map((a) => a.data?.action)
        .join(', ')})`,
    );
  return world.webex.submitCard({ personId: person.id, messageId: card.id, inputs: data });
}

const cardFor = (host: string) => world.cards().find((m) => cardText(m).includes(host));
const botRepliesTo = (messageId: string) =>
  world.webex
    .messagesIn(world.alertRoom.id)
    .filter((m) => m.personId === world.webex.bot.id && m.parentId === messageId);

async function feedLines(): Promise<string[]> {
  const [feed] = (await app.services.blocks?.feeds()) ?? [];
  if (!feed) return [];
  const res = await fetch(feed.viewUrl);
  return (await res.text()).split('\n').filter(Boolean);
}

const judgementsFor = (value: string) =>
  world.xdr.state().judgements.filter((j) => (j as { observable?: { value?: string } }).observable?.value === value);

async function say(person: SimPerson, text: string): Promise<WebexMessage> {
  const { message } = await world.webex.userSays({
    personId: person.id,
    roomId: world.alertRoom.id,
    text,
    mentionBot: true,
  });
  return eventually(() => botRepliesTo(message.id)[0], 10_000, `the answer to ${text}`);
}

describe('Block from the card', () => {
  it('puts the peer on the feed, shows who blocked, and Unblock takes it off', async () => {
    const card = await alertFor('10.40.0.1', '203.0.113.7');
    await press(world.responder, card, 'block');

    await eventually(async () => (await feedLines()).includes('203.0.113.7'), 15_000, 'the IP on the feed');
    const [judgement] = judgementsFor('203.0.113.7');
    expect(judgement).toMatchObject({ disposition: 2, disposition_name: 'Malicious', source: 'SNA ChatOps' });
    expect(String((judgement as { reason?: string }).reason)).toMatch(/Riley Responder.*incident/);
    const links = world.xdr
      .state()
      .relationships.filter((r) => (r as { source_ref?: string }).source_ref === judgement?.id);
    expect(links).toMatchObject([{ relationship_type: 'element-of' }]);

    const blocked = await eventually(
      () =>
        cardText(cardFor('10.40.0.1') ?? card).includes('Blocked 203.0.113.7 by Riley Responder') &&
        cardFor('10.40.0.1'),
      15_000,
      'the card to show the block',
    );
    await press(world.responder, blocked, 'unblock');
    await eventually(async () => !(await feedLines()).includes('203.0.113.7'), 15_000, 'the IP off the feed');
    await eventually(
      () => /Unblocked/.test(cardText(cardFor('10.40.0.1') ?? card)),
      15_000,
      'the card to show the unblock',
    );
  });

  it('creates exactly one judgement for a double tap', async () => {
    const card = await alertFor('10.40.0.2', '203.0.113.8');
    await Promise.all([press(world.responder, card, 'block'), press(world.responder, card, 'block')]);
    await eventually(async () => (await feedLines()).includes('203.0.113.8'), 15_000, 'the IP on the feed');
    await new Promise((r) => setTimeout(r, 500));
    expect(judgementsFor('203.0.113.8')).toHaveLength(1);
  });

  it('costs three Webex calls: the press is read and the card replaced, without looking the presser up again or reading back its own card', async () => {
    const shows = (host: string, text: string) => () => {
      const current = cardFor(host);
      return current && cardText(current).includes(text) && current;
    };
    // A first press: the feed exists and the bot has seen the responder.
    await press(world.responder, await alertFor('10.40.0.11', '203.0.113.61'), 'block');
    await eventually(shows('10.40.0.11', 'Blocked 203.0.113.61'), 15_000, 'the first card to show the block');

    const card = await alertFor('10.40.0.12', '203.0.113.62');
    const before = world.webex.calls.length;
    await press(world.responder, card, 'block');
    const replaced = await eventually(shows('10.40.0.12', 'Blocked 203.0.113.62'), 15_000, 'the card to show it');
    await eventually(() => !world.cards().some((m) => m.id === card.id), 10_000, 'the old card deleted');
    const pressCalls = world.webex.calls.slice(before);
    // A command after it: by its answer, anything the press still had to do has long been sent.
    await say(world.operator, '/status');

    const kind = (c: { method: string; path: string }) => `${c.method} ${c.path.replace(/[^/]{20,}$/, '{id}')}`;
    expect(pressCalls.filter((c) => c.auth === 'bot').map(kind)).toEqual([
      'GET /v1/attachment/actions/{id}',
      'POST /v1/messages',
      'DELETE /v1/messages/{id}',
    ]);
    const ownCards = new Set([card.id, replaced.id]);
    const readBack = world.webex.calls.filter((c) => c.method === 'GET' && ownCards.has(c.path.split('/').pop() ?? ''));
    expect(readBack).toEqual([]);
  });

  it('refuses an operator who is not a responder, creating nothing', async () => {
    const card = await alertFor('10.40.0.3', '203.0.113.9');
    await press(world.operator, card, 'block');
    const refusal = await eventually(
      () => botRepliesTo(card.id).find((m) => /Sorry/.test(m.markdown ?? '')),
      10_000,
      'a refusal',
    );
    expect(refusal.markdown).toContain('for responders');
    expect(judgementsFor('203.0.113.9')).toHaveLength(0);
  });
});

describe('Block commands', () => {
  it('costs at most three XDR calls once the feed exists (no look-ups on a first attempt)', async () => {
    expect((await say(world.responder, '/block 203.0.113.40')).markdown).toContain('Blocked IP 203.0.113.40');
    const before = world.xdr.calls.length;
    expect((await say(world.responder, '/block 203.0.113.41')).markdown).toContain('Blocked IP 203.0.113.41');
    const calls = world.xdr.calls.slice(before).filter((c) => !c.path.includes('/oauth2/token'));
    expect(calls.map((c) => `${c.method} ${c.path.replace(/\/[^/]*$/, '/…')}`)).toEqual([
      'POST /ctia/…',
      'POST /ctia/…',
    ]);
  });

  it('refreshes an expired XDR token transparently', async () => {
    world.xdr.expireTokens();
    const answer = await say(world.responder, '/block 203.0.113.30');
    expect(answer.markdown).toContain('Blocked IP 203.0.113.30');
    expect(world.xdr.calls.some((c) => c.status === 401)).toBe(true);
  });

  it('waits out an XDR 429 with Retry-After and then succeeds', async () => {
    world.xdr.rateLimitNext(1, 1, { method: 'POST', pathPrefix: '/ctia/judgement' });
    const started = Date.now();
    const answer = await say(world.responder, '/block 203.0.113.31');
    expect(answer.markdown).toContain('Blocked IP 203.0.113.31');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(world.xdr.calls.some((c) => c.status === 429)).toBe(true);
  });

  it('shows the feed URL firewalls read on /status', async () => {
    const status = await say(world.operator, '/status');
    expect(status.markdown).toMatch(
      /Blocking feed SNA ChatOps Block List — IPv4: http:\/\/127\.0\.0\.1:\d+\/ctia\/feed\/feed-[\w-]+\/view\.txt\?s=/,
    );
  });

  it('shows the audit trail with who did what', async () => {
    const audit = await say(world.operator, '/audit 20');
    expect(audit.markdown).toContain('Riley Responder · block ip:203.0.113.31 · **done**');
    expect(audit.markdown).toMatch(/Jane Doe · block incident:\w+ · \*\*denied\*\*/);
  });
});
