/**
 * Block: a Malicious CTIA judgement for the observable, linked `element-of` the indicator
 * behind a private-intel blocking feed that firewalls consume (`view.txt`). One feed per
 * observable type, as firewall "flat file" sources expect. Unblock expires the judgement,
 * which drops it from the feed.
 *
 * Exactly once: writes are serialized per observable under a lock that is renewed while XDR
 * answers (a 20 s Retry-After included) and fenced before every create and every record write;
 * each block gets a stable external id that is looked up before anything is created, so a retry
 * after a crash finishes the same block instead of making a second one. Unblock records its
 * intent first and expires every judgement carrying the block's external id, so a crash midway is
 * finished by the next Block or Unblock, and a duplicate made by an older version cannot linger on
 * the feed. Once XDR changed, a failing record write is retried and reported (`recorded: false`),
 * never turned into "nothing was changed".
 */
import { createHash } from 'node:crypto';
import {
  type IndicatorFeed,
  type NewJudgement,
  type XdrClient,
  findOrCreateIndicatorFeed,
} from '../../integrations/xdr/index.js';
import type { ActorRecord } from '../incidents/types.js';
import type { Observable } from '../observables/parse.js';
import { z } from 'zod';
import { actorSchema } from '../incidents/schema.js';
import { LockLostError, withLockRetried } from '../state/coordination.js';
import { Repository } from '../state/repository.js';
import type { StateStore } from '../state/store.js';
import { BLOCKABLE_TYPES, type BlockableType } from './guardrails.js';

export const JUDGEMENT_SOURCE = 'SNA ChatOps';

const FEED_LABELS: Record<BlockableType, { label: string; indicatorType: string }> = {
  ip: { label: 'IPv4', indicatorType: 'IP Watchlist' },
  ipv6: { label: 'IPv6', indicatorType: 'IP Watchlist' },
  domain: { label: 'Domain', indicatorType: 'Domain Watchlist' },
  url: { label: 'URL', indicatorType: 'URL Watchlist' },
  sha256: { label: 'SHA256', indicatorType: 'File Hash Watchlist' },
};

export interface BlockRecord {
  seq: number;
  observable: Observable;
  externalId: string;
  judgementId: string;
  by: ActorRecord;
  at: string;
  until: string;
  reason: string;
  approvedBy?: ActorRecord | undefined;
  incidentId?: string | undefined;
  /** Set before the judgements are expired; finished by the next Block or Unblock after a crash. */
  unblocking?: { by: ActorRecord; at: string; reason: string } | undefined;
  unblocked?: { by: ActorRecord; at: string; reason: string } | undefined;
}

/** The outcome of a change in XDR; `recorded: false` when XDR changed but the bot could not record it yet. */
export interface BlockOutcome<S extends string> {
  status: S;
  record: BlockRecord;
  recorded: boolean;
}

export interface FeedInfo {
  type: BlockableType;
  title: string;
  viewUrl: string;
  /** The indicator the feed serves: judgements are linked `element-of` it (cached: no look-up per block). */
  indicatorId?: string | undefined;
}

/** Written before a block's first XDR call: its presence tells a retry to look up what a crash may have made. */
const attemptSchema = z.object({ seq: z.number(), externalId: z.string() });

const blockableSchema = z.enum(BLOCKABLE_TYPES);

const feedInfoSchema: z.ZodType<FeedInfo> = z.object({
  type: blockableSchema,
  title: z.string(),
  viewUrl: z.string(),
  indicatorId: z.string().optional(),
});

const observableSchema: z.ZodType<Observable> = z.object({
  type: z.enum(['ip', 'ipv6', 'domain', 'url', 'sha256', 'sha1', 'md5', 'email']),
  value: z.string(),
});

const changeSchema = z.object({ by: actorSchema, at: z.string(), reason: z.string() });

/** Version 2 dropped the in-record `v: 1` nothing read. */
const blockRecordSchema: z.ZodType<BlockRecord> = z.object({
  seq: z.number(),
  observable: observableSchema,
  externalId: z.string(),
  judgementId: z.string(),
  by: actorSchema,
  at: z.string(),
  until: z.string(),
  reason: z.string(),
  approvedBy: actorSchema.optional(),
  incidentId: z.string().optional(),
  unblocking: changeSchema.optional(),
  unblocked: changeSchema.optional(),
});

export class BlockService {
  /** The block of each observable (`<type>:<value>`): the one in force, or the last one. */
  private readonly records: Repository<typeof blockRecordSchema>;
  private readonly attempts: Repository<typeof attemptSchema>;
  /** Each type's feed, once found or created. */
  private readonly feedInfo: Repository<typeof feedInfoSchema>;

  constructor(
    private readonly opts: {
      xdr: XdrClient;
      state: StateStore;
      feedName: string;
      now: () => Date;
    },
  ) {
    this.records = new Repository(opts.state, { prefix: 'block', schema: blockRecordSchema, version: 2 });
    this.attempts = new Repository(opts.state, {
      prefix: 'block-attempt',
      schema: attemptSchema,
      version: 1,
      ttlMs: ATTEMPT_TTL_MS,
    });
    this.feedInfo = new Repository(opts.state, { prefix: 'xdr:feed', schema: feedInfoSchema, version: 1 });
  }

  /** The block in force for this observable, if any. */
  async active(observable: Observable): Promise<BlockRecord | undefined> {
    const record = await this.records.get(idOf(observable));
    return record && isActive(record, this.opts.now()) ? record : undefined;
  }

  async block(request: {
    observable: Observable & { type: BlockableType };
    ttlMs: number;
    reason: string;
    by: ActorRecord;
    approvedBy?: ActorRecord | undefined;
    incidentId?: string | undefined;
  }): Promise<BlockOutcome<'blocked' | 'already'>> {
    const { observable } = request;
    return withLockRetried(
      (n, w) => this.records.withLock(n, w),
      idOf(observable),
      async (lock) => {
        let previous = await this.records.get(idOf(observable));
        const now = this.opts.now();
        if (previous && isActive(previous, now))
          return { status: 'already' as const, record: previous, recorded: true };
        // An unblock that a crash interrupted is finished first: its judgements must not linger.
        if (previous?.unblocking)
          previous = await this.finishUnblock(previous, previous.unblocking, () => lock.assertHeld());
        // A record without `until` passed and without `unblocked` that is not active cannot
        // exist; a finished one (expired or unblocked) gets a successor with the next sequence.
        const seq = (previous?.seq ?? 0) + 1;
        const externalId = `sna-chatops-block-${digest(observable)}-${seq}`;
        const indicatorId = await this.indicatorFor(observable.type);
        const until = new Date(now.getTime() + request.ttlMs);
        // A first attempt creates without looking first (two XDR calls a block); an attempt left by a
        // crash or a lost lock looks up by external id what it may already have made.
        const attempt = await this.attempts.get(idOf(observable));
        const retrying = attempt?.seq === seq;
        await lock.assertHeld();
        if (!retrying) await this.attempts.set(idOf(observable), { seq, externalId });
        const judgementId = await this.ensureJudgement(observable, externalId, request.reason, now, until, retrying);
        try {
          await lock.assertHeld();
          await this.ensureLink(judgementId, indicatorId, `${externalId}-element-of`, retrying);
        } catch (err) {
          // Another holder took over (our lock was lost): it finishes this same block (same external ids).
          if (err instanceof LockLostError) throw err;
          // The cached indicator may be gone from XDR: the next block finds or creates it again.
          await this.forgetIndicator(observable.type).catch(() => undefined);
          // Without the link the observable is not on the feed, but the Malicious judgement would
          // still show in every XDR lookup for the whole TTL: take it back, and let the next try
          // start a fresh block (the sequence moves on).
          await this.opts.xdr
            .expireJudgement(judgementId, 'SNA ChatOps block did not complete (linking to the feed failed)')
            .catch(() => undefined);
          const incomplete: BlockRecord = {
            seq,
            observable,
            externalId,
            judgementId,
            by: request.by,
            at: now.toISOString(),
            until: now.toISOString(),
            reason: request.reason,
            unblocked: { by: request.by, at: now.toISOString(), reason: 'incomplete' },
          };
          await this.records.set(idOf(observable), incomplete);
          throw err;
        }
        const record: BlockRecord = {
          seq,
          observable,
          externalId,
          judgementId,
          by: request.by,
          approvedBy: request.approvedBy,
          at: now.toISOString(),
          until: until.toISOString(),
          reason: request.reason,
          incidentId: request.incidentId,
        };
        // XDR holds the block now: from here on nothing may throw "nothing was changed".
        const recorded = await this.saveIfHeld(record, () => lock.assertHeld());
        return { status: 'blocked' as const, record, recorded };
      },
    );
  }

  /** Expires the judgement of the block in force, so the feed drops the observable. */
  async unblock(request: {
    observable: Observable;
    by: ActorRecord;
    reason: string;
  }): Promise<{ status: 'not-blocked'; record?: BlockRecord | undefined } | BlockOutcome<'unblocked'>> {
    return withLockRetried(
      (n, w) => this.records.withLock(n, w),
      idOf(request.observable),
      async (lock) => {
        const record = await this.records.get(idOf(request.observable));
        const now = this.opts.now();
        if (!record || (!record.unblocking && !isActive(record, now)))
          return { status: 'not-blocked' as const, record };
        // The intent is recorded before XDR changes: if this write fails, nothing was changed.
        const unblocking = record.unblocking ?? { by: request.by, at: now.toISOString(), reason: request.reason };
        await lock.assertHeld();
        await this.records.set(idOf(request.observable), { ...record, unblocking });
        const updated = await this.finishUnblock(record, unblocking, () => lock.assertHeld());
        return { status: 'unblocked' as const, record: updated, recorded: updated.unblocked !== undefined };
      },
    );
  }

  /**
   * Expires every judgement carrying the block's external id (a duplicate made before locks were
   * renewed would otherwise keep the observable on the feed), then records the unblock.
   */
  private async finishUnblock(
    record: BlockRecord,
    unblocking: NonNullable<BlockRecord['unblocking']>,
    assertHeld: () => Promise<void>,
  ): Promise<BlockRecord> {
    const found = await this.opts.xdr.byExternalId('judgement', record.externalId).catch(() => []);
    const ids = new Set([record.judgementId, ...found.map((j) => j.id)]);
    await assertHeld();
    for (const id of ids) await this.opts.xdr.expireJudgement(id, unblocking.reason);
    const { unblocking: _done, ...rest } = record;
    const updated: BlockRecord = { ...rest, unblocked: unblocking };
    return (await this.saveIfHeld(updated, assertHeld)) ? updated : { ...record, unblocking };
  }

  /**
   * The record write after XDR changed, fenced: when the lock was lost (another holder finishes
   * and records the same block) or the store cannot even be asked, it is left to the bookkeeping.
   */
  private async saveIfHeld(record: BlockRecord, assertHeld: () => Promise<void>): Promise<boolean> {
    try {
      await assertHeld();
    } catch {
      return false;
    }
    return this.save(record);
  }

  /**
   * Writes the record after XDR changed: retried a few times, and a failure is reported, not
   * thrown (the judgement exists; the next press finds it by its external id and records it).
   */
  private async save(record: BlockRecord): Promise<boolean> {
    for (const delayMs of [0, 200, 1000]) {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      try {
        await this.records.set(idOf(record.observable), record);
        return true;
      } catch {
        // The state store is away; tried again, then reported.
      }
    }
    return false;
  }

  /** Records a block XDR already holds (bookkeeping retried after the state store was away). */
  async remember(record: BlockRecord): Promise<void> {
    await this.records.withLock(idOf(record.observable), async () => {
      const current = await this.records.get(idOf(record.observable));
      // Never over a newer block or an unblock recorded meanwhile.
      if (current && (current.seq > record.seq || (current.seq === record.seq && current.unblocked))) return;
      await this.records.set(idOf(record.observable), record);
    });
  }

  /** The feeds created so far, with the `view.txt` URLs firewalls poll. */
  async feeds(): Promise<FeedInfo[]> {
    const types = Object.keys(FEED_LABELS) as BlockableType[];
    const cached = await this.feedInfo.getMany(types);
    return cached.filter((f): f is FeedInfo => f !== undefined);
  }

  /** The indicator of this type's feed: from state once known (no XDR call), else found or created. */
  private async indicatorFor(type: BlockableType): Promise<string> {
    const cached = await this.feedInfo.get(type);
    if (cached?.indicatorId) return cached.indicatorId;
    return (await this.feedFor(type)).indicator.id;
  }

  private async forgetIndicator(type: BlockableType): Promise<void> {
    const cached = await this.feedInfo.get(type);
    if (cached?.indicatorId) await this.feedInfo.set(type, { ...cached, indicatorId: undefined });
  }

  /** Finds or creates the indicator and feed for this observable type, and remembers them. */
  async feedFor(type: BlockableType): Promise<IndicatorFeed> {
    return this.feedInfo.withLock(type, async () => {
      const title = `${this.opts.feedName} — ${FEED_LABELS[type].label}`;
      const found = await findOrCreateIndicatorFeed(this.opts.xdr, {
        title,
        indicator: {
          producer: JUDGEMENT_SOURCE,
          source: JUDGEMENT_SOURCE,
          short_description: `Observables blocked from Webex by SNA ChatOps (${FEED_LABELS[type].label})`,
          indicator_type: [FEED_LABELS[type].indicatorType],
          severity: 'High',
          confidence: 'High',
          tlp: 'amber',
        },
        feed: { output: 'observables', tlp: 'amber' },
      });
      if (found.feed.feed_view_url) {
        const info: FeedInfo = { type, title, viewUrl: found.feed.feed_view_url, indicatorId: found.indicator.id };
        await this.feedInfo.set(type, info);
      }
      return found;
    });
  }

  private async ensureJudgement(
    observable: Observable,
    externalId: string,
    reason: string,
    now: Date,
    until: Date,
    lookFirst: boolean,
  ): Promise<string> {
    if (lookFirst) {
      const [existing] = await this.opts.xdr.byExternalId('judgement', externalId);
      if (existing) return existing.id;
    }
    const judgement: NewJudgement = {
      type: 'judgement',
      observable,
      disposition: 2,
      disposition_name: 'Malicious',
      source: JUDGEMENT_SOURCE,
      priority: 100,
      confidence: 'High',
      severity: 'High',
      tlp: 'amber',
      reason: reason.slice(0, 1024),
      valid_time: { start_time: now.toISOString(), end_time: until.toISOString() },
      external_ids: [externalId],
    };
    return (await this.opts.xdr.createJudgement(judgement)).id;
  }

  private async ensureLink(
    judgementId: string,
    indicatorId: string,
    externalId: string,
    lookFirst: boolean,
  ): Promise<void> {
    if (lookFirst) {
      const [existing] = await this.opts.xdr.byExternalId('relationship', externalId);
      if (existing) return;
    }
    await this.opts.xdr.createRelationship({
      relationship_type: 'element-of',
      source_ref: judgementId,
      target_ref: indicatorId,
      source: JUDGEMENT_SOURCE,
      tlp: 'amber',
      external_ids: [externalId],
    });
  }
}

function isActive(record: BlockRecord, now: Date): boolean {
  return !record.unblocked && !record.unblocking && Date.parse(record.until) > now.getTime();
}

function digest(observable: Observable): string {
  return createHash('sha256').update(`${observable.type}:${observable.value}`).digest('hex').slice(0, 24);
}

/** An observable's id in the block namespaces. */
const idOf = (o: Observable) => `${o.type}:${o.value}`;
/** An attempt outlives any retry of it (the next press, a restart). */
const ATTEMPT_TTL_MS = 7 * 24 * 3600 * 1000;
