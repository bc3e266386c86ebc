/**
 * What the pipeline remembers of the events it handled: per tenant, one seen-set (event id →
 * what the event was and how far it had got), read and written once per batch, so a burst of
 * 10,000 events costs two state operations, not 20,000; and the count of events handled, for
 * `/status`. The tenant's batches run one at a time under the seen-set's lock.
 */
import { z } from 'zod';
import type { LockHandle } from '../state/coordination.js';
import { withLockRetried } from '../state/coordination.js';
import { Repository } from '../state/repository.js';
import type { StateStore } from '../state/store.js';

const seenRecordSchema = z.object({
  /** What the event is (type, hosts, first activity): the same id with other content is another event. */
  fp: z.string().optional(),
  hitCount: z.number(),
  lastActive: z.string(),
  points: z.number().optional(),
});

export type SeenRecord = z.infer<typeof seenRecordSchema>;

const seenSetSchema = z.record(z.string(), seenRecordSchema);
const statsSchema = z.object({ eventsSeen: z.number() });

export class SeenEvents {
  private readonly sets: Repository<typeof seenSetSchema>;
  private readonly stats: Repository<typeof statsSchema>;

  constructor(state: StateStore) {
    this.sets = new Repository(state, { prefix: 'sna:seen-set', schema: seenSetSchema, version: 1 });
    this.stats = new Repository(state, { prefix: 'sna:stats', schema: statsSchema, version: 1 });
  }

  /** Runs one batch of a tenant: batches (poll and push, any replica) run one at a time. */
  batch<T>(tenantKey: string, work: (lock: LockHandle) => Promise<T>): Promise<T> {
    return withLockRetried((name, w) => this.sets.withLock(name, w), tenantKey, work);
  }

  async load(tenantKey: string): Promise<Map<number, SeenRecord>> {
    return new Map(Object.entries((await this.sets.get(tenantKey)) ?? {}).map(([id, r]) => [Number(id), r]));
  }

  /** Saves the tenant's seen-set, keeping entries whose last activity is at or after `oldest`. */
  async save(tenantKey: string, seen: ReadonlyMap<number, SeenRecord>, oldest: string): Promise<void> {
    await this.sets.set(tenantKey, Object.fromEntries([...seen].filter(([, r]) => r.lastActive >= oldest)));
  }

  /** Events handled since the state began, for `/status`. */
  async eventsSeen(): Promise<number> {
    return (await this.stats.get())?.eventsSeen ?? 0;
  }

  async addSeen(count: number): Promise<void> {
    await this.stats.withLock('', async () => {
      const stats = (await this.stats.get()) ?? { eventsSeen: 0 };
      await this.stats.set('', { eventsSeen: stats.eventsSeen + count });
    });
  }
}
