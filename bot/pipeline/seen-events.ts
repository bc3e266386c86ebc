/**
 * What the pipeline remembers of the events it handled: per tenant, one seen-set (event id →
 * what the event was and how far it had got), read and written once per batch, so a burst of
 * 10,000 events costs two state operations, not 20,000; and the count of events handled, for
 * `/status`. The tenant's batches run one at a time under the seen-set's lock.
 *
 * The seen-set is stored in {@link SHARDS} parts by event id, each a text of one line per event
 * (version 2). Version 1 kept it in one record, an object per event: after a burst of 100,000
 * events that was 12 MB of JSON, built through an object of 100,000 keys and written whole by
 * every batch, and SQLite's and the driver's copies of that one value were most of the burst's
 * peak memory. Now a batch writes only the parts it changed, one after the other. A version 1
 * record is still read (and replaced by parts on the next save).
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

export type SeenSet = Map<number, SeenRecord>;

/**
 * An event a batch handled, as the seen-set needs it: its record (fingerprint included) is read
 * off the event when the part holding it is written, so a batch of 100,000 events builds no
 * record, nor fingerprint, per event. A batch's events are never changed once read, so what is
 * written is what was seen.
 */
export interface SeenEvent {
  id: number;
  typeId: number;
  firstActive: string;
  lastActive: string;
  source: { ip: string };
  target?: { ip: string } | undefined;
  hitCount: number;
  points?: number | undefined;
}

/** What an event is, whatever its later hits: type, hosts and first activity. */
export function fingerprint(event: SeenEvent): string {
  return `${event.typeId}|${event.source.ip}|${event.target?.ip ?? ''}|${event.firstActive}`;
}

/**
 * Whether `event` is one the seen-set already holds as it is now: the same event (fingerprint;
 * records written before fingerprints were kept match any) and no more hits, no later activity
 * and no more points than when it was last handled.
 */
export function isRepeat(seen: SeenRecord, event: SeenEvent): boolean {
  if (seen.fp !== undefined && seen.fp !== fingerprint(event)) return false;
  return !(
    event.hitCount > seen.hitCount ||
    event.lastActive > seen.lastActive ||
    (event.points ?? 0) > (seen.points ?? 0)
  );
}

/** Version 1: `{ "<id>": SeenRecord }`. */
const seenSetV1Schema = z.record(z.string(), seenRecordSchema);

/**
 * Version 2: `id TAB hitCount TAB points TAB lastActive TAB fp`, one line per event (an empty
 * points or fp field: none). Addresses, ISO times and type ids hold no tab nor newline.
 */
const seenSetSchema = z.string().transform((text, ctx): SeenSet => {
  const seen: SeenSet = new Map();
  if (text === '') return seen;
  for (const line of text.split('\n')) {
    const entry = parseLine(line);
    if (!entry) {
      ctx.addIssue({ code: 'custom', message: 'a seen-set line does not read as id, hits, points, time, fingerprint' });
      return z.NEVER;
    }
    seen.set(entry[0], entry[1]);
  }
  return seen;
});
const statsSchema = z.object({ eventsSeen: z.number() });

function parseLine(line: string): [number, SeenRecord] | undefined {
  const [id, hitCount, points, lastActive, fp, extra] = line.split('\t');
  if (extra !== undefined || fp === undefined || !lastActive) return undefined;
  const record: SeenRecord = { hitCount: Number(hitCount), lastActive };
  if (fp !== '') record.fp = fp;
  if (points !== '') record.points = Number(points);
  const parsedId = Number(id);
  const numbers = [parsedId, record.hitCount, record.points ?? 0];
  if (id === '' || hitCount === '' || !Number.isSafeInteger(parsedId) || !numbers.every(Number.isFinite))
    return undefined;
  return [parsedId, record];
}

function shardIds(tenantKey: string): string[] {
  return Array.from({ length: SHARDS }, (_, n) => `${tenantKey}:${n}`);
}

function toLine(id: number, r: SeenRecord): string {
  return `${id}\t${r.hitCount}\t${r.points ?? ''}\t${r.lastActive}\t${r.fp ?? ''}`;
}

/** The line of an event a batch marked (what {@link toLine} writes of its record). */
function eventLine(e: SeenEvent): string {
  return `${e.id}\t${e.hitCount}\t${e.points ?? ''}\t${e.lastActive}\t${fingerprint(e)}`;
}

/** Version 1 (an object per event) as version 2's text; anything else is left for the schema to refuse. */
function migrate(raw: unknown, from: number): unknown {
  if (from !== 1) return raw;
  const parsed = seenSetV1Schema.safeParse(raw);
  if (!parsed.success) return raw;
  return Object.entries(parsed.data)
    .map(([id, r]) => toLine(Number(id), r))
    .join('\n');
}

/** Parts of a tenant's seen-set (by event id). */
export const SHARDS = 16;
const shardOf = (id: number) => ((id % SHARDS) + SHARDS) % SHARDS;

export class SeenEvents {
  private readonly sets: Repository<typeof seenSetSchema>;
  private readonly stats: Repository<typeof statsSchema>;
  /** Tenants whose seen-set was last read from a single (version 1) record. */
  private readonly whole = new Set<string>();

  constructor(state: StateStore) {
    this.sets = new Repository(state, { prefix: 'sna:seen-set', schema: seenSetSchema, version: 2, migrate });
    this.stats = new Repository(state, { prefix: 'sna:stats', schema: statsSchema, version: 1 });
  }

  /** Runs one batch of a tenant: batches (poll and push, any replica) run one at a time. */
  batch<T>(tenantKey: string, work: (lock: LockHandle) => Promise<T>): Promise<T> {
    return withLockRetried((name, w) => this.sets.withLock(name, w), tenantKey, work);
  }

  async load(tenantKey: string): Promise<SeenSet> {
    const [whole, ...parts] = await this.sets.getMany([tenantKey, ...shardIds(tenantKey)]);
    if (whole) this.whole.add(tenantKey);
    else this.whole.delete(tenantKey);
    const seen: SeenSet = whole ?? new Map();
    for (const part of parts) if (part) for (const [id, record] of part) seen.set(id, record);
    return seen;
  }

  /**
   * Saves the tenant's seen-set: `loaded` (as {@link load} read it) with the events a batch
   * `marked` (in order: the last of one id wins) over it, keeping entries whose last activity is
   * at or after `oldest`. Only the parts holding a marked or an expired entry are written. One pass
   * sorts the entries into their parts; `loaded` itself is not changed.
   */
  async save(tenantKey: string, loaded: SeenSet, oldest: string, marked: readonly SeenEvent[]): Promise<void> {
    const wasWhole = this.whole.has(tenantKey);
    const dirty: boolean[] = new Array<boolean>(SHARDS).fill(wasWhole);
    const marks: Array<Map<number, SeenEvent>> = Array.from({ length: SHARDS }, () => new Map());
    for (const event of marked) {
      const shard = shardOf(event.id);
      dirty[shard] = true;
      marks[shard]?.set(event.id, event);
    }
    const kept: number[][] = Array.from({ length: SHARDS }, () => []);
    for (const [id, record] of loaded) {
      const shard = shardOf(id);
      if (record.lastActive < oldest) dirty[shard] = true;
      else kept[shard]?.push(id);
    }
    for (let shard = 0; shard < SHARDS; shard += 1) {
      if (!dirty[shard]) continue;
      const marking = marks[shard] ?? new Map<number, SeenEvent>();
      const lines: string[] = [];
      for (const id of kept[shard] ?? []) {
        const record = loaded.get(id);
        if (record && !marking.has(id)) lines.push(toLine(id, record));
      }
      for (const event of marking.values()) if (event.lastActive >= oldest) lines.push(eventLine(event));
      await this.sets.set(`${tenantKey}:${shard}`, lines.join('\n'));
    }
    if (wasWhole) {
      await this.sets.delete(tenantKey);
      this.whole.delete(tenantKey);
    }
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
