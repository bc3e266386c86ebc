/**
 * SNA itself: the host groups an IP belongs to, the incidents it was part of, and, from the SMC's
 * flows of the last hour, how many bytes it sent and received and its busiest peer. The flow query
 * goes through the flow gate as background work, sharing the alert cards' budget: when the gate is
 * busy the answer comes without it, saying so, and the query finishes in the background for the
 * next look. Auto-enrichment does not ask this source (`forAlerts: false`): it gives no verdict,
 * and a new incident's card gets its host's flows from flow context.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { formatBytes, serviceText } from '../../../cards/flows.js';
import type { FlowService } from '../../flows/service.js';
import type { IncidentStore } from '../../incidents/store.js';
import type { Observable } from '../../observables/parse.js';
import type { EnrichmentSource, Fact, SourceAnswer } from '../types.js';

const FLOW_WINDOW_MS = 60 * 60_000;
/** How long a lookup waits for its flow query before answering without it. */
const FLOW_WAIT_MS = 5_000;

export function snaSource(
  incidents: IncidentStore,
  flows?: FlowService | undefined,
  now: () => Date = () => new Date(),
  flowWaitMs = FLOW_WAIT_MS,
): EnrichmentSource {
  return {
    name: 'Secure Network Analytics',
    cost: 0,
    forAlerts: false,
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
      const facts: Fact[] = [
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
      ];
      if (!flows) return { status: 'ok', facts };
      try {
        const flowed = await flowFacts(flows, observable.value, now(), flowWaitMs);
        if (!flowed) return { status: 'partial', facts, note: 'SMC flows busy: try /flows' };
        facts.push(...flowed);
        return { status: 'ok', facts };
      } catch {
        // The incidents still answer; the flows are reported missing, not as "no traffic".
        return { status: 'partial', facts, note: 'SMC flows unavailable' };
      }
    },
  };
}

/** The flow facts, or undefined when the flow gate could not run the query within `waitMs` ({@link FLOW_WAIT_MS}). */
async function flowFacts(flows: FlowService, ip: string, now: Date, waitMs: number): Promise<Fact[] | undefined> {
  const query = flows.summary(ip, { from: new Date(now.getTime() - FLOW_WINDOW_MS), to: now }, 'background');
  const waiting = new AbortController();
  const late = delay(waitMs, undefined, { signal: waiting.signal }).catch(() => undefined);
  const summary = await Promise.race([query, late]).finally(() => waiting.abort());
  if (!summary) {
    query.catch(() => undefined);
    return undefined;
  }
  const { totals } = summary;
  const traffic =
    totals.flows === 0
      ? 'no flows'
      : `↑ ${formatBytes(totals.sent)} ↓ ${formatBytes(totals.received)} · ${totals.peers} peer${totals.peers === 1 ? '' : 's'}`;
  const facts: Fact[] = [{ title: 'Traffic (last hour)', value: traffic }];
  const [top] = summary.peers;
  if (top) {
    const service = serviceText(top.port, top.protocol);
    facts.push({
      title: 'Busiest peer',
      value: `${top.ip}${service ? ` ${service}` : ''} · ${formatBytes(top.sent + top.received)}`,
    });
  }
  return facts;
}
