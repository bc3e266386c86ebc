/** SNA itself: the host groups an IP belongs to and the incidents it was part of. */
import type { IncidentStore } from '../../incidents/store.js';
import type { Observable } from '../../observables/parse.js';
import type { EnrichmentSource, SourceAnswer } from '../types.js';

export function snaSource(incidents: IncidentStore): EnrichmentSource {
  return {
    name: 'Secure Network Analytics',
    cost: 0,
    supports: (o) => o.type === 'ip' || o.type === 'ipv6',
    async lookup(observable: Observable): Promise<SourceAnswer> {
      const involved = await incidents.involving(observable.value);
      const groups = new Set<string>();
      for (const i of involved) {
        if (i.hostIp === observable.value) i.hostGroups.forEach((g) => groups.add(g));
        for (const p of i.peers) if (p.ip === observable.value) p.hostGroups.forEach((g) => groups.add(g));
      }
      const byType = new Map<string, number>();
      for (const i of involved) byType.set(i.eventName, (byType.get(i.eventName) ?? 0) + 1);
      return {
        status: 'ok',
        facts: [
          { title: 'Host groups', value: groups.size ? [...groups].slice(0, 4).join(', ') : 'none seen' },
          {
            title: 'Recent incidents',
            value: involved.length
              ? [...byType]
                  .map(([name, n]) => `${name} ×${n}`)
                  .slice(0, 3)
                  .join(', ')
              : 'none in the last 30 days',
          },
        ],
      };
    },
  };
}
