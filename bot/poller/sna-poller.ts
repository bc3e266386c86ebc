/**
 * Polls the SMC for security events on a fixed cadence. Windows overlap so nothing slips
 * between two polls; a persisted cursor and seen-set make restarts neither miss nor repeat.
 * It never dies: failures back off (with jitter) and the next poll tries again.
 */
import type { SnaConfig } from '../config.js';
import { severityFor } from '../incidents/severity.js';
import type { IncidentEvent, IncidentStore } from '../incidents/store.js';
import type { Incident } from '../incidents/types.js';
import type { Logger } from '../log.js';
import type { Outbox } from '../outbox/outbox.js';
import { abortableSleep } from '../outbox/outbox.js';
import type { StateStore } from '../state/store.js';
import { describeUpstreamError } from './describe-error.js';

/** What the poller needs from the SMC (integrations/sna's SnaClient provides it). */
export interface SnaSource {
  resolveTenantId(configured?: number): Promise<number>;
  resolveEventTypes(tenantId: number, specs: string[]): Promise<Array<{ id: number; name: string }>>;
  querySecurityEvents(
    tenantId: number,
    query: { from: Date; to: Date; typeIds: number[]; signal?: AbortSignal },
  ): Promise<IncidentEvent[]>;
}

export interface PollSummary {
  from: string;
  to: string;
  events: number;
  newOrChanged: number;
  incidentsTouched: number;
}

export interface PollerStatus {
  running: boolean;
  /** Another replica holds the polling lease. */
  standby?: boolean;
  lastPollAt?: string | undefined;
  lastSuccessAt?: string | undefined;
  lastSummary?: PollSummary | undefined;
  lastError?: string | undefined;
  consecutiveFailures: number;
  nextPollAt?: string | undefined;
  eventsSeen: number;
}

interface Cursor {
  to: string;
}

interface SeenRecord {
  hitCount: number;
  lastActive: string;
}

const SEEN_TTL_MS = 7 * 24 * 3600 * 1000;

const isFuture = (iso: string | undefined, now: Date) => iso !== undefined && Date.parse(iso) > now.getTime();
const STATS_KEY = 'sna:stats';

export interface SnaPollerOptions {
  sna: SnaSource;
  /** Events with fewer points do not alert (0: all do). */
  minPoints: number;
  /** More new incidents than this in one poll become one digest card. */
  digestThreshold: number;
  /** Runs for each new incident before its card is queued (auto-enrichment). */
  beforeAlert?: ((incident: Incident) => Promise<void>) | undefined;
  /** Longest wait for `beforeAlert` before posting anyway. Default 3000. */
  beforeAlertWaitMs?: number;
  /** Only the leading replica polls; absent means always lead. */
  isLeader?: () => boolean;
  state: StateStore;
  incidents: IncidentStore;
  outbox: Outbox;
  config: SnaConfig;
  log: Logger;
  now?: () => Date;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
}

export class SnaPoller {
  private abort = new AbortController();
  private loop: Promise<void> | undefined;
  private tenantId: number | undefined;
  private types: Array<{ id: number; name: string }> | undefined;
  private readonly current: PollerStatus = { running: false, consecutiveFailures: 0, eventsSeen: 0 };

  constructor(private readonly opts: SnaPollerOptions) {}

  start(): void {
    if (this.loop) return;
    this.abort = new AbortController();
    this.current.running = true;
    this.loop = this.run(this.abort.signal).finally(() => {
      this.current.running = false;
      this.loop = undefined;
    });
  }

  /** Cancels a poll in flight and waits for the loop to end. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  async status(): Promise<PollerStatus> {
    const stats = await this.opts.state.get<{ eventsSeen: number }>(STATS_KEY).catch(() => undefined);
    return { ...this.current, eventsSeen: stats?.eventsSeen ?? this.current.eventsSeen };
  }

  /** One poll: query the window, fold new or changed events into incidents, queue their cards. */
  async pollOnce(signal?: AbortSignal): Promise<PollSummary> {
    const { sna, state, config } = this.opts;
    const now = this.now();
    this.tenantId ??= await sna.resolveTenantId(config.tenantId);
    const tenantId = this.tenantId;
    this.types ??= await sna.resolveEventTypes(tenantId, config.eventTypes);
    const types = this.types;
    const typeIds = types.map((t) => t.id).sort((a, b) => a - b);
    const cursorKey = `sna:cursor:${tenantId}:${typeIds.join(',')}`;

    const cursor = await state.get<Cursor>(cursorKey);
    const from = cursor
      ? new Date(Date.parse(cursor.to) - config.overlapSeconds * 1000)
      : new Date(now.getTime() - config.lookbackMinutes * 60_000);
    const events = await sna.querySecurityEvents(tenantId, { from, to: now, typeIds, signal });

    const names = new Map(types.map((t) => [t.id, t.name]));
    const fresh = new Map<string, Incident>();
    const changed = new Map<string, Incident>();
    const seenMarks: Array<[string, SeenRecord]> = [];
    let newOrChanged = 0;
    for (const event of [...events].sort((a, b) => a.firstActive.localeCompare(b.firstActive))) {
      if (signal?.aborted) throw new Error('poll cancelled');
      const seenKey = `sna:seen:${tenantId}:${event.id}`;
      const seen = await state.get<SeenRecord>(seenKey);
      if (seen && seen.hitCount >= event.hitCount && seen.lastActive >= event.lastActive) continue;
      seenMarks.push([seenKey, { hitCount: event.hitCount, lastActive: event.lastActive }]);
      newOrChanged += 1;
      // Events without points pass: SNA does not report points for every event type.
      if (event.points !== undefined && event.points < this.opts.minPoints) continue;
      const name = names.get(event.typeId) ?? `Security event ${event.typeId}`;
      const { incident, outcome } = await this.opts.incidents.ingest(event, name, now);
      if (outcome === 'new' || fresh.has(incident.id)) fresh.set(incident.id, incident);
      else if (!incident.card && !incident.digested) fresh.set(incident.id, incident);
      else changed.set(incident.id, incident);
    }
    await this.announce([...fresh.values()], [...changed.values()], { from, to: now });
    // Marked only after the cards are queued: a crash in between re-processes the events,
    // and the outbox coalesces what was already queued.
    for (const [key, record] of seenMarks) await state.set(key, record, SEEN_TTL_MS);
    await state.set(cursorKey, { to: now.toISOString() } satisfies Cursor);
    if (newOrChanged > 0) await this.addSeen(newOrChanged);
    const touched = new Set([...fresh.keys(), ...changed.keys()]);

    return {
      from: from.toISOString(),
      to: now.toISOString(),
      events: events.length,
      newOrChanged,
      incidentsTouched: touched.size,
    };
  }

  /**
   * Queues cards: one per new incident (enriched first when auto-enrichment is on), or one
   * digest when more than the threshold arrived at once; updates for changed incidents.
   * Snoozed hosts and incidents get no cards.
   */
  private async announce(fresh: Incident[], changed: Incident[], window: { from: Date; to: Date }): Promise<void> {
    const { outbox, incidents } = this.opts;
    const now = this.now();
    const awake = async (incident: Incident) =>
      !isFuture(incident.snoozedUntil, now) &&
      !isFuture(await this.opts.state.get<string>(`snooze:host:${incident.hostIp}`), now);
    const announceable: Incident[] = [];
    for (const incident of fresh) if (await awake(incident)) announceable.push(incident);
    if (announceable.length > this.opts.digestThreshold) {
      for (const incident of announceable) {
        await incidents.change(incident.id, (i) => {
          i.digested = true;
          return true;
        });
      }
      await outbox.enqueueDigest({
        total: announceable.length,
        incidents: announceable.map((i) => ({
          incidentId: i.id,
          host: i.hostIp,
          eventName: i.eventName,
          severity: severityFor(i.points),
          eventCount: i.eventCount,
        })),
        window: { from: window.from.toISOString(), to: window.to.toISOString() },
        generatedAt: now.toISOString(),
      });
    } else {
      await this.prepare(announceable);
      for (const incident of announceable) await outbox.enqueueAlert(incident.id);
    }
    for (const incident of changed) {
      if (incident.card && (await awake(incident))) await outbox.enqueueAlert(incident.id);
    }
  }

  /** Gives auto-enrichment a few seconds, so most cards are posted with the verdict on them. */
  private async prepare(incidents: Incident[]): Promise<void> {
    const hook = this.opts.beforeAlert;
    if (!hook || incidents.length === 0) return;
    const all = Promise.allSettled(incidents.map((i) => hook(i)));
    await Promise.race([all, new Promise((r) => setTimeout(r, this.opts.beforeAlertWaitMs ?? 3000))]);
  }

  private async run(signal: AbortSignal): Promise<void> {
    const pollMs = this.opts.config.pollSeconds * 1000;
    while (!signal.aborted) {
      let delay = pollMs;
      if (this.opts.isLeader && !this.opts.isLeader()) {
        this.current.standby = true;
        await (this.opts.sleep ?? abortableSleep)(Math.min(pollMs, 1000), signal);
        continue;
      }
      this.current.standby = false;
      this.current.lastPollAt = this.now().toISOString();
      try {
        const summary = await this.pollOnce(signal);
        this.current.lastSummary = summary;
        this.current.lastSuccessAt = summary.to;
        this.current.lastError = undefined;
        this.current.consecutiveFailures = 0;
        if (summary.newOrChanged > 0) this.opts.log.info(summary, 'poll found new or changed security events');
        else this.opts.log.debug(summary, 'poll complete');
      } catch (err) {
        if (signal.aborted) break;
        this.current.consecutiveFailures += 1;
        this.current.lastError = describeUpstreamError(err);
        delay = this.backoff(pollMs, this.current.consecutiveFailures);
        this.opts.log.warn(
          { err, failures: this.current.consecutiveFailures, retryInMs: delay },
          `SMC poll failed: ${this.current.lastError}`,
        );
      }
      this.current.nextPollAt = new Date(this.now().getTime() + delay).toISOString();
      await (this.opts.sleep ?? abortableSleep)(delay, signal);
    }
  }

  /** Exponential, capped at 5 minutes (or the poll interval if longer), with ±20% jitter. */
  private backoff(pollMs: number, failures: number): number {
    const cap = Math.max(pollMs, 300_000);
    const base = Math.min(cap, pollMs * 2 ** Math.min(failures - 1, 20));
    return Math.round(base * (0.8 + 0.4 * (this.opts.random ?? Math.random)()));
  }

  private async addSeen(count: number): Promise<void> {
    const stats = (await this.opts.state.get<{ eventsSeen: number }>(STATS_KEY)) ?? { eventsSeen: 0 };
    stats.eventsSeen += count;
    this.current.eventsSeen = stats.eventsSeen;
    await this.opts.state.set(STATS_KEY, stats);
  }

  private now(): Date {
    return (this.opts.now ?? (() => new Date()))();
  }
}
