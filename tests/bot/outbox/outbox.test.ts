import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { entryLabel, Outbox, type OutboxEntry } from '../../../bot/outbox/outbox.js';
import { NotInRoomError } from '../../../bot/errors.js';
import { decideRetry } from '../../../bot/outbox/retry.js';
import { openStateStore } from '../../../bot/state/store.js';
import { ApiError, NetworkError } from '../../../integrations/http.js';

const log = pino({ level: 'silent' });
/** The incident an alert entry is about. */
const incidentOf = (e: OutboxEntry) => String(entryLabel(e).incidentId);
const webex429 = (retryAfterSeconds?: number) =>
  new ApiError({ service: 'webex', status: 429, method: 'POST', url: 'http://x/v1/messages', retryAfterSeconds });

describe('Outbox', () => {
  it('delivers in the order entries were queued, one entry per incident', async () => {
    const state = await openStateStore('memory://');
    const delivered: string[] = [];
    const outbox = new Outbox({ state, log, deliver: async (e) => void delivered.push(incidentOf(e)) });
    await outbox.enqueueAlert('a');
    await outbox.enqueueAlert('b');
    await outbox.enqueueAlert('c');
    await outbox.idle();
    expect(delivered).toEqual(['a', 'b', 'c']);
    expect(await outbox.size()).toBe(0);
  });

  it('folds changes made while an entry waits for Webex into that entry', async () => {
    const state = await openStateStore('memory://');
    const delivered: string[] = [];
    let down = true;
    const outbox: Outbox = new Outbox({
      state,
      log,
      sleep: async () => {
        // The incident changes twice during the outage, then Webex comes back.
        await outbox.enqueueAlert('a');
        await outbox.enqueueAlert('a');
        down = false;
      },
      deliver: async (e) => {
        if (down) throw new ApiError({ service: 'webex', status: 503, method: 'POST', url: 'http://x' });
        delivered.push(incidentOf(e));
      },
    });
    await outbox.enqueueAlert('a');
    await outbox.idle();
    expect(delivered).toEqual(['a']);
    expect(await outbox.size()).toBe(0);
  });

  it('waits for Retry-After on 429 and keeps the order', async () => {
    const state = await openStateStore('memory://');
    const sleeps: number[] = [];
    const delivered: string[] = [];
    let failures = 2;
    const outbox = new Outbox({
      state,
      log,
      sleep: async (ms) => void sleeps.push(ms),
      deliver: async (e: OutboxEntry) => {
        if (incidentOf(e) === 'a' && failures-- > 0) throw webex429(3);
        delivered.push(incidentOf(e));
      },
    });
    await outbox.enqueueAlert('a');
    await outbox.enqueueAlert('b');
    await outbox.idle();
    expect(delivered).toEqual(['a', 'b']);
    expect(sleeps).toEqual([3100, 3100]);
  });

  it('keeps entries across a restart when Webex is down, and delivers them later', async () => {
    const state = await openStateStore('memory://');
    const down: Outbox = new Outbox({
      state,
      log,
      sleep: async () => {
        void down.stop();
      },
      deliver: async () => {
        throw new NetworkError({ service: 'webex', method: 'POST', url: 'http://x', cause: new Error('ECONNREFUSED') });
      },
    });
    await down.enqueueAlert('a');
    await down.idle();
    expect(await down.size()).toBe(1);

    const delivered: string[] = [];
    const up = new Outbox({ state, log, deliver: async (e) => void delivered.push(incidentOf(e)) });
    up.start();
    await up.idle();
    expect(delivered).toEqual(['a']);
  });

  it('sets aside an entry Webex rejects as invalid and moves on', async () => {
    const state = await openStateStore('memory://');
    const delivered: string[] = [];
    const outbox = new Outbox({
      state,
      log,
      deliver: async (e) => {
        if (incidentOf(e) === 'bad') {
          throw new ApiError({ service: 'webex', status: 400, method: 'POST', url: 'http://x' });
        }
        delivered.push(incidentOf(e));
      },
    });
    await outbox.enqueueAlert('bad');
    await outbox.enqueueAlert('good');
    await outbox.idle();
    expect(delivered).toEqual(['good']);
    expect((await outbox.status()).failedPermanently).toBe(1);
  });

  it('queues a digest once per digest, and its list once however often it is asked for', async () => {
    const state = await openStateStore('memory://');
    const delivered: string[] = [];
    const outbox = new Outbox({
      state,
      log,
      deliver: async (e) => void delivered.push(JSON.stringify(entryLabel(e))),
    });
    expect(await outbox.enqueueDigest('d1')).toBe(true);
    // A replay of the batch that made it (a crash before the seen-set was written) finds it queued.
    expect(await outbox.enqueueDigest('d1')).toBe(false);
    expect(await outbox.enqueueDigestList('d1', 2)).toBe(true);
    expect(await outbox.enqueueDigestList('d1', 2)).toBe(false);
    await outbox.idle();
    expect(delivered).toEqual(['{"digestId":"d1"}', '{"digestId":"d1","page":0}', '{"digestId":"d1","page":1}']);
    expect(await outbox.enqueueDigest('d1')).toBe(false);
    expect(await outbox.size()).toBe(0);
  });
});

describe('decideRetry', () => {
  const noJitter = () => 1;
  it('obeys Retry-After to the second', () => {
    expect(decideRetry(webex429(7), 1, { random: noJitter })).toMatchObject({ kind: 'retry', delayMs: 7100 });
  });
  it('backs off exponentially on 5xx and caps the wait', () => {
    const e503 = new ApiError({ service: 'webex', status: 503, method: 'POST', url: 'http://x' });
    expect(decideRetry(e503, 1, { random: noJitter })).toMatchObject({ kind: 'retry', delayMs: 1000 });
    expect(decideRetry(e503, 4, { random: noJitter })).toMatchObject({ kind: 'retry', delayMs: 8000 });
    expect(decideRetry(e503, 30, { random: noJitter })).toMatchObject({ kind: 'retry', delayMs: 60_000 });
  });
  it('starts the 5xx backoff from OUTBOX_BACKOFF_MS when set, and keeps obeying Retry-After', () => {
    const e503 = new ApiError({ service: 'webex', status: 503, method: 'POST', url: 'http://x' });
    const fast = { baseBackoffMs: 100, random: noJitter };
    expect(decideRetry(e503, 1, fast)).toMatchObject({ kind: 'retry', delayMs: 100 });
    expect(decideRetry(e503, 3, fast)).toMatchObject({ kind: 'retry', delayMs: 400 });
    expect(decideRetry(webex429(7), 3, fast)).toMatchObject({ kind: 'retry', delayMs: 7100 });
    expect(decideRetry(new NotInRoomError('r'), 1, fast)).toMatchObject({ kind: 'retry', delayMs: 5000 });
  });
  it('keeps trying while the bot is not in the alert space', () => {
    expect(decideRetry(new NotInRoomError('r'), 50)).toMatchObject({ kind: 'retry' });
  });
  it('gives up on a 4xx other than 429', () => {
    const e404 = new ApiError({ service: 'webex', status: 404, method: 'POST', url: 'http://x' });
    expect(decideRetry(e404, 1)).toMatchObject({ kind: 'give-up' });
  });
});
