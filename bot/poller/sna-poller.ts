/**
 * Polls the SMC for security events on a fixed cadence. Windows overlap so nothing slips
 * between two polls; a persisted cursor and seen-set make restarts neither miss nor repeat.
 * It never dies: failures back off (with jitter) and the next poll tries again.
 */
import type { SnaConfig } from '../config.js';
import type { IncidentEvent } from '../incidents/store.js';
import type { EventPipeline } from '../pipeline/event-pipeline.js';
import type { Logger } from '../log.js';
import { z } from 'zod';
import { Repository } from '../state/repository.js';
import type { StateStore } from '../state/store.js';
import { backoffDelay, sleep } from '../../integrations/retry.js';
import type { RejectedRecord, SnaEvent } from '../../integrations/sna/types.js';
import { eventCompactor } from './compact-events.js';
import { describeUpstreamError } from '../errors.js';

/** What the poller needs from the SMC (integrations/sna's SnaClient provides it). */
export interface SnaSource {
  resolveTenantId(configured?: number): Promise<number>;
  resolveEventTypes(tenantId: number, specs: string[]): Promise<Array<{ id: number; name: string }>>;
  /** The window's events, one at a time as the SMC's answer streams in. */
  forEachSecurityEvent(
    tenantId: number,
    query: {
      from: Date;
      to: Date;
      typeIds: number[];
      signal?: AbortSignal;
      onInvalidRecord?: (record: RejectedRecord) => void;
    },
    onEvent: (event: SnaEvent) => void,
  ): Promise<number>;
}

export interface PollSummary {
  from: string;
  to: string;
  events: number;
  newOrChanged: number;
  incidentsTouched: number;
  /** Records the SMC sent that do not match the documented shape: skipped, logged, shown on /status. */
  malformed: number;
  /** Events stamped more than a few minutes in the future: skipped, logged, shown on /status. */
  futureDated: number;
}

export interface PollerStatus {
  running: boolean;
  /** Another replica holds the polling lease. */
  standby?: boolean;
  lastPollAt?: string | undefined;
  lastSuccessAt?: string | undefined;
  /** Polls finished since start, good or failed (tests and operators wait on it, not on the clock). */
  pollsCompleted: number;
  lastSummary?: PollSummary | undefined;
  lastError?: string | undefined;
  consecutiveFailures: number;
  nextPollAt?: string | undefined;
  eventsSeen: number;
}

/** Where the last good poll of a tenant and its event types ended (the next one overlaps it). */
const cursorSchema = z.object({ to: z.string() });

export interface SnaPollerOptions {
  sna: SnaSource;
  /** Where polled events go (shared with the push intake). */
  pipeline: EventPipeline;
  /** Called after each successful poll with its duration, the new or changed events and the malformed records skipped. */
  onPoll?: (seconds: number, events: number, malformed: number) => void;
  /** Only the leading replica polls; absent means always lead. */
  isLeader?: () => boolean;
  state: StateStore;
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
  private readonly current: PollerStatus = {
    running: false,
    consecutiveFailures: 0,
    eventsSeen: 0,
    pollsCompleted: 0,
  };

  private readonly cursors: Repository<typeof cursorSchema>;

  constructor(private readonly opts: SnaPollerOptions) {
    this.cursors = new Repository(opts.state, { prefix: 'sna:cursor', schema: cursorSchema, version: 1 });
  }

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
    return { ...this.current, eventsSeen: await this.opts.pipeline.eventsSeen() };
  }

  /** The tenant and event-type names polls use, resolved once (the push intake shares them). */
  async context(): Promise<{ tenantKey: string; names: ReadonlyMap<number, string> }> {
    this.tenantId ??= await this.opts.sna.resolveTenantId(this.opts.config.tenantId);
    this.types ??= await this.opts.sna.resolveEventTypes(this.tenantId, this.opts.config.eventTypes);
    return { tenantKey: String(this.tenantId), names: new Map(this.types.map((t) => [t.id, t.name])) };
  }

  /** One poll: query the window, fold new or changed events into incidents, queue their cards. */
  async pollOnce(signal?: AbortSignal): Promise<PollSummary> {
    const { sna, config } = this.opts;
    const now = this.now();
    this.tenantId ??= await sna.resolveTenantId(config.tenantId);
    const tenantId = this.tenantId;
    this.types ??= await sna.resolveEventTypes(tenantId, config.eventTypes);
    const types = this.types;
    const typeIds = types.map((t) => t.id).sort((a, b) => a - b);
    const cursorId = `${tenantId}:${typeIds.join(',')}`;

    const cursor = await this.cursors.get(cursorId);
    const from = cursor
      ? new Date(Date.parse(cursor.to) - config.overlapSeconds * 1000)
      : new Date(now.getTime() - config.lookbackMinutes * 60_000);
    // A malformed record is skipped, not allowed to fail every poll: it would stay in the window
    // (the cursor only advances after a good poll) and stop all alerting until it aged out.
    const malformed: Array<RejectedRecord> = [];
    // Each event is compacted as it arrives: a burst is held once, in the form incidents use.
    const events: IncidentEvent[] = [];
    const compact = eventCompactor();
    await sna.forEachSecurityEvent(
      tenantId,
      { from, to: now, typeIds, signal, onInvalidRecord: (record) => malformed.push(record) },
      (event) => events.push(compact(event)),
    );
    if (malformed.length > 0) this.reportMalformed(malformed);
    else this.lastMalformed = '';

    const names = new Map(types.map((t) => [t.id, t.name]));
    const {
      newOrChanged,
      futureDated,
      incidents: touched,
    } = await this.opts.pipeline.process(events, {
      tenantKey: String(tenantId),
      names,
      window: { from, to: now },
      signal,
    });
    await this.cursors.set(cursorId, { to: now.toISOString() });
    if (futureDated > 0) {
      this.opts.log.warn({ futureDated }, 'skipped SMC security events stamped more than 5 minutes in the future');
    }

    return {
      from: from.toISOString(),
      to: now.toISOString(),
      events: events.length,
      newOrChanged,
      incidentsTouched: touched,
      malformed: malformed.length,
      futureDated,
    };
  }

  private lastMalformed = '';

  /** Warns once per distinct set of malformed records (an ongoing one reappears every poll). */
  private reportMalformed(records: Array<RejectedRecord>): void {
    const ids = records.map((r) => r.id ?? `#${r.index}`).join(',');
    const details = {
      count: records.length,
      ids: records.slice(0, 20).map((r) => r.id ?? null),
      issues: records.slice(0, 3).flatMap((r) => r.issues.slice(0, 3)),
    };
    if (ids === this.lastMalformed) this.opts.log.debug(details, 'skipped malformed SMC security-event records again');
    else this.opts.log.warn(details, 'skipped SMC security-event records that do not match the documented shape');
    this.lastMalformed = ids;
  }

  private async run(signal: AbortSignal): Promise<void> {
    const pollMs = this.opts.config.pollSeconds * 1000;
    while (!signal.aborted) {
      let delay = pollMs;
      if (this.opts.isLeader && !this.opts.isLeader()) {
        this.current.standby = true;
        await this.pause(Math.min(pollMs, 1000), signal);
        continue;
      }
      this.current.standby = false;
      this.current.lastPollAt = this.now().toISOString();
      const cycleStarted = Date.now();
      try {
        const started = performance.now();
        const summary = await this.pollOnce(signal);
        this.opts.onPoll?.((performance.now() - started) / 1000, summary.newOrChanged, summary.malformed);
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
      this.current.pollsCompleted += 1;
      // Fixed rate: the next poll starts one interval after this one started, not after it ended.
      if (this.current.consecutiveFailures === 0) delay = Math.max(0, delay - (Date.now() - cycleStarted));
      this.current.nextPollAt = new Date(this.now().getTime() + delay).toISOString();
      await this.pause(delay, signal);
    }
  }

  /** Exponential from the poll interval, capped at 5 minutes (or the interval if longer), up to 20% less at random. */
  private backoff(pollMs: number, failures: number): number {
    const policy = { baseDelayMs: pollMs, maxDelayMs: Math.max(pollMs, 300_000), jitter: 0.2 };
    return backoffDelay(failures, { ...policy, random: this.opts.random ?? Math.random });
  }

  /** Waits, or returns early (never throws) when the poller is stopped. */
  private pause(ms: number, signal: AbortSignal): Promise<void> {
    if (this.opts.sleep) return this.opts.sleep(ms, signal);
    return sleep(ms, signal).catch(() => undefined);
  }

  private now(): Date {
    return (this.opts.now ?? (() => new Date()))();
  }
}
