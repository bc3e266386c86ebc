/**
 * Flow context: the top peers of a host in a window, from one SMC flow query through the gate
 * (one query at a time, a per-minute budget for background work), kept in state for ten minutes
 * and shared between callers asking for the same host and window at once. Windows are widened to
 * whole minutes, so the cards of several incidents of one host share one query. A caller that can
 * wait only so long (an alert card) is told at once when the answer will be later than that.
 */
import type { SnaFlowQuery, SnaFlowResult } from '../../integrations/sna/client.js';
import type { Logger } from '../log.js';
import { z } from 'zod';
import { Repository } from '../state/repository.js';
import type { StateStore } from '../state/store.js';
import type { FlowGate, FlowPriority } from './gate.js';
import { type FlowTotals, type TopPeer, topPeers, totalsOf } from './top-peers.js';

/** The SMC calls flow context makes (SnaClient provides them). */
export interface FlowApi {
  queryFlows(tenantId: number, query: SnaFlowQuery): Promise<SnaFlowResult>;
  listHostGroups(tenantId: number): Promise<Array<{ id: number; name: string }>>;
}

export interface FlowPeer extends TopPeer {
  /** Host-group names of the peer, else its country code, else "". */
  where: string;
}

/** What the flow records say about a host in a window (times ISO-8601 UTC). */
export interface FlowSummary {
  ip: string;
  from: string;
  to: string;
  /** Busiest first, at most {@link MAX_PEERS_KEPT}. */
  peers: FlowPeer[];
  totals: FlowTotals;
  capped: boolean;
  at: string;
}

const peerSchema: z.ZodType<FlowPeer> = z.object({
  ip: z.string(),
  port: z.number().optional(),
  protocol: z.string().optional(),
  sent: z.number(),
  received: z.number(),
  flows: z.number(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  hostGroupIds: z.array(z.number()),
  countryCode: z.string().optional(),
  where: z.string(),
});

const summarySchema: z.ZodType<FlowSummary> = z.object({
  ip: z.string(),
  from: z.string(),
  to: z.string(),
  peers: z.array(peerSchema),
  totals: z.object({ flows: z.number(), peers: z.number(), sent: z.number(), received: z.number() }),
  capped: z.boolean(),
  at: z.string(),
});

/** How long a caller can wait, and what to call as soon as the answer is known to come later. */
export interface FlowWait {
  withinMs: number;
  /**
   * Called (once, before the summary settles) when the answer cannot come within `withinMs`: its
   * query waits in the gate's queue (the minute's budget is spent, or another query runs), or the
   * last flow query took longer than that.
   */
  onLate: () => void;
}

/** A query asked for and not answered yet: callers asking for the same host and window join it. */
interface Inflight {
  work: Promise<FlowSummary>;
  progress: {
    /** Waiting in the gate's queue. */
    queued: boolean;
    /** When the gate started it (or was asked to), on the bot's clock. */
    startedAt: number;
  };
}

const MAX_PEERS_KEPT = 50;
const CACHE_TTL_MS = 10 * 60_000;
const GROUP_NAMES_TTL_MS = 10 * 60_000;
const MINUTE_MS = 60_000;

export class FlowService {
  private readonly inflight = new Map<string, Inflight>();
  private groupNames: { at: number; names: Promise<Map<number, string>> } | undefined;
  private queries = 0;
  /** How long the last flow query took (start → summary), on the bot's clock. */
  private lastQueryMs: number | undefined;
  /** Summaries by `<ip>:<from ms>:<to ms>`, for ten minutes. */
  private readonly cache: Repository<typeof summarySchema>;

  constructor(
    private readonly opts: {
      sna: FlowApi;
      tenantId: () => Promise<number>;
      state: StateStore;
      gate: FlowGate;
      recordLimit: number;
      log: Logger;
      now: () => Date;
    },
  ) {
    this.cache = new Repository(opts.state, {
      prefix: 'flows:summary',
      schema: summarySchema,
      version: 2,
      ttlMs: CACHE_TTL_MS,
    });
  }

  /** Flow queries this process sent to the SMC. */
  get queryCount(): number {
    return this.queries;
  }

  /**
   * The top peers of `ip` in `[from, to]` (widened to whole minutes), from cache or one query.
   * With `wait`, `wait.onLate` is called as soon as the answer is known to come later than
   * `wait.withinMs` (the summary still comes, whenever it does).
   */
  async summary(
    ip: string,
    window: { from: Date; to: Date },
    priority: FlowPriority,
    wait?: FlowWait,
  ): Promise<FlowSummary> {
    const from = Math.floor(window.from.getTime() / MINUTE_MS) * MINUTE_MS;
    const to = Math.ceil(window.to.getTime() / MINUTE_MS) * MINUTE_MS;
    const key = `${ip}:${from}:${to}`;
    const cached = await this.cache.get(key).catch(() => undefined);
    if (cached) return cached;
    const joined = this.inflight.get(key) ?? this.ask(key, ip, new Date(from), new Date(to), priority);
    if (wait && this.isLate(joined, wait.withinMs)) wait.onLate();
    return joined.work;
  }

  private ask(key: string, ip: string, from: Date, to: Date, priority: FlowPriority): Inflight {
    const progress = { queued: false, startedAt: this.clock() };
    const start = () => {
      progress.queued = false;
      progress.startedAt = this.clock();
      return this.query(ip, from, to);
    };
    const work = this.opts.gate
      .run(start, priority, { onQueued: () => (progress.queued = true) })
      .then(async (summary) => {
        await this.cache
          .set(key, summary)
          .catch((err: unknown) => this.opts.log.warn({ err }, 'could not cache a flow summary'));
        return summary;
      })
      .finally(() => this.inflight.delete(key));
    const entry: Inflight = { work, progress };
    this.inflight.set(key, entry);
    return entry;
  }

  /** Queued in the gate, or not expected within `withinMs` if it takes as long as the last query did. */
  private isLate({ progress }: Inflight, withinMs: number): boolean {
    if (progress.queued) return true;
    return progress.startedAt + (this.lastQueryMs ?? 0) > this.clock() + withinMs;
  }

  private clock(): number {
    return this.opts.now().getTime();
  }

  private async query(ip: string, from: Date, to: Date): Promise<FlowSummary> {
    const started = this.clock();
    try {
      return await this.querySummary(ip, from, to);
    } finally {
      this.lastQueryMs = this.clock() - started;
    }
  }

  private async querySummary(ip: string, from: Date, to: Date): Promise<FlowSummary> {
    const tenantId = await this.opts.tenantId();
    this.queries += 1;
    let skipped = 0;
    const result = await this.opts.sna.queryFlows(tenantId, {
      ip,
      from,
      to,
      recordLimit: this.opts.recordLimit,
      onInvalidRecord: () => (skipped += 1),
    });
    if (skipped > 0)
      this.opts.log.warn({ ip, skipped }, 'skipped SMC flow records that do not match the documented shape');
    const names = await this.names(tenantId);
    const peers = topPeers(result.flows)
      .slice(0, MAX_PEERS_KEPT)
      .map((peer) => ({ ...peer, where: whereOf(peer, names) }));
    return {
      ip,
      from: from.toISOString(),
      to: to.toISOString(),
      peers,
      totals: totalsOf(result.flows),
      capped: result.capped,
      at: this.opts.now().toISOString(),
    };
  }

  /** Host-group names by id, read at most every ten minutes; none when the SMC will not list them. */
  private async names(tenantId: number): Promise<Map<number, string>> {
    const now = this.opts.now().getTime();
    if (!this.groupNames || now - this.groupNames.at > GROUP_NAMES_TTL_MS) {
      const names = this.opts.sna.listHostGroups(tenantId).then((groups) => new Map(groups.map((g) => [g.id, g.name])));
      this.groupNames = { at: now, names };
      names.catch(() => (this.groupNames = undefined));
    }
    return this.groupNames.names.catch(() => new Map<number, string>());
  }
}

function whereOf(peer: TopPeer, names: ReadonlyMap<number, string>): string {
  const groups = peer.hostGroupIds.map((id) => names.get(id)).filter((n): n is string => n !== undefined);
  return groups.slice(0, 3).join(', ') || peer.countryCode || '';
}
