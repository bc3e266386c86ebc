/**
 * Block: a Malicious CTIA judgement for the observable, linked `element-of` the indicator
 * behind a private-intel blocking feed that firewalls consume (`view.txt`). One feed per
 * observable type, as firewall "flat file" sources expect. Unblock expires the judgement,
 * which drops it from the feed.
 *
 * Exactly once: writes are serialized per observable, each block gets a stable external id
 * that is looked up before anything is created, so a retry after a crash finishes the same
 * block instead of making a second one.
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
import type { StateStore } from '../state/store.js';
import type { BlockableType } from './guardrails.js';

export const JUDGEMENT_SOURCE = 'SNA ChatOps';

const FEED_LABELS: Record<BlockableType, { label: string; indicatorType: string }> = {
  ip: { label: 'IPv4', indicatorType: 'IP Watchlist' },
  ipv6: { label: 'IPv6', indicatorType: 'IP Watchlist' },
  domain: { label: 'Domain', indicatorType: 'Domain Watchlist' },
  url: { label: 'URL', indicatorType: 'URL Watchlist' },
  sha256: { label: 'SHA256', indicatorType: 'File Hash Watchlist' },
};

export interface BlockRecord {
  v: 1;
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
  unblocked?: { by: ActorRecord; at: string; reason: string } | undefined;
}

export interface FeedInfo {
  type: BlockableType;
  title: string;
  viewUrl: string;
}

export class BlockService {
  constructor(
    private readonly opts: {
      xdr: XdrClient;
      state: StateStore;
      feedName: string;
      now: () => Date;
    },
  ) {}

  /** The block in force for this observable, if any. */
  async active(observable: Observable): Promise<BlockRecord | undefined> {
    const record = await this.opts.state.get<BlockRecord>(recordKey(observable));
    return record && isActive(record, this.opts.now()) ? record : undefined;
  }

  async block(request: {
    observable: Observable & { type: BlockableType };
    ttlMs: number;
    reason: string;
    by: ActorRecord;
    approvedBy?: ActorRecord | undefined;
    incidentId?: string | undefined;
  }): Promise<{ status: 'blocked' | 'already'; record: BlockRecord }> {
    const { observable } = request;
    return this.opts.state.withLock(recordKey(observable), async () => {
      const previous = await this.opts.state.get<BlockRecord>(recordKey(observable));
      const now = this.opts.now();
      if (previous && isActive(previous, now)) return { status: 'already' as const, record: previous };
      // A record without `until` passed and without `unblocked` that is not active cannot
      // exist; a finished one (expired or unblocked) gets a successor with the next sequence.
      const seq = (previous?.seq ?? 0) + 1;
      const externalId = `sna-chatops-block-${digest(observable)}-${seq}`;
      const { indicator } = await this.feedFor(observable.type);
      const until = new Date(now.getTime() + request.ttlMs);
      const judgementId = await this.ensureJudgement(observable, externalId, request.reason, now, until);
      try {
        await this.ensureLink(judgementId, indicator.id, `${externalId}-element-of`);
      } catch (err) {
        // Without the link the observable is not on the feed, but the Malicious judgement would
        // still show in every XDR lookup for the whole TTL: take it back, and let the next try
        // start a fresh block (the sequence moves on).
        await this.opts.xdr
          .expireJudgement(judgementId, 'SNA ChatOps block did not complete (linking to the feed failed)')
          .catch(() => undefined);
        const incomplete: BlockRecord = {
          v: 1,
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
        await this.opts.state.set(recordKey(observable), incomplete);
        throw err;
      }
      const record: BlockRecord = {
        v: 1,
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
      await this.opts.state.set(recordKey(observable), record);
      return { status: 'blocked' as const, record };
    });
  }

  /** Expires the judgement of the block in force, so the feed drops the observable. */
  async unblock(request: {
    observable: Observable;
    by: ActorRecord;
    reason: string;
  }): Promise<{ status: 'unblocked' | 'not-blocked'; record?: BlockRecord }> {
    return this.opts.state.withLock(recordKey(request.observable), async () => {
      const record = await this.opts.state.get<BlockRecord>(recordKey(request.observable));
      const now = this.opts.now();
      if (!record || !isActive(record, now)) return { status: 'not-blocked' as const, record };
      await this.opts.xdr.expireJudgement(record.judgementId, request.reason);
      const updated: BlockRecord = {
        ...record,
        unblocked: { by: request.by, at: now.toISOString(), reason: request.reason },
      };
      await this.opts.state.set(recordKey(request.observable), updated);
      return { status: 'unblocked' as const, record: updated };
    });
  }

  /** The feeds created so far, with the `view.txt` URLs firewalls poll. */
  async feeds(): Promise<FeedInfo[]> {
    const types = Object.keys(FEED_LABELS) as BlockableType[];
    const cached = await this.opts.state.getMany<FeedInfo>(types.map(feedKey));
    return cached.filter((f): f is FeedInfo => f !== undefined);
  }

  /** Finds or creates the indicator and feed for this observable type (once, then cached). */
  async feedFor(type: BlockableType): Promise<IndicatorFeed> {
    return this.opts.state.withLock(`feed:${type}`, async () => {
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
        await this.opts.state.set(feedKey(type), { type, title, viewUrl: found.feed.feed_view_url } satisfies FeedInfo);
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
  ): Promise<string> {
    const [existing] = await this.opts.xdr.byExternalId('judgement', externalId);
    if (existing) return existing.id;
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

  private async ensureLink(judgementId: string, indicatorId: string, externalId: string): Promise<void> {
    const [existing] = await this.opts.xdr.byExternalId('relationship', externalId);
    if (existing) return;
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
  return !record.unblocked && Date.parse(record.until) > now.getTime();
}

function digest(observable: Observable): string {
  return createHash('sha256').update(`${observable.type}:${observable.value}`).digest('hex').slice(0, 24);
}

const recordKey = (o: Observable) => `block:${o.type}:${o.value}`;
const feedKey = (type: BlockableType) => `xdr:feed:${type}`;
