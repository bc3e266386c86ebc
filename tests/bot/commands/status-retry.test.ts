import { describe, expect, it } from 'vitest';
import { retryWhen } from '../../../bot/commands/status.js';

describe('/status: when the outbox retries', () => {
  const now = new Date('2026-12-03T14:00:00Z');

  it('says in how long while the wait runs', () => {
    expect(retryWhen(new Date('2026-12-03T14:00:12Z'), now)).toBe('retry in 12 s');
    expect(retryWhen('2026-12-03T14:02:00Z', now)).toBe('retry in 2 min');
  });

  it('says "retrying now" once the time has come, never "retry 0 s ago"', () => {
    expect(retryWhen(now, now)).toBe('retrying now');
    expect(retryWhen(new Date('2026-12-03T13:59:58Z'), now)).toBe('retrying now');
  });
});
