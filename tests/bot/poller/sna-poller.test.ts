/**
 * The poller on its own: the real SMC client against the SMC simulator (the wire matters here),
 * the real pipeline over memory:// state, and a poll loop the test steps one poll at a time
 * (the poller's sleep is injected), so nothing waits on the clock.
 */
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SnaConfig } from '../../../bot/config.js';
import { IncidentStore } from '../../../bot/incidents/store.js';
import { type OutboxEntry, Outbox } from '../../../bot/outbox/outbox.js';
import { EventPipeline } from '../../../bot/pipeline/event-pipeline.js';
import { SnaPoller } from '../../../bot/poller/sna-poller.js';
import { openStateStore, type StateStore } from '../../../bot/state/store.js';
import { SnaClient } from '../../../integrations/sna/client.js';
import { type SmcSimulator, startSmcSimulator } from '../../../sandbox/smc/index.js';

const log = pino({ level: 'silent' });
let smc: SmcSimulator;
let state: StateStore;
let poller: SnaPoller;
let outbox: Outbox;
let delivered: OutboxEntry[];
/** Each resolver lets the loop start its next poll. */
let waiting: Array<() => void>;

beforeAll(async () => {
  smc = await startSmcSimulator({ pollsUntilComplete: 0 });
});
afterAll(async () => {
  await smc.close();
});

beforeEach(async () => {
  smc.reset();
  state = await openStateStore('memory://');
  delivered = [];
  waiting = [];
  const now = () => new Date();
  const incidents = new IncidentStore(state, { windowMinutes: 120, now });
  outbox = new Outbox({ state, log, now, deliver: async (entry) => void delivered.push(entry) });
  outbox.start();
  const pipeline = new EventPipeline({
    state,
    incidents,
    outbox,
    minPoints: 0,
    digestThreshold: 100,
    seenWindowMs: 3600_000,
    now,
    log,
  });
  const config: SnaConfig = {
    url: smc.url,
    username: smc.username,
    password: smc.password,
    tenantId: undefined,
    eventTypes: ['High Total Traffic'],
    pollSeconds: 60,
    lookbackMinutes: 60,
    overlapSeconds: 120,
    queryTimeoutSeconds: 10,
    tlsVerify: true,
    caFile: undefined,
    hostUrlTemplate: `${smc.url}/host/{ip}`,
  };
  const sna = new SnaClient({
    baseUrl: smc.url,
    username: smc.username,
    password: smc.password,
    queryPollIntervalMs: 10,
  });
  poller = new SnaPoller({
    sna,
    pipeline,
    state,
    config,
    log,
    now,
    // The loop waits here between polls until the test lets it go on.
    sleep: (_ms, signal) =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        signal.addEventListener('abort', () => resolve(), { once: true });
      }),
  });
});
afterEach(async () => {
  await poller.stop();
  await outbox.stop();
  await state.close();
});

/** Starts the loop (first poll) or lets it run one more poll; resolves when that poll finished. */
async function poll(): Promise<Awaited<ReturnType<SnaPoller['status']>>> {
  const before = (await poller.status()).pollsCompleted;
  if (!(await poller.status()).running) poller.start();
  else waiting.shift()?.();
  for (;;) {
    const status = await poller.status();
    if (status.pollsCompleted > before && waiting.length > 0) return status;
    await new Promise((r) => setImmediate(r));
  }
}

const queryWindows = () =>
  smc.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/security-events/queries')).length;

describe('SnaPoller', () => {
  it('hands the window of events to the pipeline, then overlaps windows without repeating events', async () => {
    smc.addEvent({ typeId: 16, sourceIp: '10.1.0.1', targetIp: '203.0.113.1' });
    const first = await poll();
    expect(first.lastSummary).toMatchObject({ events: 1, newOrChanged: 1, malformed: 0, futureDated: 0 });
    await outbox.idle();
    expect(delivered).toHaveLength(1);

    const second = await poll();
    expect(second.lastSummary).toMatchObject({ events: 1, newOrChanged: 0 });
    // The second window starts where the first ended, less the overlap.
    const { from } = second.lastSummary ?? { from: '' };
    expect(Date.parse(first.lastSummary?.to ?? '') - Date.parse(from)).toBe(120_000);
    expect(queryWindows()).toBe(2);
  });

  it('skips a malformed record, counts it, and keeps alerting', async () => {
    smc.addMalformedRecord({ id: 'not-a-number', securityEventType: 16 });
    smc.addEvent({ typeId: 16, sourceIp: '10.1.0.2', targetIp: '203.0.113.2' });
    const status = await poll();
    expect(status.lastSummary).toMatchObject({ malformed: 1, newOrChanged: 1 });
    expect(status.lastError).toBeUndefined();
  });

  it('counts a failing SMC, and recovers on the next poll', async () => {
    smc.failNext(1, 500);
    const failed = await poll();
    expect(failed).toMatchObject({ consecutiveFailures: 1, lastError: 'the SMC had an internal error (500)' });
    smc.addEvent({ typeId: 16, sourceIp: '10.1.0.3', targetIp: '203.0.113.3' });
    const recovered = await poll();
    expect(recovered).toMatchObject({ consecutiveFailures: 0, lastError: undefined });
    expect(recovered.lastSummary?.newOrChanged).toBe(1);
  });

  it('logs in again once when the session expires, and goes on', async () => {
    await poll();
    const logins = () => smc.calls.filter((c) => c.path === '/token/v2/authenticate').length;
    expect(logins()).toBe(1);
    smc.expireSessions();
    const status = await poll();
    expect(status.lastError).toBeUndefined();
    expect(logins()).toBe(2);
  });
});
