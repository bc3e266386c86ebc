/** What an enrichment source is, and what it answers. */
import type { Disposition } from '../../cards/types.js';
import type { Observable } from '../observables/parse.js';

export interface Fact {
  title: string;
  value: string;
}

export interface Pivot {
  title: string;
  url: string;
}

export interface SourceAnswer {
  /** `partial`: the source answered, but some of it (e.g. an XDR module) failed. */
  status: 'ok' | 'partial';
  verdict?: Disposition | undefined;
  facts: Fact[];
  pivots?: Pivot[] | undefined;
  note?: string | undefined;
}

export interface EnrichmentSource {
  /** Shown on the card and used as the cache and budget key. */
  readonly name: string;
  /** Upstream requests one lookup costs against the source's budget. */
  readonly cost: number;
  /**
   * Asked when a new incident's peer is enriched for its alert card (auto-enrichment). Default
   * true; false for a source that gives no verdict and whose lookup costs what the card needs
   * elsewhere (SNA: an SMC flow query, from the budget the card's top talkers use).
   */
  readonly forAlerts?: boolean;
  supports(observable: Observable): boolean;
  lookup(observable: Observable, signal: AbortSignal): Promise<SourceAnswer>;
}

/** Worst first: the merged verdict is the worst any source gave. */
export const DISPOSITION_RANK: Record<Disposition, number> = { malicious: 3, suspicious: 2, clean: 1, unknown: 0 };

export function worst(verdicts: Array<Disposition | undefined>): Disposition {
  let result: Disposition = 'unknown';
  for (const v of verdicts) if (v && DISPOSITION_RANK[v] > DISPOSITION_RANK[result]) result = v;
  return result;
}
