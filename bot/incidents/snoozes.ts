/**
 * Host snoozes (`/snooze <host> <duration>`): until when no new card is posted for a host. One
 * record per host, the end of its snooze, expiring with it.
 */
import { z } from 'zod';
import { Repository } from '../state/repository.js';
import type { StateStore } from '../state/store.js';

export class HostSnoozes {
  private readonly untilByHost: Repository<z.ZodString>;

  constructor(state: StateStore) {
    this.untilByHost = new Repository(state, { prefix: 'snooze:host', schema: z.string(), version: 1 });
  }

  /** Snoozes `ip` until `until` (ISO 8601), `ms` from now. */
  async snooze(ip: string, until: string, ms: number): Promise<void> {
    await this.untilByHost.set(ip, until, ms);
  }

  /** When the host's snooze ends, if it has one that has not ended by `now`. */
  async until(ip: string, now: Date): Promise<string | undefined> {
    return future(await this.untilByHost.get(ip), now);
  }

  /** The hosts of `ips` snoozed at `now`. */
  async snoozedAmong(ips: readonly string[], now: Date): Promise<Set<string>> {
    const unique = [...new Set(ips)];
    const ends = await this.untilByHost.getMany(unique);
    return new Set(unique.filter((_, n) => future(ends[n], now) !== undefined));
  }
}

function future(until: string | undefined, now: Date): string | undefined {
  return until !== undefined && Date.parse(until) > now.getTime() ? until : undefined;
}
