/**
 * A persisted, ordered queue of alert-card deliveries. Entries survive restarts and
 * Webex outages; the head is retried until Webex takes it, so order is kept.
 * One entry per incident is pending at a time: the card is rendered from the incident's
 * state when it is delivered, so a burst of updates becomes one Webex call.
 */
import type { Severity } from '../../cards/types.js';
import type { Logger } from '../log.js';
import type { StateStore } from '../state/store.js';
import { isUpstreamError } from '../../integrations/http.js';
import { isRateLimited, sleep } from '../../integrations/retry.js';
import { type OutboxMeta, OutboxState } from './outbox-state.js';
import { decideRetry, type RetryDecision } from './retry.js';

/** Attempts after which an entry failing with an unexpected (non-upstream) error is set aside. */
const UNKNOWN_LIMIT = 10;

interface EntryBase {
  seq: number;
  enqueuedAt: string;
  attempts: number;
  /** Consecutive outage failures (5xx, network): what the backoff grows with. A 429 is not one. */
  failures?: number;
}

/** Post or update one incident's card (coalesced: one pending entry per incident). */
export interface AlertEntry extends EntryBase {
  kind?: 'alert';
  incidentId: string;
}

/** Post one digest card (queued once per digest). */
export interface DigestEntry extends EntryBase {
  kind: 'digest';
  digestId?: string | undefined;
  /** Entries queued before digests were records: the card input itself, and a label in `incidentId`. */
  digest?: LegacyDigestInput | undefined;
  incidentId?: string | undefined;
}

/** Post one page of a digest's list, threaded under the digest card (queued once per digest). */
export interface DigestPageEntry extends EntryBase {
  kind: 'digest-page';
  digestId: string;
  page: number;
}

export type OutboxEntry = AlertEntry | DigestEntry | DigestPageEntry;

/** The digest input as older versions queued it (rows without peers or points, a separate total). */
export interface LegacyDigestInput {
  total: number;
  incidents: Array<{ incidentId: string; host: string; eventName: string; severity: Severity; eventCount: number }>;
  window: { from: string; to: string };
  generatedAt: string;
}

/** What a log line says the entry is about. */
export function entryLabel(entry: OutboxEntry): Record<string, unknown> {
  switch (entry.kind) {
    case 'digest':
      return { digestId: entry.digestId ?? entry.incidentId };
    case 'digest-page':
      return { digestId: entry.digestId, page: entry.page };
    default:
      return { incidentId: entry.incidentId };
  }
}

export type Deliver = (entry: OutboxEntry) => Promise<void>;

export interface OutboxStatus {
  size: number;
  delivered: number;
  failedPermanently: number;
  /** Set while the head waits for Webex (429 or outage). */
  waitingUntil?: string | undefined;
  lastError?: string | undefined;
}

export interface OutboxOptions {
  state: StateStore;
  deliver: Deliver;
  log: Logger;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** First backoff after a 5xx or network failure (doubles with each one); default 1 s. */
  baseBackoffMs?: number;
  /** Cap for the exponential backoff after 5xx and network failures. */
  maxBackoffMs?: number;
  /** Only the leading replica delivers; absent means always. Others only enqueue. */
  isLeader?: () => boolean;
  /** The bot's clock (entries' times, /status). */
  now?: () => Date;
}

export class Outbox {
  private readonly abort = new AbortController();
  private draining: Promise<void> | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private rerun = false;
  private readonly stats: OutboxStatus = { size: 0, delivered: 0, failedPermanently: 0 };
  private readonly store: OutboxState;

  constructor(private readonly opts: OutboxOptions) {
    this.store = new OutboxState(opts.state);
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }

  private newEntry(seq: number) {
    return { seq, enqueuedAt: this.now().toISOString(), attempts: 0 };
  }

  /** Queues a card post or update for the incident, unless one is already waiting. */
  async enqueueAlert(incidentId: string): Promise<void> {
    await this.store.withQueueLock(async () => {
      if ((await this.store.pending.get(incidentId)) !== undefined) return;
      const meta = await this.meta();
      const entry: AlertEntry = { ...this.newEntry(meta.next), incidentId };
      await this.store.items.set(String(entry.seq), entry);
      await this.store.pending.set(incidentId, entry.seq);
      await this.store.meta.set('', { head: meta.head, next: meta.next + 1 });
    });
    this.kick();
  }

  /**
   * Queues the card of digest `digestId` (many new incidents at once), once: a replay of the same
   * batch after a crash finds it queued (or delivered) already. True when queued now.
   */
  enqueueDigest(digestId: string): Promise<boolean> {
    return this.enqueueOnce(this.store.digestQueued, digestId, (seq) => [
      { ...this.newEntry(seq), kind: 'digest', digestId },
    ]);
  }

  /**
   * Queues the `pages` pages of a digest's list, to be threaded under its card, once per digest
   * however often its button is pressed. True when queued now, false when queued before.
   */
  enqueueDigestList(digestId: string, pages: number): Promise<boolean> {
    return this.enqueueOnce(this.store.digestListQueued, digestId, (seq) =>
      Array.from({ length: pages }, (_, page) => ({
        ...this.newEntry(seq + page),
        kind: 'digest-page' as const,
        digestId,
        page,
      })),
    );
  }

  private async enqueueOnce(
    markers: OutboxState['digestQueued'],
    digestId: string,
    entries: (seq: number) => OutboxEntry[],
  ): Promise<boolean> {
    const queued = await this.store.withQueueLock(async () => {
      if ((await markers.get(digestId)) !== undefined) return false;
      const meta = await this.meta();
      const made = entries(meta.next);
      for (const entry of made) await this.store.items.set(String(entry.seq), entry);
      await markers.set(digestId, meta.next);
      await this.store.meta.set('', { head: meta.head, next: meta.next + made.length });
      return true;
    });
    if (queued) this.kick();
    return queued;
  }

  /** Entries waiting for delivery. */
  async size(): Promise<number> {
    const meta = await this.meta();
    return meta.next - meta.head;
  }

  async status(): Promise<OutboxStatus> {
    return { ...this.stats, size: await this.size() };
  }

  /** Starts delivering whatever is waiting (also what a previous process or another replica left). */
  start(): void {
    this.kick();
    // Entries queued by other replicas (or a previous leader) are picked up within a second or two.
    this.sweeper = setInterval(() => this.kick(), 1500);
    this.sweeper.unref();
  }

  /** Stops after the delivery in flight; undelivered entries stay persisted. */
  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.abort.abort();
    await this.draining?.catch(() => undefined);
  }

  /** Wakes the delivery loop. */
  kick(): void {
    if (this.abort.signal.aborted) return;
    if (this.opts.isLeader && !this.opts.isLeader()) return;
    if (this.draining) {
      this.rerun = true;
      return;
    }
    this.draining = this.drain()
      .catch((err: unknown) => this.opts.log.error({ err }, 'outbox delivery loop failed; will retry on next kick'))
      .finally(() => {
        this.draining = undefined;
        if (this.rerun && !this.abort.signal.aborted) {
          this.rerun = false;
          this.kick();
        }
      });
  }

  /** Resolves once nothing is waiting (for tests and graceful shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    const signal = this.abort.signal;
    for (;;) {
      this.rerun = false;
      if (this.opts.isLeader && !this.opts.isLeader()) return;
      const meta = await this.meta();
      if (meta.head >= meta.next || signal.aborted) return;
      const entry = await this.store.items.get(String(meta.head));
      if (entry) await this.deliverWithRetries(entry, signal);
      if (signal.aborted) return;
      await this.store.withQueueLock(async () => {
        const latest = await this.meta();
        await this.store.meta.set('', { head: latest.head + 1, next: latest.next });
      });
    }
  }

  private async deliverWithRetries(entry: OutboxEntry, signal: AbortSignal): Promise<void> {
    for (;;) {
      // Clear the pending mark before each attempt: a change arriving while the call is in
      // flight must queue a fresh entry, or the card would miss it.
      await this.clearPending(entry);
      entry.attempts += 1;
      try {
        await this.opts.deliver(entry);
        this.stats.delivered += 1;
        this.stats.waitingUntil = undefined;
        this.stats.lastError = undefined;
        await this.store.items.delete(String(entry.seq));
        return;
      } catch (err) {
        const rateLimited = isRateLimited(err);
        if (!rateLimited) entry.failures = (entry.failures ?? 0) + 1;
        const decision = decideRetry(err, Math.max(1, entry.failures ?? 0), {
          baseBackoffMs: this.opts.baseBackoffMs,
          maxBackoffMs: this.opts.maxBackoffMs,
        });
        if (decision.kind === 'retry' && !rateLimited && entry.attempts >= UNKNOWN_LIMIT && !isUpstreamError(err)) {
          await this.giveUp(entry, { kind: 'give-up', reason: 'unexpected error, gave up' }, err);
          return;
        }
        this.stats.lastError = decision.reason;
        if (decision.kind === 'give-up') {
          await this.giveUp(entry, decision, err);
          return;
        }
        this.stats.waitingUntil = new Date(this.now().getTime() + decision.delayMs).toISOString();
        this.opts.log.warn(
          { ...entryLabel(entry), attempt: entry.attempts, delayMs: decision.delayMs, reason: decision.reason },
          'alert delivery postponed',
        );
        await this.store.items.set(String(entry.seq), entry);
        await this.markPending(entry);
        await (this.opts.sleep ?? sleep)(decision.delayMs, signal).catch(() => undefined);
        if (signal.aborted) return;
      }
    }
  }

  private async giveUp(entry: OutboxEntry, decision: RetryDecision, err: unknown): Promise<void> {
    this.stats.failedPermanently += 1;
    this.opts.log.error({ err, ...entryLabel(entry), reason: decision.reason }, 'alert delivery failed permanently');
    await this.store.dead.set(String(entry.seq), { entry, reason: decision.reason });
    await this.store.items.delete(String(entry.seq));
  }

  private async clearPending(entry: OutboxEntry): Promise<void> {
    if (entry.kind === 'digest' || entry.kind === 'digest-page') return;
    await this.store.withQueueLock(async () => {
      const pending = await this.store.pending.get(entry.incidentId);
      if (pending === entry.seq) await this.store.pending.delete(entry.incidentId);
    });
  }

  /** While the head waits, changes to its incident join it instead of queueing behind it. */
  private async markPending(entry: OutboxEntry): Promise<void> {
    if (entry.kind === 'digest' || entry.kind === 'digest-page') return;
    await this.store.withQueueLock(async () => {
      if ((await this.store.pending.get(entry.incidentId)) === undefined) {
        await this.store.pending.set(entry.incidentId, entry.seq);
      }
    });
  }

  private async meta(): Promise<OutboxMeta> {
    return this.store.readMeta();
  }
}
