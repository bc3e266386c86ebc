/**
 * Webex misbehaving while alerts arrive: a storm of 503s and 429s on `POST /v1/messages`.
 * The bot runs as `npm start` runs it (a child process), so "it never crashes" is observable.
 * What an operator notices: every incident gets exactly one card, in the order the incidents
 * appeared, `/status` says the outbox is waiting and then that it is empty again.
 *
 * One child bot serves every test of the file (a start costs seconds of CPU): each test uses hosts
 * and calls of its own, a test about a person's lookup uses a newcomer the bot has never looked up,
 * and a bot that died is replaced before the next test. The outbox backs off from 100 ms
 * (`OUTBOX_BACKOFF_MS`), not 1 s: what is asserted is how often and in which order, not for how long.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SimPerson, WebexMessage } from '../../sandbox/webex/index.js';
import {
  type ChildBot,
  cardActions,
  cardText,
  createWorld,
  eventually,
  spawnBot,
  type World,
  withPort,
} from '../helpers/world.js';

const HIGH_TOTAL_TRAFFIC = 16;
const MESSAGES = { method: 'POST', pathPrefix: '/v1/messages' } as const;

let world: World;
/** The one child bot of this file (replaced if a test leaves it dead). */
let bot: ChildBot;
/** The running child's own HTTP server (health, metrics). */
let botUrl = '';

beforeAll(async () => {
  world = await createWorld({ smc: { pollsUntilComplete: 0 } });
});
beforeEach(async () => {
  if (bot?.process.exitCode === null) return;
  bot = await startChild();
});
afterEach(() => {
  world.webex.faults.clear();
});
afterAll(async () => {
  await bot?.stop('SIGKILL');
  await world.close();
});

async function startChild(): Promise<ChildBot> {
  // Auto-enrichment and flow context are off: they only delay first cards by up to 3 s (flow queries
  // are rate-limited: this file raises more incidents a minute than it allows) and are not under test here.
  const env = await withPort(
    world.env({ AUTO_ENRICH: 'false', SNA_FLOW_CONTEXT: 'false', OUTBOX_BACKOFF_MS: '100', LOG_LEVEL: 'info' }),
  );
  botUrl = `http://127.0.0.1:${env.PORT ?? ''}`;
  const child = spawnBot(env);
  await child.ready();
  return child;
}

/** Someone the bot has never looked up (it keeps lookups for minutes): an operator in the alert space. */
async function newcomer(displayName: string): Promise<SimPerson> {
  const email = `${displayName.toLowerCase().replace(/\W+/g, '.')}@soc.example`;
  const person = world.webex.addPerson({ displayName, email });
  const added = await fetch(`${world.webex.apiUrl}/memberships`, {
    method: 'POST',
    headers: { authorization: `Bearer ${world.operator.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ roomId: world.alertRoom.id, personId: person.id }),
  });
  if (!added.ok) throw new Error(`could not add ${displayName} to the alert space: ${added.status}`);
  return person;
}

async function metric(line: RegExp): Promise<number> {
  const text = await (await fetch(`${botUrl}/metrics`)).text();
  return Number(new RegExp(`^${line.source} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
}

const cardsFor = (host: string) => world.cards().filter((m) => cardText(m).includes(host));

/** Sends `text` mentioning the bot and waits for the bot's answer threaded under it. */
async function ask(person: SimPerson, text: string, timeoutMs = 10_000): Promise<WebexMessage> {
  const { message } = await world.webex.userSays({
    personId: person.id,
    roomId: world.alertRoom.id,
    text,
    mentionBot: true,
  });
  return eventually(
    () =>
      world.webex
        .messagesIn(world.alertRoom.id)
        .find((m) => m.personId === world.webex.bot.id && m.parentId === message.id),
    timeoutMs,
    `the answer to ${text}`,
  );
}

const queriesStarted = () => world.smc.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/queries')).length;

/**
 * Adds an event for `host` and waits until a search job has taken it in (the SMC snapshots the
 * events when the job starts), so each incident arrives in a later poll than the one before.
 */
async function incidentArrives(host: string, peer: string): Promise<void> {
  const before = queriesStarted();
  world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: host, targetIp: peer });
  await eventually(() => queriesStarted() > before, 10_000, `a poll that sees ${host}`);
}

/** An alert card for `host` and the data of its Acknowledge button. */
async function alertWithAck(host: string, peer: string) {
  await incidentArrives(host, peer);
  const card = await eventually(() => cardsFor(host)[0], 15_000, 'the alert card');
  const ack = cardActions(card).find((a) => a.data?.action === 'ack')?.data;
  if (!ack) throw new Error('the card has no Acknowledge button');
  return { card, ack };
}

function acknowledged(host: string, by = world.operator): Promise<WebexMessage> {
  return eventually(
    () => cardsFor(host).find((m) => cardText(m).includes(`Acknowledged by ${by.displayName}`)),
    10_000,
    'the card to show the acknowledgement',
  );
}

function assertAlive(child: ChildBot): void {
  expect(child.process.exitCode, child.output()).toBeNull();
  expect(child.output()).not.toMatch(/unhandled promise rejection|"level":60|could not start/);
}

describe('Webex 5xx and 429 storm on POST /v1/messages', () => {
  it('delivers exactly one card per incident, in order, and /status shows the outbox draining', async () => {
    const callsBefore = world.webex.calls.length;
    // Three 503s, then three 429s. The last 429 asks for 3 s, which leaves a window in which no
    // fault is pending but the outbox still waits: /status asked then can be answered (its own
    // reply is a POST /v1/messages, and would otherwise take one of the faults; see below).
    world.webex.failNext(3, 503, MESSAGES);
    world.webex.rateLimitNext(2, 1, MESSAGES);
    world.webex.rateLimitNext(1, 3, MESSAGES);

    const hosts = ['10.50.1.1', '10.50.2.2', '10.50.3.3', '10.50.4.4'];
    const ours = () => world.cards().filter((m) => hosts.some((h) => cardText(m).includes(h)));
    for (const [i, host] of hosts.entries()) await incidentArrives(host, `52.109.9.${i + 1}`);

    await eventually(() => world.webex.faults.pending === 0, 30_000, 'the storm to be used up');
    expect(ours()).toHaveLength(0);
    const waiting = await ask(world.operator, '/status');
    // "retrying now" when the asked-for time has come and the retry is under way (a loaded machine).
    expect(waiting.markdown).toMatch(
      /Outbox: [1-4] waiting \(Webex asked to slow down \(429\), (retry in \d+ s|retrying now)\)/,
    );

    await eventually(() => hosts.every((h) => cardsFor(h).length > 0), 20_000, 'a card for every incident');
    // The last card is in the space a moment before the outbox records it as delivered.
    await eventually(
      async () => /^sna_chatops_outbox_depth 0$/m.test(await (await fetch(`${botUrl}/metrics`)).text()),
      10_000,
      'the outbox to be empty',
    );
    const drained = await ask(world.operator, '/status');
    expect(drained.markdown).toContain('Outbox: empty, every alert delivered');

    // A moment for any straggling retry or poll: still exactly one card each.
    await new Promise((r) => setTimeout(r, 1200));
    for (const host of hosts) expect(cardsFor(host), host).toHaveLength(1);
    const order = ours().map((m) => hosts.findIndex((h) => cardText(m).includes(h)));
    expect(order).toEqual([0, 1, 2, 3]);

    const posts = world.webex.calls.slice(callsBefore).filter((c) => c.method === 'POST' && c.path === '/v1/messages');
    expect(posts.filter((c) => c.status === 503)).toHaveLength(3);
    expect(posts.filter((c) => c.status === 429)).toHaveLength(3);
    // Retry-After was obeyed: 1 s between the first 429s, 3 s before the first card.
    const limited = posts.filter((c) => c.status === 429).map((c) => Date.parse(c.at));
    limited.slice(1).forEach((t, i) => expect(t - (limited[i] ?? t)).toBeGreaterThanOrEqual(1000));
    const firstCard = ours()[0];
    expect(Date.parse(firstCard?.created ?? '') - (limited.at(-1) ?? Infinity)).toBeGreaterThanOrEqual(3000);
    assertAlive(bot);
  });

  // A 429 is not an outage: the exponential backoff counts consecutive 5xx/network failures only.
  // (It once counted the 429s too: after six 429s the first 503 was attempt 7, 30–60 s per 503, and
  // three of them held the first card back about two minutes.)
  it('does not let 429s inflate the backoff of a later 503 (6×429 then 3×503)', async () => {
    // Retry-After: 0 (the retry comes 100 ms later): this test is about the 503 backoff, not the 429 wait.
    world.webex.rateLimitNext(6, 0, MESSAGES);
    world.webex.failNext(3, 503, MESSAGES);
    const callsBefore = world.webex.calls.length;
    world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: '10.50.5.5', targetIp: '52.109.9.5' });
    const card = await eventually(() => cardsFor('10.50.5.5')[0], 30_000, 'the card after the storm');
    const posts = world.webex.calls.slice(callsBefore).filter((c) => c.method === 'POST' && c.path === '/v1/messages');
    expect(posts.filter((c) => c.status === 429)).toHaveLength(6);
    const failed = posts.filter((c) => c.status === 503).map((c) => Date.parse(c.at));
    expect(failed).toHaveLength(3);
    // Backoffs of the 1st, 2nd and 3rd outage failure: at most 0.1 + 0.2 + 0.4 s. Counting the
    // 429s too, they would be failures 7–9: 6.4 + 12.8 + 25.6 s, at least half of it (jitter).
    expect(Date.parse(card.created) - (failed[0] ?? 0)).toBeLessThan(10_000);
    assertAlive(bot);
  });

  // A 429 on the bot's own reply waits out Retry-After and is sent again. (Once it was not retried:
  // the error boundary answered "Something went wrong on my side; nothing was changed." — false for
  // a command that had acted — and with two 429s queued the person got no answer at all.)
  it('answers /status asked in the middle of a 429 storm (the reply waits out Retry-After)', async () => {
    world.webex.rateLimitNext(2, 1, MESSAGES);
    const answer = await ask(world.operator, '/status', 15_000);
    expect(answer.markdown).toContain('SNA ChatOps status');
    expect(answer.markdown).not.toContain('Something went wrong');
    assertAlive(bot);
  });
});

describe('Webex failing the person lookup of an incoming message', () => {
  const failedLookup = (after: number) =>
    eventually(
      () =>
        world.webex.calls
          .slice(after)
          .some((c) => c.method === 'GET' && c.path.startsWith('/v1/people/') && c.status === 500),
      10_000,
      'the failed person lookup',
    );

  it('loses only that message: the same person is heard again right after', async () => {
    // webex 2.4.2's people batcher rejects nothing when this GET fails, so unrepaired, the lookup
    // stayed pending forever and the person was never heard again until a restart.
    const person = await newcomer('Lou Lookup');
    const callsBefore = world.webex.calls.length;
    world.webex.failNext(1, 500, { method: 'GET', pathPrefix: '/v1/people/' });
    const { message: lost } = await world.webex.userSays({
      personId: person.id,
      roomId: world.alertRoom.id,
      text: '/help',
      mentionBot: true,
    });
    await failedLookup(callsBefore);
    const answer = await ask(person, '/status');
    expect(answer.markdown).toContain('SNA ChatOps status');
    expect(world.webex.messagesIn(world.alertRoom.id).some((m) => m.parentId === lost.id)).toBe(false);
    assertAlive(bot);
  });

  it('loses only that press: the same button tapped again works', async () => {
    const person = await newcomer('Pat Presser');
    const { card, ack } = await alertWithAck('10.61.0.1', '203.0.113.61');

    const callsBefore = world.webex.calls.length;
    world.webex.failNext(1, 500, { method: 'GET', pathPrefix: '/v1/people/' });
    await world.webex.submitCard({ personId: person.id, messageId: card.id, inputs: ack });
    await failedLookup(callsBefore);
    await world.webex.submitCard({ personId: person.id, messageId: card.id, inputs: ack });
    await acknowledged('10.61.0.1', person);
    assertAlive(bot);
  });
});

describe('Webex rate-limiting the fetch of an incoming message or press', () => {
  it('answers the message once Retry-After has passed, instead of dropping it', async () => {
    const retried = /sna_chatops_webex_incoming_fetch_failures_total\{kind="message",outcome="retried"\}/;
    const retriedBefore = await metric(retried);
    const callsBefore = world.webex.calls.length;
    world.webex.rateLimitNext(1, 1, { method: 'GET', pathPrefix: '/v1/messages/' });
    const answer = await ask(world.operator, '/status');
    expect(answer.markdown).toContain('SNA ChatOps status');
    expect(
      world.webex.calls.slice(callsBefore).some((c) => c.path.startsWith('/v1/messages/') && c.status === 429),
    ).toBe(true);
    expect(await metric(retried)).toBe(retriedBefore + 1);
    assertAlive(bot);
  });

  it('acts on the press once Retry-After has passed, instead of dropping it', async () => {
    const { card, ack } = await alertWithAck('10.61.0.2', '203.0.113.62');
    world.webex.rateLimitNext(1, 1, { method: 'GET', pathPrefix: '/v1/attachment/actions/' });
    await world.webex.submitCard({ personId: world.operator.id, messageId: card.id, inputs: ack });
    await acknowledged('10.61.0.2');
    assertAlive(bot);
  });
});
