/**
 * The one path every SNA security event takes, whether polled or pushed: skip what was
 * already handled (seen-set), drop events under SNA_MIN_POINTS, fold the rest into
 * incidents, then queue cards: one per new incident (enriched first), or one digest naming
 * them all when more than DIGEST_THRESHOLD arrive at once; snoozed hosts and incidents get
 * none. An incident a digest named gets its own card on new activity (after its snooze).
 */
import type { FoldedBatch, IncidentEvent, IncidentStore } from '../incidents/store.js';
import { canonicalIp } from '../observables/ip.js';
import type { LockHandle } from '../state/coordination.js';
import type { Incident } from '../incidents/types.js';
import type { Logger } from '../log.js';
import type { Outbox } from '../outbox/outbox.js';
import type { StateStore } from '../state/store.js';
import { type AlertHook, DEFAULT_ALERT_HOLD_MS, holdForHooks } from './alert-hold.js';
import { DigestFollowUp } from './digest-follow-up.js';
import { queueDigest } from './queue-digest.js';
import { eventGroups, laterThan } from './event-groups.js';
import { isRepeat, SeenEvents } from './seen-events.js';

/** Events stamped further ahead than this are refused: a time in 2099 would be "seen" forever. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;
/** Seen-set entries outlive the poll window by this much. */
const SEEN_MARGIN_MS = 10 * 60_000;

const isFuture = (iso: string | undefined, now: Date) => iso !== undefined && Date.parse(iso) > now.getTime();

export interface PipelineOptions {
  state: StateStore;
  incidents: IncidentStore;
  outbox: Outbox;
  /** Events with fewer points do not alert (0: all do). */
  minPoints: number;
  /** More new incidents than this at once become one digest card. */
  digestThreshold: number;
  /** How far back polls look (first window, or overlap): seen-set entries older than that expire. */
  seenWindowMs: number;
  /** Run for each new incident before its card is queued (auto-enrichment, flow context); see `alert-hold.ts`. */
  beforeAlert?: readonly AlertHook[];
  /** Longest wait for `beforeAlert` hooks that did not release the card. Default {@link DEFAULT_ALERT_HOLD_MS}. */
  beforeAlertWaitMs?: number;
  now: () => Date;
  log: Logger;
}

export interface ProcessContext {
  tenantKey: string;
  names: ReadonlyMap<number, string>;
  window: { from: Date; to: Date };
  signal?: AbortSignal | undefined;
}

export interface PipelineResult {
  /** Events not seen before (or seen with fewer hits). */
  newOrChanged: number;
  /** Events stamped more than a few minutes in the future, skipped. */
  futureDated: number;
  /** Incidents created or updated. */
  incidents: number;
}

export class EventPipeline {
  private readonly digestFollowUp: DigestFollowUp;
  private readonly seen: SeenEvents;

  constructor(private readonly opts: PipelineOptions) {
    this.seen = new SeenEvents(opts.state);
    this.digestFollowUp = new DigestFollowUp({
      state: opts.state,
      incidents: opts.incidents,
      outbox: opts.outbox,
      now: opts.now,
      prepare: (incidents) => this.prepare(incidents),
    });
  }

  /** Handles a batch of events; batches (poll and push, any replica) run one at a time per tenant. */
  process(events: IncidentEvent[], ctx: ProcessContext): Promise<PipelineResult> {
    return this.seen.batch(ctx.tenantKey, (lock) => this.run(events, ctx, lock));
  }

  private async run(events: IncidentEvent[], ctx: ProcessContext, lock: LockHandle): Promise<PipelineResult> {
    const now = this.opts.now();
    const fresh = new Map<string, Incident>();
    const changed = new Map<string, Incident>();
    /** Events not seen before (or changed since), in order; the seen-set reads their records off them. */
    const seenMarks: IncidentEvent[] = [];
    const seenSet = await this.seen.load(ctx.tenantKey);
    const canonical = canonicalIps();
    // ISO-8601 UTC strings of one format sort as text (code units, not the locale's collation).
    const sorted = events
      .map(canonical)
      .sort((a, b) => (a.firstActive < b.firstActive ? -1 : a.firstActive > b.firstActive ? 1 : 0));
    const groups = eventGroups();
    const isFutureDated = laterThan(new Date(now.getTime() + FUTURE_TOLERANCE_MS));
    let futureDated = 0;
    sorted.forEach((event) => {
      if (isFutureDated(event.lastActive) || isFutureDated(event.firstActive)) {
        futureDated += 1;
        return;
      }
      const seen = seenSet.get(event.id);
      if (seen && isRepeat(seen, event)) return;
      // Marked with its points: the same event crossing SNA_MIN_POINTS later is an update, not a repeat.
      seenMarks.push(event);
      // Events without points pass: SNA does not report points for every event type.
      if (event.points !== undefined && event.points < this.opts.minPoints) return;
      groups.add(event);
    });
    if (ctx.signal?.aborted) throw new Error('cancelled');
    const batch = await this.opts.incidents.foldBatch(
      groups.list,
      (typeId) => ctx.names.get(typeId) ?? `Security event ${typeId}`,
      now,
    );
    for (const { incident, outcome } of batch.results) {
      if (outcome === 'new' || (!incident.card && !incident.digested)) fresh.set(incident.id, incident);
      else if (outcome === 'updated') changed.set(incident.id, incident);
    }
    // Fenced: a replica that lost the pipeline lock re-reads instead of committing a stale fold.
    await lock.assertHeld();
    await this.announce([...fresh.values()], [...changed.values()], ctx.window, batch);
    // Marked only after the cards are queued: a crash in between re-processes the events,
    // and the outbox coalesces what was already queued.
    if (seenMarks.length > 0) {
      // Entries expire with the poll window (after a long outage the window reaches further back).
      const oldestMs = Math.min(ctx.window.from.getTime(), now.getTime() - this.opts.seenWindowMs) - SEEN_MARGIN_MS;
      await this.seen.save(ctx.tenantKey, seenSet, new Date(oldestMs).toISOString(), seenMarks);
      await this.seen.addSeen(seenMarks.length);
    }
    return { newOrChanged: seenMarks.length, futureDated, incidents: fresh.size + changed.size };
  }

  /** Events handled since the state began, for `/status`. */
  async eventsSeen(): Promise<number> {
    return this.seen.eventsSeen().catch(() => 0);
  }

  /**
   * Queues the cards: one per new incident, or one digest naming them all when more than
   * DIGEST_THRESHOLD arrive at once (see `queue-digest.ts`); updates for incidents with a card;
   * and, for incidents a digest named, a card of their own on new activity (`digest-follow-up.ts`).
   * The batch's new incidents are written (`batch.commit()`) before any alert card is queued.
   */
  private async announce(
    fresh: Incident[],
    changed: Incident[],
    window: { from: Date; to: Date },
    batch: FoldedBatch,
  ): Promise<void> {
    const { outbox, incidents } = this.opts;
    const now = this.opts.now();
    const awake = async (incident: Incident) =>
      !isFuture(incident.snoozedUntil, now) && (await incidents.hostSnoozes.until(incident.hostIp, now)) === undefined;
    // An incident a digest named is never new again: what happens to it next is the follow-up's.
    const named = [...fresh, ...changed].filter(
      (i) => i.card === undefined && (i.digested === true || i.digest !== undefined),
    );
    const followed = new Set(named);
    const brandNew = fresh.filter((i) => !followed.has(i));
    const snoozedHosts = await incidents.hostSnoozes.snoozedAmong(
      brandNew.map((i) => i.hostIp),
      now,
    );
    const announceable = brandNew.filter((i) => !isFuture(i.snoozedUntil, now) && !snoozedHosts.has(i.hostIp));
    if (announceable.length > this.opts.digestThreshold) {
      await queueDigest({ incidents, outbox, now, window }, announceable, batch);
    } else {
      await batch.commit();
      await this.prepare(announceable);
      for (const incident of announceable) await outbox.enqueueAlert(incident.id);
    }
    // A stronger event can change which peer leads the card: its verdict is looked up again.
    const stale = changed.filter((i) => i.peerVerdict?.ip !== undefined && i.peerVerdict.ip !== i.peers[0]?.ip);
    await this.prepare(stale);
    for (const incident of changed) {
      if (incident.card && (await awake(incident))) await outbox.enqueueAlert(incident.id);
    }
    await this.digestFollowUp.follow(named);
    await this.digestFollowUp.releaseEnded();
  }

  /**
   * Gives the hooks (auto-enrichment, flow context) a moment, so quick answers are on the card's
   * first post; what comes later, or was released as late, updates the card.
   */
  private prepare(incidents: Incident[]): Promise<void> {
    const { outbox, now, log } = this.opts;
    return holdForHooks(incidents, {
      hooks: this.opts.beforeAlert ?? [],
      holdMs: this.opts.beforeAlertWaitMs ?? DEFAULT_ALERT_HOLD_MS,
      now,
      update: (incidentId) => outbox.enqueueAlert(incidentId),
      log,
    });
  }
}

/**
 * Hosts and peers in their one canonical form (an IPv6 spelling of an IPv4 host is that host).
 * Each distinct address of a batch is parsed once: a burst names a few thousand addresses in
 * 100,000 events.
 */
function canonicalIps(): (event: IncidentEvent) => IncidentEvent {
  const known = new Map<string, string>();
  const canonical = (ip: string): string => {
    let value = known.get(ip);
    if (value === undefined) {
      value = canonicalIp(ip)?.value ?? ip;
      known.set(ip, value);
    }
    return value;
  };
  return (event) => withCanonicalIps(event, canonical);
}

function withCanonicalIps(event: IncidentEvent, canonical: (ip: string) => string): IncidentEvent {
  const source = canonical(event.source.ip);
  const target = event.target && canonical(event.target.ip);
  if (source === event.source.ip && target === event.target?.ip) return event;
  return {
    ...event,
    source: { ...event.source, ip: source },
    target: event.target && target !== undefined ? { ...event.target, ip: target } : event.target,
  };
}
