/**
 * Bursts never hide a host: a digest names every incident it stands for (on its card, then in a
 * list threaded under it), each of them can be opened as a card of its own with every button, and a
 * digested incident that changes later gets its own card, once: on a new event, on an event that
 * crosses SNA_MIN_POINTS, when a snooze that held its activity ends. Also under a 429 storm and
 * across a restart: every host named, nothing lost or doubled. The real bot, framework and HTTP,
 * against the SMC and Webex simulators.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import { openStateStore } from '../../bot/state/store.js';
import type { WebexMessage } from '../../sandbox/webex/index.js';
import { type World, cardActions, cardText, createWorld, eventually, startBot, testClock } from '../helpers/world.js';

const HIGH_TOTAL_TRAFFIC = 16;
const MESSAGE_POSTS = { method: 'POST', pathPrefix: '/messages' } as const;

let world: World;
let app: App | undefined;

beforeAll(async () => {
  // Search jobs complete at once and the bot polls five times a second: the tests wait on polls
  // (`settle`), and what they check does not depend on the cadence.
  world = await createWorld({ smc: { pollsUntilComplete: 0 } });
});
afterEach(async () => {
  await app?.stop();
  app = undefined;
  world.smc.reset();
  world.webex.faults.clear();
});
afterAll(async () => {
  await world.close();
});

const env = (overrides: Record<string, string> = {}) =>
  world.env({ AUTO_ENRICH: 'false', SNA_POLL_SECONDS: '0.2', ...overrides });

function running(): App {
  if (!app) throw new Error('the bot is not running');
  return app;
}

/** `count` hosts with three-digit last octets, so no address is a prefix of another. */
const hostsIn = (subnet: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${subnet}.${Math.floor(i / 150)}.${100 + (i % 150)}`);

function burstOf(hosts: readonly string[], points = (i: number) => 100 + ((i * 37) % 800)): void {
  hosts.forEach((host, i) =>
    world.smc.addEvent({
      typeId: HIGH_TOTAL_TRAFFIC,
      sourceIp: host,
      targetIp: `203.0.113.${(i % 250) + 1}`,
      targetPort: 443,
      points: points(i),
    }),
  );
}

const addresses = (text: string) => new Set(text.match(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g) ?? []);
const botCards = () => world.cards().filter((m) => m.personId === world.webex.bot.id);
const isDigest = (m: WebexMessage) => /new incidents? in the last poll|The last poll's new incidents/.test(cardText(m));
/** Top-level alert cards (not digests, not their pages) naming `host`. */
const ownCards = (host: string) =>
  botCards().filter((m) => !m.parentId && !isDigest(m) && addresses(cardText(m)).has(host));
/** The hosts of `hosts` that some card of the bot names. */
function named(hosts: readonly string[]): Set<string> {
  const all = new Set(botCards().flatMap((m) => [...addresses(cardText(m))]));
  return new Set(hosts.filter((h) => all.has(h)));
}
/** Digest cards naming any of `hosts` (each test has its own hosts; the space keeps earlier tests' cards). */
const digestsOf = (hosts: readonly string[]) =>
  botCards().filter((m) => !m.parentId && isDigest(m) && hosts.some((h) => addresses(cardText(m)).has(h)));
const messagePosts = (since: number) =>
  world.webex.calls
    .slice(since)
    .filter((c) => c.auth === 'bot' && c.method === 'POST' && c.path === '/v1/messages' && c.status === 200);

function choices(message: WebexMessage): Array<{ title: string; value: string }> {
  const body = (message.attachments?.[0]?.content as { body?: Array<Record<string, unknown>> } | undefined)?.body;
  const list = body?.find((e) => e.type === 'Input.ChoiceSet');
  return (list?.choices ?? []) as Array<{ title: string; value: string }>;
}

const submit = (message: WebexMessage, action: string) => {
  const data = cardActions(message).find((a) => a.data?.action === action)?.data;
  if (!data) throw new Error(`no ${action} button on the card`);
  return data;
};

const press = (message: WebexMessage, inputs: Record<string, unknown>) =>
  world.webex.submitCard({ personId: world.operator.id, messageId: message.id, inputs });

/** Waits until `count` more polls have finished, then until the outbox has nothing left. */
async function settle(count = 2): Promise<void> {
  const { poller, outbox } = running().services;
  for (let n = 0; n < count; n += 1) {
    const before = (await poller?.status())?.lastSuccessAt;
    await eventually(async () => (await poller?.status())?.lastSuccessAt !== before, 15_000, 'the next poll');
  }
  await outbox.idle();
}

const repliesTo = (messageId: string) =>
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
  return eventually(() => repliesTo(message.id)[0], 15_000, `the answer to ${text}`);
}

async function incidentOf(host: string) {
  const found = (await running().services.incidents.list()).find((i) => i.hostIp === host);
  if (!found) throw new Error(`no incident for ${host}`);
  return found;
}

describe('a burst of 50 new incidents', () => {
  it('names every host on one digest card, then gives the 50th host its own card on its next event', async () => {
    const hosts = hostsIn('10.91', 50);
    burstOf(hosts);
    const since = world.webex.calls.length;
    app = await startBot(env());
    await eventually(() => digestsOf(hosts)[0], 15_000, 'the digest');
    await settle();
    expect(named(hosts)).toEqual(new Set(hosts));
    expect(messagePosts(since)).toHaveLength(1);
    expect(cardActions(digestsOf(hosts)[0] as WebexMessage).map((a) => a.title)).toEqual(['Open card']);

    const fiftieth = hosts[49] as string;
    const sent = Date.now();
    world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: fiftieth, targetIp: '198.51.100.50', points: 300 });
    const own = await eventually(() => ownCards(fiftieth)[0], 5_000, 'the card of the 50th host');
    expect(Date.now() - sent).toBeLessThan(5_000);
    expect(cardText(own)).toMatch(/📋 Listed in the digest of .* · own card for 1 new event, 1 new peer/);
    expect(cardActions(own).map((a) => a.data?.action)).toEqual(['block', 'tag', 'ack', 'enrich', 'escalate']);

    // Its own card from now on: a further event updates it, a press on it works.
    world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: fiftieth, targetIp: '198.51.100.51', points: 300 });
    await eventually(() => /3 events/.test(cardText(ownCards(fiftieth)[0] ?? own)), 15_000, 'the update');
    await settle();
    expect(ownCards(fiftieth)).toHaveLength(1);
    const latest = ownCards(fiftieth)[0] as WebexMessage;
    await press(latest, submit(latest, 'ack'));
    await eventually(
      () => /Acknowledged by Jane Doe/.test(cardText(ownCards(fiftieth)[0] ?? latest)),
      15_000,
      'the acknowledgement on its card',
    );
    expect(digestsOf(hosts)).toHaveLength(1);
  });
});

describe('a digest too long for one card', () => {
  it('lists the rest in its thread on request, once, and opens any listed host as a card with its buttons', async () => {
    const hosts = hostsIn('10.92', 250);
    burstOf(hosts);
    const since = world.webex.calls.length;
    app = await startBot(env());
    const digest = await eventually(() => digestsOf(hosts)[0], 15_000, 'the digest');
    await settle();
    const onCard = named(hosts).size;
    expect(onCard).toBeGreaterThan(50);
    expect(onCard).toBeLessThan(250);
    expect(cardText(digest)).not.toMatch(/\+\d+ more/);

    await press(digest, submit(digest, 'digest-hosts'));
    await eventually(() => named(hosts).size === 250, 15_000, 'every host named');
    await settle();
    const pages = world.webex
      .messagesIn(world.alertRoom.id)
      .filter((m) => m.parentId === digest.id && (m.attachments?.length ?? 0) > 0);
    expect(pages.length).toBeGreaterThan(0);
    expect(messagePosts(since)).toHaveLength(1 + pages.length);

    // Pressed again: nothing posted twice, the person is told where the list is.
    const { action } = await press(digest, submit(digest, 'digest-hosts'));
    await eventually(
      () => repliesTo(digest.id).find((m) => /already in this thread/.test(m.markdown ?? '')),
      15_000,
      'the answer',
    );
    await settle(1);
    const cardsInThread = world.webex
      .messagesIn(world.alertRoom.id)
      .filter((m) => m.parentId === digest.id && (m.attachments?.length ?? 0) > 0);
    expect(cardsInThread).toHaveLength(pages.length);
    expect(action.messageId).toBe(digest.id);

    // Open card on the last page: the host picked there gets its own card; its buttons work.
    const page = pages.at(-1) as WebexMessage;
    const picked = choices(page).at(-1) as { title: string; value: string };
    const host = picked.title.split(' · ')[0] as string;
    await press(page, { ...submit(page, 'digest-open'), openIncident: picked.value });
    const own = await eventually(() => ownCards(host)[0], 15_000, `the card of ${host}`);
    expect(cardText(own)).toContain('own card for asked for by Jane Doe');
    await press(own, submit(own, 'ack'));
    await eventually(() => /Acknowledged by Jane Doe/.test(cardText(ownCards(host)[0] ?? own)), 15_000, 'the ack');

    // The card's data is not trusted: a host this message does not name cannot be opened from it.
    const elsewhere = choices(page)[0] as { title: string; value: string };
    const forged = await press(digest, { ...submit(digest, 'digest-open'), openIncident: elsewhere.value });
    await eventually(
      () => repliesTo(digest.id).find((m) => /not on this card/.test(m.markdown ?? '')),
      15_000,
      'the refusal',
    );
    expect(forged.action.messageId).toBe(digest.id);
    expect(ownCards(elsewhere.title.split(' · ')[0] as string)).toHaveLength(0);

    // `/incident <id>` for another listed host posts its card, with buttons that work.
    const other = choices(page)[1] as { title: string; value: string };
    const otherHost = other.title.split(' · ')[0] as string;
    expect((await ask(`/incident ${other.value}`)).markdown).toContain(`Posting the card of ${other.value}`);
    const card = await eventually(() => ownCards(otherHost)[0], 15_000, `the card of ${otherHost}`);
    await press(card, submit(card, 'ack'));
    await eventually(
      () => /Acknowledged by Jane Doe/.test(cardText(ownCards(otherHost)[0] ?? card)),
      15_000,
      'the ack from the /incident card',
    );
    await settle(1);
    expect(ownCards(host)).toHaveLength(1);
    expect(ownCards(otherHost)).toHaveLength(1);
  });
});

describe('a digested host that changes later', () => {
  it('alerts once when an event held back under SNA_MIN_POINTS is reported above it', async () => {
    const hosts = hostsIn('10.93', 12);
    burstOf(hosts, () => 150);
    app = await startBot(env({ SNA_MIN_POINTS: '100' }));
    await eventually(() => digestsOf(hosts)[0], 15_000, 'the digest');
    await settle();
    const host = hosts[5] as string;
    const weak = world.smc.addEvent({
      typeId: HIGH_TOTAL_TRAFFIC,
      sourceIp: host,
      targetIp: '198.51.100.9',
      points: 40,
    });
    await settle();
    expect(ownCards(host)).toHaveLength(0);

    world.smc.updateEvent(weak.id, { points: 400, lastActive: new Date() });
    const own = await eventually(() => ownCards(host)[0], 5_000, 'its card');
    expect(cardText(own)).toContain('own card for 1 new event, 1 new peer');
    await settle();
    expect(ownCards(host)).toHaveLength(1);
    expect(digestsOf(hosts)).toHaveLength(1);
  });

  it('alerts once when the snooze that held its activity ends, and not for a quiet host', async () => {
    const hosts = hostsIn('10.94', 12);
    burstOf(hosts);
    // The bot's clock is moved past the snooze's end instead of waiting it out.
    const clock = testClock();
    app = await startBot(env(), { now: clock.now });
    await eventually(() => digestsOf(hosts)[0], 15_000, 'the digest');
    await settle();
    const [busy, quiet] = [hosts[3] as string, hosts[4] as string];
    expect((await ask(`/snooze ${busy} 10m`)).markdown).toContain(`Snoozed host ${busy}`);
    expect((await ask(`/snooze ${quiet} 10m`)).markdown).toContain(`Snoozed host ${quiet}`);
    const until = Date.parse((await incidentOf(busy)).snoozedUntil ?? '');

    world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: busy, targetIp: '198.51.100.77', points: 600 });
    await eventually(async () => (await incidentOf(busy)).eventCount === 2, 5_000, 'the event on the snoozed host');
    await settle();
    expect(clock.now().getTime()).toBeLessThan(until);
    expect(ownCards(busy)).toHaveLength(0);

    clock.advance(10 * 60_000);
    const own = await eventually(() => ownCards(busy)[0], 15_000, 'its card after the snooze');
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(until);
    expect(cardText(own)).toMatch(
      /own card for 1 new event, severity now HIGH \(was MEDIUM\), 1 new peer, held while snoozed/,
    );
    await settle();
    expect(ownCards(busy)).toHaveLength(1);
    expect(ownCards(quiet)).toHaveLength(0);
  });
});

describe('under a 429 storm', () => {
  it('names every host once Retry-After is over, and loses or doubles nothing', async () => {
    const hosts = hostsIn('10.95', 40);
    burstOf(hosts);
    world.webex.rateLimitNext(4, 1, MESSAGE_POSTS);
    const since = world.webex.calls.length;
    app = await startBot(env());
    await eventually(() => world.webex.calls.some((c) => c.fault === 'rateLimit'), 15_000, 'the storm');
    // Three of the digested hosts send a new event while Webex still refuses.
    const followUps = hosts.slice(-3);
    followUps.forEach((host, i) =>
      world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: host, targetIp: `198.51.100.${i + 1}`, points: 300 }),
    );
    await eventually(
      () => named(hosts).size === 40 && followUps.every((h) => ownCards(h).length > 0),
      30_000,
      'every host named and the follow-ups alerted',
    );
    await settle();
    expect(digestsOf(hosts)).toHaveLength(1);
    for (const host of followUps) expect(ownCards(host)).toHaveLength(1);
    const limited = world.webex.calls.slice(since).filter((c) => c.fault === 'rateLimit');
    expect(limited).toHaveLength(4);
    const stormOver = Math.max(...limited.map((c) => Date.parse(c.at) + 1000));
    const delivered = messagePosts(since);
    expect(delivered).toHaveLength(1 + followUps.length);
    for (const call of delivered) expect(Date.parse(call.at)).toBeGreaterThanOrEqual(stormOver);
  });

  it('posts the digest once after a restart that found it still waiting', async () => {
    const hosts = hostsIn('10.96', 15);
    burstOf(hosts);
    world.webex.rateLimitNext(1, 60, MESSAGE_POSTS);
    const config = env();
    app = await startBot(config);
    await eventually(() => world.webex.calls.some((c) => c.fault === 'rateLimit'), 15_000, 'the 429');
    await app.stop();
    world.webex.faults.clear();
    app = await startBot(config);
    await eventually(() => named(hosts).size === 15, 15_000, 'every host named');
    await settle();
    expect(digestsOf(hosts)).toHaveLength(1);
  });

  it('posts a digest an older version left queued, naming the hosts it carried', async () => {
    const hosts = hostsIn('10.97', 2);
    const config = env();
    // What the previous version stored: the card input inline, a label in `incidentId`.
    const state = await openStateStore(config.STATE_URL ?? '', 'sna-chatops');
    await state.set('outbox:item:0', {
      seq: 0,
      kind: 'digest',
      incidentId: 'digest-0',
      digest: {
        total: 2,
        incidents: hosts.map((host, i) => ({
          incidentId: `legacy0${i}`,
          host,
          eventName: 'High Total Traffic',
          severity: 'high',
          eventCount: 1,
        })),
        window: { from: new Date(Date.now() - 60_000).toISOString(), to: new Date().toISOString() },
        generatedAt: new Date().toISOString(),
      },
      enqueuedAt: new Date().toISOString(),
      attempts: 0,
    });
    await state.set('outbox:meta', { head: 0, next: 1 });
    await state.close();
    app = await startBot(config);
    await eventually(() => named(hosts).size === 2, 15_000, 'the queued digest');
    await settle();
    expect(digestsOf(hosts)).toHaveLength(1);
  });
});
