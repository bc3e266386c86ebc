/**
 * Cisco XDR misbehaving while a responder presses Block on an alert card: an expired token,
 * refused credentials, 429 with a short and with a long Retry-After, and 500s on either of the
 * two writes a block makes (the Malicious judgement, then its `element-of` link to the feed's
 * indicator). What a responder notices: a clear answer under the card when it failed, the
 * card showing the block when it worked, the firewall feed listing the address only when the
 * block is whole, and a second press that finishes the job exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import type { SimPerson, WebexMessage } from '../../sandbox/webex/index.js';
import { type World, cardActions, cardText, createWorld, eventually, startBot } from '../helpers/world.js';

let world: World;
let app: App;

/** One alert per test, all raised by the same poll (host → peer). */
const ALERTS = {
  expired: ['10.70.0.1', '203.0.113.101'],
  refused: ['10.70.0.2', '203.0.113.102'],
  shortWait: ['10.70.0.3', '203.0.113.103'],
  longWait: ['10.70.0.4', '203.0.113.104'],
  judgement500: ['10.70.0.5', '203.0.113.105'],
  link500: ['10.70.0.6', '203.0.113.106'],
  replaced: ['10.70.0.9', '203.0.113.109'],
} as const;

beforeAll(async () => {
  world = await createWorld({ smc: { pollsUntilComplete: 0 } });
  // No flow context: a late Top-talkers line would replace a card around the moment it is pressed
  // (the last test here covers that race on purpose).
  app = await startBot(world.env({ AUTO_ENRICH: 'false', SNA_FLOW_CONTEXT: 'false' }));
  for (const [host, peer] of Object.values(ALERTS)) world.smc.addEvent({ typeId: 16, sourceIp: host, targetIp: peer });
  await eventually(() => Object.values(ALERTS).every(([host]) => cardFor(host)), 20_000, 'a card for every alert');
});
afterAll(async () => {
  await app.stop();
  await world.close();
});

function cardFor(host: string): WebexMessage | undefined {
  return world.cards().find((m) => cardText(m).includes(host));
}

function card(host: string): WebexMessage {
  const found = cardFor(host);
  if (!found) throw new Error(`no card for ${host}`);
  return found;
}

/** Every card message pressed, per host (a card is replaced when it changes; answers stay under the old one). */
const pressed = new Map<string, Set<string>>();

async function press(person: SimPerson, host: string, verb = 'block'): Promise<void> {
  const message = card(host);
  const data = cardActions(message).find((a) => a.data?.action === verb)?.data;
  if (!data) throw new Error(`the card for ${host} has no ${verb} button`);
  pressed.set(host, (pressed.get(host) ?? new Set()).add(message.id));
  await world.webex.submitCard({ personId: person.id, messageId: message.id, inputs: data });
}

/** The bot's text answers threaded under the cards pressed for `host`. */
const repliesAbout = (host: string) =>
  world.webex
    .messagesIn(world.alertRoom.id)
    .filter(
      (m) =>
        m.personId === world.webex.bot.id &&
        (m.attachments?.length ?? 0) === 0 &&
        m.parentId !== undefined &&
        (pressed.get(host)?.has(m.parentId) ?? false),
    );

const judgementsFor = (value: string) =>
  world.xdr.state().judgements.filter((j) => (j as { observable?: { value?: string } }).observable?.value === value);
const linksOf = (judgementId: string | undefined) =>
  world.xdr.state().relationships.filter((r) => (r as { source_ref?: string }).source_ref === judgementId);

async function feedLines(): Promise<string[]> {
  const feeds = (await app.services.blocks?.feeds()) ?? [];
  const lines: string[] = [];
  for (const feed of feeds) lines.push(...(await (await fetch(feed.viewUrl)).text()).split('\n').filter(Boolean));
  return lines;
}

const blockedOnCard = (host: string, peer: string) =>
  cardText(card(host)).includes(`Blocked ${peer} by Riley Responder`);

/** The block is whole: one judgement, linked once, on the feed, shown on the card. */
async function expectBlockedOnce(host: string, peer: string): Promise<void> {
  await eventually(() => blockedOnCard(host, peer), 15_000, `the card for ${host} to show the block`);
  await eventually(async () => (await feedLines()).includes(peer), 10_000, `${peer} on the feed`);
  const judgements = judgementsFor(peer);
  expect(judgements).toHaveLength(1);
  expect(linksOf(judgements[0]?.id)).toHaveLength(1);
}

/** Judgements of `peer` still valid now (an expired one is off every feed and verdict). */
function liveJudgementsFor(peer: string) {
  return judgementsFor(peer).filter(
    (j) => Date.parse((j as { valid_time?: { end_time?: string } }).valid_time?.end_time ?? '') > Date.now(),
  );
}

/** Nothing of the block exists anywhere: no judgement, not on the feed, not on the card. */
async function expectNothingBlocked(host: string, peer: string): Promise<void> {
  expect(judgementsFor(peer)).toHaveLength(0);
  expect(await feedLines()).not.toContain(peer);
  expect(blockedOnCard(host, peer)).toBe(false);
}

async function failureAnswer(host: string, count = 1): Promise<string> {
  const answer = await eventually(() => repliesAbout(host)[count - 1], 10_000, `an answer about ${host}`);
  return answer.markdown ?? '';
}

describe('XDR faults during Block', () => {
  it('says XDR refused our credentials, changes nothing, and a second press blocks once', async () => {
    const [host, peer] = ALERTS.refused;
    // The first 401 makes the client fetch a new token; the new one is refused too.
    world.xdr.failNext(2, 401, { method: 'POST', pathPrefix: '/ctia/judgement' });
    await press(world.responder, host);
    const answer = await failureAnswer(host);
    expect(answer).toMatch(/^That didn't work: Cisco XDR refused our credentials \(401\)\. Nothing was changed\./);
    await expectNothingBlocked(host, peer);

    await press(world.responder, host);
    await expectBlockedOnce(host, peer);
    expect(repliesAbout(host)).toHaveLength(1);
  });

  it('waits out a short Retry-After and blocks once', async () => {
    const [host, peer] = ALERTS.shortWait;
    world.xdr.rateLimitNext(1, 1, { method: 'POST', pathPrefix: '/ctia/judgement' });
    const started = Date.now();
    await press(world.responder, host);
    await expectBlockedOnce(host, peer);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(repliesAbout(host)).toHaveLength(0);
  });

  it('renews an expired token without bothering the responder', async () => {
    const [host, peer] = ALERTS.expired;
    // A token from the earlier presses is cached; XDR now considers it expired.
    expect(world.xdr.state().tokens.valid).toBeGreaterThan(0);
    world.xdr.expireTokens();
    const before = world.xdr.calls.length;
    await press(world.responder, host);
    await expectBlockedOnce(host, peer);
    expect(world.xdr.calls.slice(before).some((c) => c.status === 401)).toBe(true);
    expect(repliesAbout(host)).toHaveLength(0);
  });

  it('answers at once on a long Retry-After instead of hanging, and a later press blocks once', async () => {
    const [host, peer] = ALERTS.longWait;
    world.xdr.rateLimitNext(1, 600, { method: 'POST', pathPrefix: '/ctia/judgement' });
    const started = Date.now();
    await press(world.responder, host);
    const answer = await failureAnswer(host);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(answer).toMatch(/^That didn't work: Cisco XDR is rate limiting us \(429\)\. Nothing was changed\./);
    await expectNothingBlocked(host, peer);

    await press(world.responder, host);
    await expectBlockedOnce(host, peer);
  });

  it('says XDR had an internal error when the judgement cannot be created, and a retry blocks once', async () => {
    const [host, peer] = ALERTS.judgement500;
    world.xdr.failNext(1, 500, { method: 'POST', pathPrefix: '/ctia/judgement' });
    await press(world.responder, host);
    expect(await failureAnswer(host)).toMatch(/^That didn't work: Cisco XDR had an internal error \(500\)/);
    await expectNothingBlocked(host, peer);

    await press(world.responder, host);
    await expectBlockedOnce(host, peer);
  });

  it('keeps the feed clean when the link fails after the judgement, takes the judgement back, and a retry blocks once', async () => {
    const [host, peer] = ALERTS.link500;
    world.xdr.failNext(1, 500, { method: 'POST', pathPrefix: '/ctia/relationship' });
    await press(world.responder, host);
    expect(await failureAnswer(host)).toMatch(/^That didn't work: Cisco XDR had an internal error \(500\)/);
    // Not on the firewall feed, not shown as blocked on the card, and the half-made judgement expired.
    expect(await feedLines()).not.toContain(peer);
    expect(blockedOnCard(host, peer)).toBe(false);
    expect(liveJudgementsFor(peer)).toHaveLength(0);

    await press(world.responder, host);
    await eventually(() => blockedOnCard(host, peer), 15_000, `the card for ${host} to show the block`);
    await eventually(async () => (await feedLines()).includes(peer), 10_000, `${peer} on the feed`);
    const live = liveJudgementsFor(peer);
    expect(live).toHaveLength(1);
    expect(linksOf(live[0]?.id)).toHaveLength(1);
  });

  // A block creates the Malicious judgement, then its `element-of` link. When the link fails, the
  // judgement must not stay behind as a 7-day Malicious verdict while the responder is told
  // "Nothing was changed": it is expired (or the answer must say the block is half-done).
  it('leaves no Malicious judgement behind when the link fails (or says that it did)', async () => {
    const [host, peer] = ['10.70.0.7', '203.0.113.107'];
    world.smc.addEvent({ typeId: 16, sourceIp: host, targetIp: peer });
    await eventually(() => cardFor(host), 15_000, `a card for ${host}`);
    world.xdr.failNext(1, 500, { method: 'POST', pathPrefix: '/ctia/relationship' });
    await press(world.responder, host);
    const answer = await failureAnswer(host);
    const live = judgementsFor(peer).filter(
      (j) => Date.parse((j as { valid_time?: { end_time?: string } }).valid_time?.end_time ?? '') > Date.now(),
    );
    if (live.length > 0) expect(answer).not.toContain('Nothing was changed');
    else expect(answer).toContain('Nothing was changed');
  });

  // A Webex 429 on the confirmation reply of /block is waited out and the reply sent: the IP *is* on
  // the blocking feed, so "Something went wrong on my side; nothing was changed." would be false.
  it('never tells the responder "nothing was changed" after a block that happened', async () => {
    world.webex.rateLimitNext(1, 1, { method: 'POST', pathPrefix: '/v1/messages' });
    const { message } = await world.webex.userSays({
      personId: world.responder.id,
      roomId: world.alertRoom.id,
      text: '/block 203.0.113.108',
      mentionBot: true,
    });
    const answer = await eventually(
      () =>
        world.webex
          .messagesIn(world.alertRoom.id)
          .find((m) => m.personId === world.webex.bot.id && m.parentId === message.id),
      15_000,
      'the answer to /block',
    );
    expect(judgementsFor('203.0.113.108')).toHaveLength(1);
    expect(answer.markdown).toContain('Blocked IP 203.0.113.108');
  });

  it('answers a press whose card was replaced meanwhile in the space, as its thread is gone', async () => {
    const [host, peer] = ALERTS.replaced;
    // XDR refuses the block slowly; meanwhile the card pressed is replaced (Webex deletes the old one),
    // as a late Top-talkers line or another responder's action does.
    world.xdr.setLatency(1500, { method: 'POST', pathPrefix: '/ctia/judgement' });
    world.xdr.failNext(2, 401, { method: 'POST', pathPrefix: '/ctia/judgement' });
    try {
      const pressedCard = card(host);
      await press(world.responder, host);
      const deleted = await fetch(`${world.env().WEBEX_API_URL}/messages/${pressedCard.id}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${world.webex.bot.token}` },
      });
      expect(deleted.status).toBe(204);
      const answer = await eventually(
        () =>
          world.webex
            .messagesIn(world.alertRoom.id)
            .find(
              (m) =>
                m.personId === world.webex.bot.id &&
                m.parentId === undefined &&
                (m.markdown ?? '').includes('Cisco XDR refused our credentials'),
            ),
        15_000,
        'the answer in the space',
      );
      expect(answer.markdown).toMatch(/Nothing was changed/);
      expect(judgementsFor(peer)).toHaveLength(0);
    } finally {
      world.xdr.setLatency(0);
    }
  });
});
