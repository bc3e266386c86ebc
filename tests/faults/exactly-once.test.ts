/**
 * Exactly once across replicas and slow upstreams, on Redis. Two replica processes, each with
 * its own webhook (so each receives every message and press, as Webex delivers to every
 * registered webhook), and HTTP proxies in front of them that let a test decide which replica
 * sees an event first. Locks (LOCK_SECONDS=3 here, 15 by default) must hold as long as the work
 * however long it takes (an SMC that takes 3 s to answer a host-group GET and 2 s a PUT; an XDR
 * that answers 429 with Retry-After: 6), and every message must run once.
 *
 * Needs a Redis at REDIS_TEST_URL; skipped loudly without one, except under CI.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimPerson, WebexMessage } from '../../sandbox/webex/index.js';
import { type HttpFaultProxy, startHttpProxy } from '../helpers/http-proxy.js';
import { REDIS_TEST_URL, redisForTests, removeKeys } from '../helpers/redis.js';
import {
  type ChildBot,
  type World,
  cardActions,
  cardText,
  createWorld,
  eventually,
  freePort,
  hostGroup,
  spawnBot,
} from '../helpers/world.js';

const available = await redisForTests('the exactly-once replica tests');
const NAMESPACE = `sna-chatops-once-${randomUUID().slice(0, 8)}`;
const GROUP = 'SNA ChatOps Quarantine';

interface Replica {
  bot: ChildBot;
  /** In front of the replica's webhook: holds deliveries to make the other replica first. */
  inbound: HttpFaultProxy;
}

let world: World;
const replicas: Replica[] = [];

beforeAll(async () => {
  if (!available) return;
  world = await createWorld({ smc: { pollsUntilComplete: 0 } });
  const base = world.env({
    STATE_URL: REDIS_TEST_URL,
    STATE_NAMESPACE: NAMESPACE,
    LEADER_LEASE_SECONDS: '3',
    // Short locks, so the slow upstreams below outlast a lock's TTL quickly: held only if renewed.
    LOCK_SECONDS: '3',
    AUTO_ENRICH: 'false',
    LOG_LEVEL: 'info',
  });
  for (let n = 0; n < 2; n++) {
    const port = await freePort();
    const inbound = await startHttpProxy(`http://127.0.0.1:${port}`);
    const bot = spawnBot({ ...base, PORT: String(port), WEBEX_WEBHOOK_URL: `${inbound.url}/webex/events` });
    replicas.push({ bot, inbound });
    await bot.ready();
  }
}, 60_000);
afterAll(async () => {
  for (const { bot, inbound } of replicas) {
    await bot.stop('SIGKILL');
    await inbound.close();
  }
  if (available) {
    await removeKeys(`${NAMESPACE}:`);
    await world.close();
  }
});

const botAnswersTo = (messageId: string): WebexMessage[] =>
  world.webex
    .messagesIn(world.alertRoom.id)
    .filter((m) => m.personId === world.webex.bot.id && m.parentId === messageId);

/** Sends a message that replica `first` sees first (the other's delivery is held `holdMs`). */
async function say(person: SimPerson, text: string, first?: number, holdMs = 1500): Promise<WebexMessage> {
  if (first !== undefined) {
    replicas.forEach((r, n) => r.inbound.setDelay(n === first ? 0 : holdMs, { method: 'POST' }));
  }
  const { message } = await world.webex.userSays({
    personId: person.id,
    roomId: world.alertRoom.id,
    text,
    mentionBot: true,
  });
  return message;
}

/** Presses a card button with replica `first` seeing the press first. */
async function press(person: SimPerson, card: WebexMessage, verb: string, first: number): Promise<void> {
  replicas.forEach((r, n) => r.inbound.setDelay(n === first ? 0 : 1500, { method: 'POST' }));
  const data = cardActions(card).find((a) => a.data?.action === verb)?.data;
  if (!data) throw new Error(`the card has no ${verb} button`);
  await world.webex.submitCard({ personId: person.id, messageId: card.id, inputs: data });
}

/** Resolves once both replicas have answered every webhook delivery sent so far. */
async function deliveriesSettled(): Promise<void> {
  const sent = world.webex.deliveries.length;
  await eventually(
    () =>
      world.webex.deliveries.length >= sent &&
      replicas.every((r) => r.inbound.calls.every((c) => c.state === 'answered' || c.state === 'failed')),
    20_000,
    'every delivery answered by both replicas',
  );
}

describe.skipIf(!available)('two replicas on Redis', () => {
  it('run a command delivered to both of them once, with one answer', async () => {
    const message = await say(world.operator, '/tag 10.70.0.1');
    await eventually(() => botAnswersTo(message.id)[0], 15_000, 'the answer');
    await deliveriesSettled();
    // Both replicas fetched the message (each got the webhook); one ran it.
    await eventually(
      () => world.webex.calls.filter((c) => c.method === 'GET' && c.path.endsWith(message.id)).length >= 2,
      10_000,
      'both replicas to fetch the message',
    );
    // The other one found it claimed and let it be.
    await eventually(
      () =>
        replicas.some(({ bot }) =>
          bot
            .output()
            .split('\n')
            .some((line) => line.includes('ignoring a message that was already handled') && line.includes(message.id)),
        ),
      10_000,
      'the other replica to skip the message',
    );
    expect(botAnswersTo(message.id).map((m) => m.markdown)).toEqual([`Tagged 10.70.0.1 in **${GROUP}**.`]);
    expect(world.smc.calls.filter((c) => c.method === 'PUT')).toHaveLength(1);
  });

  it('keep both hosts when two operators tag one second apart on different replicas and the SMC is slower than the lock TTL', async () => {
    world.smc.setLatency(3_000, { method: 'GET', pathPattern: '/tags/\\d+$' });
    world.smc.setLatency(2_000, { method: 'PUT', pathPattern: '/tags/\\d+$' });
    try {
      const first = await say(world.operator, '/tag 10.70.0.2', 0);
      await new Promise((r) => setTimeout(r, 1000));
      const second = await say(world.responder, '/tag 10.70.0.3', 1);
      const answers = await eventually(
        () => {
          const a = botAnswersTo(first.id)[0];
          const b = botAnswersTo(second.id)[0];
          return a && b ? [a, b] : undefined;
        },
        75_000,
        'both answers',
      );
      expect(answers.map((m) => m.markdown)).toEqual([
        `Tagged 10.70.0.2 in **${GROUP}**.`,
        `Tagged 10.70.0.3 in **${GROUP}**.`,
      ]);
      expect(hostGroup(world.smc, GROUP)?.ranges).toEqual(
        expect.arrayContaining(['10.70.0.1', '10.70.0.2', '10.70.0.3']),
      );
    } finally {
      world.smc.setLatency(0, { method: 'GET', pathPattern: '/tags/\\d+$' });
      world.smc.setLatency(0, { method: 'PUT', pathPattern: '/tags/\\d+$' });
    }
  }, 90_000);

  it('make one live judgement when two responders press Block on different replicas and XDR answers 429 Retry-After: 6 (twice the lock TTL)', async () => {
    const peer = '203.0.113.170';
    world.smc.addEvent({ typeId: 16, sourceIp: '10.70.1.1', targetIp: peer });
    const card = await eventually(
      () => world.cards().find((m) => cardText(m).includes('10.70.1.1')),
      20_000,
      'the alert card',
    );
    world.xdr.rateLimitNext(1, 6, { method: 'POST', pathPrefix: '/ctia/judgement' });
    await press(world.responder, card, 'block', 0);
    await new Promise((r) => setTimeout(r, 1000));
    await press(world.responder2, card, 'block', 1);
    const live = () =>
      world.xdr
        .state()
        .judgements.filter((j) => (j as { observable?: { value?: string } }).observable?.value === peer)
        .filter(
          (j) => Date.parse(String((j as { valid_time?: { end_time?: string } }).valid_time?.end_time)) > Date.now(),
        );
    await eventually(() => live().length > 0, 60_000, 'the judgement');
    await deliveriesSettled();
    await eventually(
      () =>
        world
          .cards()
          .some((m) => cardText(m).includes('10.70.1.1') && /Blocked .* by Riley Responder/.test(cardText(m))),
      30_000,
      'the card to show the block',
    );
    expect(live()).toHaveLength(1);

    const unblock = await say(world.responder, `/unblock ${peer}`);
    await eventually(() => botAnswersTo(unblock.id)[0], 20_000, 'the unblock answer');
    expect(live()).toHaveLength(0);
    const feed = world.xdr.state().feeds.find((f) => String((f as { title?: string }).title).endsWith('IPv4')) as
      { feed_view_url?: string } | undefined;
    expect(feed?.feed_view_url).toBeDefined();
    expect(await (await fetch(String(feed?.feed_view_url))).text()).not.toContain(peer);
  }, 120_000);
});
