/**
 * The outbox's state, one typed namespace each: the queue's head and tail (`meta`), the entries
 * by sequence number, which incident has an entry waiting (so updates coalesce), entries set
 * aside, and the once-only markers of digest cards and digest lists.
 */
import { z } from 'zod';
import { Repository } from '../state/repository.js';
import type { StateStore } from '../state/store.js';
import type { OutboxEntry } from './outbox.js';

const DEAD_TTL_MS = 7 * 24 * 3600 * 1000;
/** Digest markers outlive any replay of the batch that made the digest. */
const MARKER_TTL_MS = 7 * 24 * 3600 * 1000;

const metaSchema = z.object({
  /** Sequence number of the oldest entry that may still be waiting. */
  head: z.number(),
  /** Sequence number the next entry gets. */
  next: z.number(),
});

export type OutboxMeta = z.infer<typeof metaSchema>;

const base = {
  seq: z.number(),
  enqueuedAt: z.string(),
  attempts: z.number(),
  failures: z.number().optional(),
};

const severity = z.enum(['low', 'medium', 'high', 'critical']);

export const outboxEntrySchema: z.ZodType<OutboxEntry> = z.union([
  z.object({ ...base, kind: z.literal('alert').optional(), incidentId: z.string() }),
  z.object({
    ...base,
    kind: z.literal('digest'),
    digestId: z.string().optional(),
    // Entries queued by the version before digests were records.
    digest: z
      .object({
        total: z.number(),
        incidents: z.array(
          z.object({
            incidentId: z.string(),
            host: z.string(),
            eventName: z.string(),
            severity,
            eventCount: z.number(),
          }),
        ),
        window: z.object({ from: z.string(), to: z.string() }),
        generatedAt: z.string(),
      })
      .optional(),
    incidentId: z.string().optional(),
  }),
  z.object({ ...base, kind: z.literal('digest-page'), digestId: z.string(), page: z.number() }),
]);

const deadSchema = z.object({ entry: outboxEntrySchema, reason: z.string() });

export class OutboxState {
  readonly meta: Repository<typeof metaSchema>;
  readonly items: Repository<typeof outboxEntrySchema>;
  /** Incident id → sequence number of its waiting entry. */
  readonly pending: Repository<z.ZodNumber>;
  readonly dead: Repository<typeof deadSchema>;
  /** Digest id → the sequence number its card was queued at (once per digest). */
  readonly digestQueued: Repository<z.ZodNumber>;
  /** Digest id → the sequence number its list pages were queued at (once per digest). */
  readonly digestListQueued: Repository<z.ZodNumber>;

  constructor(state: StateStore) {
    this.meta = new Repository(state, { prefix: 'outbox:meta', schema: metaSchema, version: 1 });
    this.items = new Repository(state, { prefix: 'outbox:item', schema: outboxEntrySchema, version: 1 });
    this.pending = new Repository(state, { prefix: 'outbox:pending', schema: z.number(), version: 1 });
    this.dead = new Repository(state, {
      prefix: 'outbox:dead',
      schema: deadSchema,
      version: 2,
      ttlMs: DEAD_TTL_MS,
      // Version 0 stored the entry with its reason beside its fields.
      migrate: (raw) => {
        if (typeof raw !== 'object' || raw === null) return raw;
        const { reason, ...entry } = raw as Record<string, unknown>;
        return { entry, reason: typeof reason === 'string' ? reason : 'unknown' };
      },
    });
    this.digestQueued = new Repository(state, {
      prefix: 'outbox:digest',
      schema: z.number(),
      version: 1,
      ttlMs: MARKER_TTL_MS,
    });
    this.digestListQueued = new Repository(state, {
      prefix: 'outbox:digest-list',
      schema: z.number(),
      version: 1,
      ttlMs: MARKER_TTL_MS,
    });
  }

  /** Serializes changes to the queue's shape (across replicas on Redis). */
  withQueueLock<T>(work: () => Promise<T>): Promise<T> {
    return this.meta.withLock('', work);
  }

  async readMeta(): Promise<OutboxMeta> {
    return (await this.meta.get()) ?? { head: 0, next: 0 };
  }
}
