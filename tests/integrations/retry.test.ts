import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError, WireError } from '../../integrations/errors.js';
import { backoffDelay, retryDelay, sleep, withRetry } from '../../integrations/retry.js';

const api = (status: number, retryAfterSeconds?: number) =>
  new ApiError({ service: 'webex', status, method: 'POST', url: 'http://x/v1/messages', retryAfterSeconds });
const unreachable = () => new NetworkError({ service: 'sna', method: 'GET', url: 'http://x', cause: new Error('x') });
const noJitter = { random: () => 1 };

describe('the retry rule', () => {
  it('waits out Retry-After on a 429 or 423, with a small margin, and a default when it is absent', () => {
    expect(retryDelay(api(429, 7), 1)).toBe(7100);
    expect(retryDelay(api(423, 1), 3)).toBe(1100);
    expect(retryDelay(api(429), 1, { rateLimitDelayMs: 2000 })).toBe(2000);
  });

  it('backs off exponentially on 5xx and network failures, capped, and tells them apart from 429s', () => {
    expect(retryDelay(api(503), 1, noJitter)).toBe(1000);
    expect(retryDelay(api(503), 4, noJitter)).toBe(8000);
    expect(retryDelay(unreachable(), 30, { ...noJitter, maxDelayMs: 60_000 })).toBe(60_000);
    expect(retryDelay(api(503), 1, { retryOn: ['rate-limit'] })).toBeUndefined();
    expect(retryDelay(api(429, 1), 1, { retryOn: ['server'] })).toBeUndefined();
  });

  it('never retries a 4xx other than 429/423, a body it does not understand, or a bug', () => {
    expect(retryDelay(api(400), 1)).toBeUndefined();
    expect(retryDelay(api(401), 1)).toBeUndefined();
    expect(
      retryDelay(new WireError({ service: 'xdr', method: 'GET', url: 'http://x', issues: [] }), 1),
    ).toBeUndefined();
    expect(retryDelay(new TypeError('bug'), 1)).toBeUndefined();
  });

  it('jitters a backoff within the share the policy gives', () => {
    expect(backoffDelay(3, { random: () => 0, jitter: 0.5 })).toBe(2000);
    expect(backoffDelay(3, { random: () => 1, jitter: 0.5 })).toBe(4000);
    expect(backoffDelay(3, { random: () => 0, jitter: 0.2, baseDelayMs: 10_000, maxDelayMs: 300_000 })).toBe(32_000);
  });
});

describe('withRetry', () => {
  it("retries up to the attempts, sleeping the rule's waits, and throws the last failure", async () => {
    const slept: number[] = [];
    let calls = 0;
    const failing = withRetry(
      async () => {
        calls += 1;
        throw api(503);
      },
      { attempts: 3, ...noJitter },
      { sleep: async (ms) => void slept.push(ms) },
    );
    await expect(failing).rejects.toMatchObject({ status: 503 });
    expect(calls).toBe(3);
    expect(slept).toEqual([1000, 2000]);
  });

  it('succeeds once the service recovers, and tells of each retried failure', async () => {
    const retried: Array<[number, number]> = [];
    let calls = 0;
    const value = await withRetry(
      async () => {
        calls += 1;
        if (calls === 1) throw api(429, 2);
        return 'ok';
      },
      { attempts: 2 },
      { sleep: async () => undefined, onRetry: (_err, wait, attempt) => retried.push([wait, attempt]) },
    );
    expect(value).toBe('ok');
    expect(retried).toEqual([[2100, 1]]);
  });

  it('does not wait longer than the policy allows, at once or in all', async () => {
    const once = withRetry(
      () => Promise.reject(api(429, 60)),
      { attempts: 5, maxWaitMs: 30_000 },
      { sleep: async () => undefined },
    );
    await expect(once).rejects.toMatchObject({ status: 429 });

    const slept: number[] = [];
    const total = withRetry(
      () => Promise.reject(api(429, 10)),
      { attempts: 10, maxTotalWaitMs: 25_000 },
      { sleep: async (ms) => void slept.push(ms) },
    );
    await expect(total).rejects.toMatchObject({ status: 429 });
    expect(slept).toEqual([10_100, 10_100]);
  });

  it('maps what the work threw before judging it, and throws the mapped error', async () => {
    const sdkError = { statusCode: 404 };
    const mapped = withRetry(() => Promise.reject(sdkError), { attempts: 3 }, { classify: () => api(404) });
    await expect(mapped).rejects.toBeInstanceOf(ApiError);
  });
});

describe('sleep', () => {
  it('rejects with the abort reason as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error('stopping'));
    await expect(waiting).rejects.toThrow('stopping');
  });
});
