/**
 * `/enrich` and the Enrich button: asks every configured source in parallel, each with its
 * own timeout, budget and cache, and merges the answers into one verdict. A source that
 * fails or is out of quota is shown as unavailable; the others still answer.
 */
import type { Disposition, VerdictCardInput } from '../../cards/types.js';
import { ApiError } from '../../integrations/http.js';
import { sleep } from '../../integrations/retry.js';
import type { Logger } from '../log.js';
import type { Observable } from '../observables/parse.js';
import { describeUpstreamError } from '../errors.js';
import { z } from 'zod';
import { Repository } from '../state/repository.js';
import type { StateStore } from '../state/store.js';
import { RequestBudget } from './budget.js';
import { type EnrichmentSource, type Pivot, type SourceAnswer, worst } from './types.js';

export interface EnricherOptions {
  sources: EnrichmentSource[];
  budgets: Partial<Record<string, RequestBudget>>;
  /** Sources whose budget may be waited for (VirusTotal's per-minute quota queues). */
  queueing: string[];
  state: StateStore;
  cacheSeconds: number;
  timeoutMs: number;
  /** Lookups (observables, plus XDR inspect of free text) one person may ask for per minute. */
  perPersonPerMinute: number;
  log: Logger;
  now: () => Date;
}

/** One person's share of lookups, per minute: nobody can drain the org's quotas alone. */
export type ShareCheck = { ok: true } | { ok: false; retryInSeconds: number; limit: number };

export interface Enrichment {
  card: Omit<VerdictCardInput, 'incidentId' | 'actions'>;
  /** Upstream lookups actually made (0 when everything came from cache). */
  upstreamLookups: number;
}

const cachedSchema = z.object({
  answer: z.object({
    status: z.enum(['ok', 'partial']),
    verdict: z.enum(['malicious', 'suspicious', 'clean', 'unknown']).optional(),
    facts: z.array(z.object({ title: z.string(), value: z.string() })),
    pivots: z.array(z.object({ title: z.string(), url: z.string() })).optional(),
    note: z.string().optional(),
  }) satisfies z.ZodType<SourceAnswer>,
  at: z.string(),
});

type Outcome = {
  name: string;
  answer?: SourceAnswer;
  cachedAt?: string;
  unavailable?: string;
  applicable: boolean;
  fresh: boolean;
};

export class Enricher {
  /** Until when a source is cooling down after its 429. */
  private readonly coolingUntil = new Map<string, number>();

  /** Answers per source and observable (`<source>:<type>:<value>`), for ENRICH_CACHE_SECONDS. */
  private readonly cache: Repository<typeof cachedSchema>;

  constructor(private readonly opts: EnricherOptions) {
    this.cache = new Repository(opts.state, {
      prefix: 'enrich',
      schema: cachedSchema,
      version: 1,
      ttlMs: opts.cacheSeconds * 1000,
    });
  }

  get sourceNames(): string[] {
    return this.opts.sources.map((s) => s.name);
  }

  /** Asks every source, or with `forAlert` those that serve alert cards (`EnrichmentSource.forAlerts`). */
  async enrich(observable: Observable, options: { forAlert?: boolean } = {}): Promise<Enrichment> {
    const sources = options.forAlert ? this.opts.sources.filter((s) => s.forAlerts !== false) : this.opts.sources;
    const outcomes = await Promise.all(sources.map((source) => this.ask(source, observable)));
    const answered = outcomes.filter((o) => o.answer);
    const pivots: Pivot[] = answered.flatMap((o) => o.answer?.pivots ?? []).filter((p) => /^https?:\/\//.test(p.url));
    const allCached = answered.length > 0 && answered.every((o) => !o.fresh);
    const cachedAt = allCached ? answered.map((o) => o.cachedAt ?? '').sort()[0] : undefined;
    return {
      upstreamLookups: outcomes.filter((o) => o.fresh).length,
      card: {
        observable,
        overall: worst(answered.map((o) => o.answer?.verdict)),
        sources: outcomes.map((o) => toCardSource(o)),
        pivots: dedupe(pivots).slice(0, 6),
        cachedAt,
        generatedAt: this.opts.now().toISOString(),
      },
    };
  }

  /**
   * Takes `cost` lookups from this person's share for the current minute. Auto-enrichment of new
   * incidents is the bot's own and takes from no one's share.
   */
  async takeShare(personId: string, cost = 1): Promise<ShareCheck> {
    const share = new RequestBudget({
      state: this.opts.state,
      name: `person:${personId}`,
      limit: this.opts.perPersonPerMinute,
      windowMs: 60_000,
      now: () => this.opts.now().getTime(),
    });
    if (await share.tryTake(cost)) return { ok: true };
    return { ok: false, retryInSeconds: Math.ceil(share.msUntilNextWindow() / 1000), limit: share.limit };
  }

  /**
   * Takes `cost` requests from a source's budget for a call made outside `enrich` (XDR inspect of
   * free text counts against the same hourly budget as XDR lookups). True when the source has no
   * budget or the budget allows it.
   */
  async spend(sourceName: string, cost: number): Promise<boolean> {
    const budget = this.opts.budgets[sourceName];
    return budget ? budget.tryTake(cost) : true;
  }

  /** Requests left in each budgeted source's current window, for `/status`. */
  async quotas(): Promise<Array<{ name: string; remaining: number; limit: number }>> {
    const entries = Object.entries(this.opts.budgets).filter((e): e is [string, RequestBudget] => e[1] !== undefined);
    return Promise.all(entries.map(async ([name, b]) => ({ name, remaining: await b.remaining(), limit: b.limit })));
  }

  private async ask(source: EnrichmentSource, observable: Observable): Promise<Outcome> {
    const base = { name: source.name, fresh: false };
    if (!source.supports(observable)) return { ...base, applicable: false };
    const cacheId = `${source.name}:${observable.type}:${observable.value}`;
    const cached = await this.cache.get(cacheId);
    if (cached) return { ...base, applicable: true, answer: cached.answer, cachedAt: cached.at };

    const cooling = this.coolingUntil.get(source.name) ?? 0;
    if (cooling > Date.now()) {
      return {
        ...base,
        applicable: true,
        unavailable: `rate limited until ${new Date(cooling).toISOString().slice(11, 16)} UTC`,
      };
    }
    const deadline = Date.now() + this.opts.timeoutMs;
    const budget = this.opts.budgets[source.name];
    if (budget && !(await this.takeBudget(budget, source, deadline))) {
      return { ...base, applicable: true, unavailable: 'request quota used up for now' };
    }
    const signal = AbortSignal.timeout(Math.max(1, deadline - Date.now()));
    try {
      const answer = await source.lookup(observable, signal);
      // ENRICH_CACHE_SECONDS=0 means no cache (a TTL of 0 would mean "forever" to the store). A
      // partial answer (SMC flows busy, an XDR module failing) is not kept: the next lookup asks again
      // instead of repeating a passing failure for the whole cache time.
      if (this.opts.cacheSeconds > 0 && answer.status !== 'partial') {
        await this.cache.set(cacheId, { answer, at: this.opts.now().toISOString() });
      }
      return { ...base, applicable: true, answer, fresh: true };
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) {
        this.coolingUntil.set(source.name, Date.now() + (err.retryAfterSeconds ?? 60) * 1000);
      }
      this.opts.log.warn({ err, source: source.name }, 'enrichment source failed');
      const reason = signal.aborted ? 'did not answer in time' : describeUpstreamError(err);
      return { ...base, applicable: true, fresh: true, unavailable: reason };
    }
  }

  private async takeBudget(budget: RequestBudget, source: EnrichmentSource, deadline: number): Promise<boolean> {
    for (;;) {
      if (await budget.tryTake(source.cost)) return true;
      if (!this.opts.queueing.includes(source.name)) return false;
      const wait = budget.msUntilNextWindow() + 50;
      if (Date.now() + wait > deadline) return false;
      await sleep(wait);
    }
  }
}

function toCardSource(o: Outcome): VerdictCardInput['sources'][number] {
  if (!o.applicable) return { name: o.name, status: 'not-applicable', facts: [] };
  if (!o.answer) return { name: o.name, status: 'unavailable', facts: [], note: o.unavailable };
  return {
    name: o.name,
    status: o.answer.status,
    verdict: o.answer.verdict as Disposition | undefined,
    facts: o.answer.facts,
    note: o.answer.note,
  };
}

function dedupe(pivots: Pivot[]): Pivot[] {
  const seen = new Set<string>();
  return pivots.filter((p) => (seen.has(p.url) ? false : (seen.add(p.url), true)));
}
