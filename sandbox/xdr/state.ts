/** Everything the XDR simulator holds, and the control operations on it. */
import { TokenAuthority } from './auth.js';
import { CtiaStore, SIM_ENTITIES, type SimEntityName, type StoredEntity } from './ctia/store.js';
import { type FaultMatch, FaultPlan, type PendingFault } from './faults.js';
import { defaultModuleFor, type TableVerdict, VerdictTable } from './iroh/modules.js';
import { parseInput, type VerdictInput, verdictInputSchema } from './inputs.js';

/** One API request the simulator answered (never its token or query string; `/_sim` calls are not recorded). */
export interface SimCall {
  method: string;
  path: string;
  status: number;
  /** ISO-8601. */
  time: string;
}

/** `state()` / `GET /_sim/state`. */
export interface XdrSimSnapshot {
  counts: Record<`${SimEntityName}s`, number>;
  judgements: StoredEntity[];
  indicators: StoredEntity[];
  feeds: StoredEntity[];
  relationships: StoredEntity[];
  incidents: StoredEntity[];
  sightings: StoredEntity[];
  tokens: { issued: number; valid: number; ttlSeconds: number };
  verdicts: TableVerdict[];
  failedModules: { module: string; message: string }[];
  pendingFaults: PendingFault[];
  calls: number;
}

const MAX_CALLS = 10_000;
const HOUR_MS = 3_600_000;

export interface SimStateSettings {
  clientId: string;
  clientSecret: string;
  orgId: string;
  tokenTtlSeconds: number;
  defaultTlp: string;
  now: () => number;
  idBaseUrl: () => string;
}

export class XdrSimState {
  readonly tokens: TokenAuthority;
  readonly store: CtiaStore;
  readonly faults = new FaultPlan();
  readonly table = new VerdictTable();
  calls: SimCall[] = [];
  /** API call times of the last hour, for `X-Ratelimit-Org-Remaining`. */
  private recent: number[] = [];

  constructor(readonly settings: SimStateSettings) {
    this.tokens = new TokenAuthority(settings, settings.tokenTtlSeconds, settings.now);
    this.store = new CtiaStore({ idBaseUrl: settings.idBaseUrl, defaultTlp: settings.defaultTlp, now: settings.now });
  }

  now(): number {
    return this.settings.now();
  }

  /** Sets what a module says about an observable; the module defaults by type (hashes: AMP, else Talos). */
  setVerdict(input: VerdictInput): void {
    const parsed = parseInput(verdictInputSchema, input);
    this.table.set({
      module: parsed.module ?? defaultModuleFor(parsed.observable.type),
      observable: parsed.observable,
      disposition: parsed.disposition,
      ...(parsed.reason !== undefined ? { reason: parsed.reason } : {}),
    });
  }

  record(call: SimCall): void {
    this.calls.push(call);
    if (this.calls.length > MAX_CALLS) this.calls.splice(0, this.calls.length - MAX_CALLS);
  }

  /** Counts an API call against the hourly org quota and returns what is left of `limit`. */
  consumeQuota(limit: number): number {
    const now = this.now();
    this.recent = this.recent.filter((t) => t > now - HOUR_MS);
    this.recent.push(now);
    return Math.max(0, limit - this.recent.length);
  }

  /** Back to the start: no entities, tokens, verdicts, module failures, faults, latency or calls. */
  reset(): void {
    this.store.clear();
    this.tokens.reset();
    this.faults.clear();
    this.table.clear();
    this.calls = [];
    this.recent = [];
  }

  snapshot(): XdrSimSnapshot {
    const all = (entity: SimEntityName): StoredEntity[] => this.store.all(entity);
    const counts = this.store.counts();
    return {
      counts: Object.fromEntries(SIM_ENTITIES.map((e) => [`${e}s`, counts[e]])) as XdrSimSnapshot['counts'],
      judgements: all('judgement'),
      indicators: all('indicator'),
      feeds: all('feed'),
      relationships: all('relationship'),
      incidents: all('incident'),
      sightings: all('sighting'),
      tokens: { ...this.tokens.counts(), ttlSeconds: this.tokens.ttlSeconds },
      ...this.table.snapshot(),
      pendingFaults: this.faults.pending(),
      calls: this.calls.length,
    };
  }
}

export type { FaultMatch };
