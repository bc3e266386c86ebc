/**
 * Every response attempt, allowed or not, succeeded or not: who, what, which target, the
 * outcome, upstream ids, when. Kept in state for `/audit` and `/history`.
 */
import { z } from 'zod';
import { actorSchema } from '../incidents/schema.js';
import { Repository } from '../state/repository.js';
import type { StateStore } from '../state/store.js';

export type AuditOutcome = 'done' | 'already' | 'refused' | 'denied' | 'failed' | 'requested' | 'expired';

export interface AuditEntry {
  seq: number;
  at: string;
  actor: { id: string; name: string; email?: string | undefined };
  action: string;
  /** `ip:1.2.3.4`, `host:10.0.0.5`, `incident:abcd1234`. */
  target: string;
  outcome: AuditOutcome;
  detail?: string | undefined;
  incidentId?: string | undefined;
  upstreamIds?: string[] | undefined;
}

const RETENTION_MS = 90 * 24 * 3600 * 1000;
const PER_TARGET = 50;

const entrySchema: z.ZodType<AuditEntry> = z.object({
  seq: z.number(),
  at: z.string(),
  actor: actorSchema,
  action: z.string(),
  target: z.string(),
  outcome: z.enum(['done', 'already', 'refused', 'denied', 'failed', 'requested', 'expired']),
  detail: z.string().optional(),
  incidentId: z.string().optional(),
  upstreamIds: z.array(z.string()).optional(),
});

export class AuditLog {
  /** The last sequence number given out. */
  private readonly seqs: Repository<z.ZodNumber>;
  private readonly entries: Repository<typeof entrySchema>;
  /** Target → its entries' sequence numbers, oldest first (the last PER_TARGET). */
  private readonly byTarget: Repository<z.ZodArray<z.ZodNumber>>;
  /** Idempotency key → the sequence number of the entry recorded under it. */
  private readonly once: Repository<z.ZodNumber>;

  constructor(
    state: StateStore,
    private readonly opts: { now?: () => Date; onRecord?: ((entry: AuditEntry) => void) | undefined } = {},
  ) {
    this.seqs = new Repository(state, { prefix: 'audit:seq', schema: z.number(), version: 1 });
    this.entries = new Repository(state, {
      prefix: 'audit:entry',
      schema: entrySchema,
      version: 1,
      ttlMs: RETENTION_MS,
    });
    this.byTarget = new Repository(state, {
      prefix: 'audit:target',
      schema: z.array(z.number()),
      version: 1,
      ttlMs: RETENTION_MS,
    });
    this.once = new Repository(state, { prefix: 'audit:once', schema: z.number(), version: 1, ttlMs: RETENTION_MS });
  }

  /**
   * Appends an entry. With `once`, an entry recorded before under the same key is returned instead
   * of a second one (bookkeeping retried after a state-store failure records one outcome).
   */
  async record(entry: Omit<AuditEntry, 'seq' | 'at'> & { at?: string; once?: string }): Promise<AuditEntry> {
    const { once, ...fields } = entry;
    return this.seqs.withLock('', async () => {
      if (once) {
        const earlier = await this.once.get(once);
        const found = earlier === undefined ? undefined : await this.entries.get(String(earlier));
        if (found) return found;
      }
      const seq = ((await this.seqs.get()) ?? 0) + 1;
      await this.seqs.set('', seq);
      const at = fields.at ?? (this.opts.now?.() ?? new Date()).toISOString();
      const full: AuditEntry = { ...fields, seq, at };
      await this.entries.set(String(seq), full);
      const index = (await this.byTarget.get(fields.target)) ?? [];
      await this.byTarget.set(fields.target, [...index, seq].slice(-PER_TARGET));
      if (once) await this.once.set(once, seq);
      this.opts.onRecord?.(full);
      return full;
    });
  }

  /** The newest `count` entries, newest first. */
  async recent(count: number): Promise<AuditEntry[]> {
    const last = (await this.seqs.get()) ?? 0;
    const seqs = Array.from({ length: Math.min(count, last) }, (_, i) => String(last - i));
    return present(await this.entries.getMany(seqs));
  }

  /** Entries about one target, newest first. */
  async forTarget(target: string, count = 20): Promise<AuditEntry[]> {
    const seqs = ((await this.byTarget.get(target)) ?? []).slice(-count).reverse();
    return present(await this.entries.getMany(seqs.map(String)));
  }
}

function present(entries: Array<AuditEntry | undefined>): AuditEntry[] {
  return entries.filter((e): e is AuditEntry => e !== undefined);
}
