/** Umbrella Investigate: domain status, security categories and risk score. */
import type { UmbrellaClient } from '../../../integrations/umbrella/client.js';
import type { Observable } from '../../observables/parse.js';
import type { EnrichmentSource, SourceAnswer } from '../types.js';

export function umbrellaSource(umbrella: UmbrellaClient): EnrichmentSource {
  return {
    name: 'Umbrella',
    cost: 3,
    supports: (o) => o.type === 'domain' || (o.type === 'url' && domainOf(o) !== undefined),
    async lookup(observable: Observable, signal: AbortSignal): Promise<SourceAnswer> {
      const domain = observable.type === 'domain' ? observable.value : (domainOf(observable) ?? observable.value);
      const v = await umbrella.domainVerdict(domain, { signal });
      const status = { '-1': 'malicious', '0': 'undetermined', '1': 'safe' }[String(v.status)] ?? String(v.status);
      return {
        status: 'ok',
        verdict: v.disposition,
        facts: [
          { title: 'Status', value: status },
          ...(v.securityCategories.length
            ? [{ title: 'Security', value: v.securityCategories.slice(0, 4).join(', ') }]
            : []),
          ...(v.contentCategories.length
            ? [{ title: 'Content', value: v.contentCategories.slice(0, 4).join(', ') }]
            : []),
          ...(v.riskScore !== undefined ? [{ title: 'Risk score', value: `${v.riskScore}/100` }] : []),
        ],
        pivots: [{ title: 'Umbrella Investigate', url: v.link }],
      };
    },
  };
}

function domainOf(o: Observable): string | undefined {
  try {
    const host = new URL(o.value).hostname;
    return /[a-z]/i.test(host) && !host.includes(':') ? host : undefined;
  } catch {
    return undefined;
  }
}
