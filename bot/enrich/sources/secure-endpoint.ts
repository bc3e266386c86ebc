/** Secure Endpoint: which computers own an internal IP or saw a hash/URL, and whether they are isolated. */
import type { SecureEndpointClient } from '../../../integrations/secure-endpoint/client.js';
import type { SeComputer } from '../../../integrations/secure-endpoint/types.js';
import type { Observable } from '../../observables/parse.js';
import type { EnrichmentSource, SourceAnswer } from '../types.js';

export function secureEndpointSource(se: SecureEndpointClient): EnrichmentSource {
  return {
    name: 'Secure Endpoint',
    cost: 2,
    supports: (o) => ['ip', 'ipv6', 'sha256', 'url'].includes(o.type),
    async lookup(observable: Observable, signal: AbortSignal): Promise<SourceAnswer> {
      const owners =
        observable.type === 'ip' ? (await se.computersByInternalIp(observable.value, { signal })).items : [];
      const seen = (await se.computerActivity(observable.value, { signal })).items;
      const facts = [
        ...(observable.type === 'ip'
          ? [{ title: 'Owned by', value: owners.length ? list(owners) : 'no managed computer' }]
          : []),
        { title: 'Seen on', value: seen.length ? list(seen) : 'no managed computer' },
      ];
      // The console's page, never the API's `links.trajectory` (it needs the API key).
      const computer = [...owners, ...seen][0];
      const pivots = computer
        ? [{ title: 'Device trajectory', url: se.trajectoryUrl(computer.connectorGuid, observable.value) }]
        : [];
      return { status: 'ok', facts, pivots };
    },
  };
}

function list(computers: SeComputer[]): string {
  const names = computers.slice(0, 3).map((c) => {
    const isolation = c.isolation?.status && c.isolation.status !== 'not_isolated' ? ` (${c.isolation.status})` : '';
    return `${c.hostname}${isolation}`;
  });
  return computers.length > 3 ? `${names.join(', ')} +${computers.length - 3} more` : names.join(', ');
}
