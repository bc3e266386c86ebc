/** Cisco XDR / SecureX threat response: verdicts and judgements (observe) and pivots (refer). */
import type { Disposition } from '../../../cards/types.js';
import type { ModuleResult, XdrClient } from '../../../integrations/xdr/index.js';
import type { Observable } from '../../observables/parse.js';
import type { EnrichmentSource, SourceAnswer } from '../types.js';
import { worst } from '../types.js';

const CTIM_DISPOSITIONS: Record<number, Disposition> = {
  1: 'clean',
  2: 'malicious',
  3: 'suspicious',
  4: 'clean',
  5: 'unknown',
};

/** The XDR source's name: its cache and budget key (inspect spends from the same budget). */
export const XDR_SOURCE = 'Cisco XDR';

export function xdrSource(xdr: XdrClient): EnrichmentSource {
  return {
    name: XDR_SOURCE,
    cost: 2,
    supports: () => true,
    async lookup(observable: Observable, signal: AbortSignal): Promise<SourceAnswer> {
      const [observed, referred] = await Promise.all([
        xdr.observe([observable], { signal }),
        xdr.refer([observable], { signal }).catch(() => undefined),
      ]);
      const verdicts = observed.data.flatMap((m) =>
        (m.data.verdicts?.docs ?? []).map((v) => CTIM_DISPOSITIONS[v.disposition]),
      );
      const judgements = observed.data.flatMap((m) => m.data.judgements?.docs ?? []);
      const sightings = observed.data.reduce((n, m) => n + (m.data.sightings?.docs.length ?? 0), 0);
      const failed = observed.errors.map((e) => e.module ?? 'a module');
      const verdict = worst(verdicts);
      const facts = [
        {
          title: 'Modules',
          value: `${observed.data.length} answered${failed.length ? `, ${failed.length} failed` : ''}`,
        },
        ...(verdicts.length ? [{ title: 'Verdicts', value: summarize(observed.data) }] : []),
        ...(judgements.length
          ? [
              {
                title: 'Judgements',
                value: `${judgements.length} (${[...new Set(judgements.map((j) => j.source ?? '?'))].slice(0, 3).join(', ')})`,
              },
            ]
          : []),
        ...(sightings ? [{ title: 'Sightings', value: String(sightings) }] : []),
      ];
      return {
        status: failed.length ? 'partial' : 'ok',
        verdict,
        facts,
        pivots: (referred?.data ?? []).slice(0, 6).map((r) => ({ title: r.title, url: r.url })),
        note: failed.length ? `no answer from ${failed.slice(0, 3).join(', ')}` : undefined,
      };
    },
  };
}

function summarize(modules: ModuleResult[]): string {
  return modules
    .flatMap((m) =>
      (m.data.verdicts?.docs ?? []).map(
        (v) => `${m.module ?? 'module'}: ${CTIM_DISPOSITIONS[v.disposition] ?? 'unknown'}`,
      ),
    )
    .slice(0, 3)
    .join(', ');
}
