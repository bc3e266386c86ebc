/**
 * The alert path end to end: SMC simulator → real SNA client → poller → incidents in SQLite
 * → outbox → the real webex-node-bot-framework → Webex simulator, and card presses back.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import { cardActions, cardText, createWorld, eventually, polls, startBot, type World } from '../helpers/world.js';

const HIGH_TOTAL_TRAFFIC = 16;

let world: World;
let app: App | undefined;

beforeAll(async () => {
  world = await createWorld();
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

async function cardFor(host: string, what = `a card for ${host}`) {
  return eventually(() => world.cards().find((m) => cardText(m).includes(host)), 15_000, what);
}

describe('alert path', () => {
  it('posts one card naming the host for a High Total Traffic event', async () => {
    app = await startBot(world.env());
    world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: '10.10.1.21', targetIp: '52.109.8.21', points: 162 });

    const card = await cardFor('10.10.1.21');
    expect(cardText(card)).toContain('High Total Traffic');
    expect(cardText(card)).toContain('52.109.8.21');
    expect(card.markdown).toContain('10.10.1.21');
    const actions = cardActions(card);
    expect(actions.map((a) => a.data)).toContainEqual(expect.objectContaining({ action: 'ack', v: 1 }));
    // Later polls see the same event again and must not post it again.
    await polls(app, 2);
    await app.services.outbox.idle();
    expect(world.cards().filter((m) => cardText(m).includes('10.10.1.21'))).toHaveLength(1);
  });

  /** The card of `host` once there is exactly one and `ready` holds for it. */
  function theOneCard(host: string, ready: (text: string) => boolean, what: string) {
    return eventually(
      () => {
        const [only, ...more] = world.cards().filter((m) => cardText(m).includes(host));
        return only && more.length === 0 && ready(cardText(only)) ? only : undefined;
      },
      15_000,
      what,
    );
  }

  const cardEditsSent = () => world.webex.calls.filter((c) => c.method === 'PUT' && c.path.startsWith('/v1/messages'));

  it('updates the one card when the event continues and the host raises another, never editing it', async () => {
    app = await startBot(world.env());
    const first = world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: '10.10.1.22', targetIp: '52.109.8.22' });
    const card = await cardFor('10.10.1.22');
    expect(cardText(card)).toMatch(/1 event\b/);

    world.smc.updateEvent(first.id, { hitCount: 5, lastActive: new Date() });
    world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: '10.10.1.22', targetIp: '198.51.100.9' });

    // The new card is posted first and the old one deleted right after, so the space is never
    // left without the incident's card; wait until the old one is gone.
    const updated = await theOneCard('10.10.1.22', (text) => /2 events/.test(text), 'the one card to count 2 events');
    expect(cardText(updated)).toMatch(/6 hits/);
    expect(updated.id).not.toBe(card.id);
    // Webex refuses to edit a message with a card (Messages OpenAPI): no PUT is ever sent.
    expect(cardEditsSent()).toEqual([]);
  });

  it('replaces cards too when WEBEX_CARD_UPDATES still says edit, which is obsolete', async () => {
    app = await startBot(world.env({ WEBEX_CARD_UPDATES: 'edit' }));
    const first = world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: '10.10.1.23', targetIp: '52.109.8.23' });
    const card = await cardFor('10.10.1.23');

    world.smc.updateEvent(first.id, { hitCount: 3, lastActive: new Date() });
    const updated = await theOneCard('10.10.1.23', (text) => /3 hits/.test(text), 'exactly one, replaced card');
    expect(updated.id).not.toBe(card.id);
    expect(cardEditsSent()).toEqual([]);
  });

  it('shows who acknowledged after a space member taps Acknowledge', async () => {
    app = await startBot(world.env());
    world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: '10.10.1.24', targetIp: '52.109.8.24' });
    const card = await cardFor('10.10.1.24');
    const incidentId = String(cardActions(card).find((a) => a.data?.action === 'ack')?.data?.incidentId);

    await world.webex.submitCard({
      personId: world.operator.id,
      messageId: card.id,
      inputs: { action: 'ack', v: 1, incidentId },
    });

    const acked = await eventually(
      () =>
        world
          .cards()
          .find((m) => cardText(m).includes('10.10.1.24') && cardText(m).includes('Acknowledged by Jane Doe')),
      15_000,
      'the acknowledged card',
    );
    const actions = cardActions(acked);
    expect(actions.some((a) => a.data?.action === 'ack')).toBe(false);
  });

  it('logs in again after the SMC session expires and keeps alerting', async () => {
    app = await startBot(world.env());
    world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: '10.10.1.25', targetIp: '52.109.8.25' });
    await cardFor('10.10.1.25');
    const loginsBefore = world.smc.calls.filter((c) => c.path === '/token/v2/authenticate').length;

    world.smc.expireSessions();
    world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: '10.10.1.26', targetIp: '52.109.8.26' });
    await cardFor('10.10.1.26');

    const logins = world.smc.calls.filter((c) => c.path === '/token/v2/authenticate').length;
    expect(logins).toBe(loginsBefore + 1);
    expect(world.smc.calls.some((c) => c.status === 401)).toBe(true);
  });

  it('recovers on the next poll after the SMC answers 500', async () => {
    world.smc.failNext(1, 500, { method: 'POST', pathPrefix: '/sw-reporting/v1/tenants/102/security-events/queries' });
    app = await startBot(world.env());
    world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: '10.10.1.27', targetIp: '52.109.8.27' });
    await cardFor('10.10.1.27');
    expect(world.smc.calls.some((c) => c.status === 500)).toBe(true);
  });

  it('delivers after Retry-After when Webex answers 429', async () => {
    app = await startBot(world.env());
    world.webex.rateLimitNext(1, 1, { method: 'POST', pathPrefix: '/v1/messages' });
    world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: '10.10.1.28', targetIp: '52.109.8.28' });
    await cardFor('10.10.1.28');

    const posts = world.webex.calls.filter((c) => c.method === 'POST' && c.path === '/v1/messages');
    const limited = posts.findIndex((c) => c.status === 429);
    expect(limited).toBeGreaterThanOrEqual(0);
    const retried = posts.slice(limited + 1).find((c) => c.status === 200);
    expect(retried).toBeDefined();
    expect(Date.parse(String(retried?.at)) - Date.parse(String(posts[limited]?.at))).toBeGreaterThanOrEqual(1000);
    expect(world.cards().filter((m) => cardText(m).includes('10.10.1.28'))).toHaveLength(1);
  });
});
