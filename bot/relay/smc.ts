/**
 * The SMC as the relay asks it: a health check that exercises the session, and the security
 * events of one address (any type, either side), kept a minute so that XDR looking at the same
 * address from several investigations costs the SMC one query.
 */
import type { SnaClient, SnaEvent } from '../../integrations/sna/client.js';
import type { RelaySmc } from './types.js';

const EVENTS_TTL_MS = 60_000;
const MAX_CACHED = 500;

export function relaySmc(sna: SnaClient, tenantId: () => Promise<number>, now: () => number = Date.now): RelaySmc {
  const events = new Map<string, { at: number; from: number; events: Promise<SnaEvent[]> }>();
  let names: Promise<Map<number, string>> | undefined;
  return {
    async check() {
      await sna.listTenants();
      await tenantId();
    },
    eventsOf(ip, from, to) {
      const cached = events.get(ip);
      if (cached && now() - cached.at < EVENTS_TTL_MS && cached.from <= from.getTime()) return cached.events;
      const query = (async () =>
        sna.querySecurityEvents(await tenantId(), {
          from,
          to,
          typeIds: [],
          hosts: [{ ip }],
          onInvalidRecord: () => {},
        }))();
      if (events.size >= MAX_CACHED) events.clear();
      events.set(ip, { at: now(), from: from.getTime(), events: query });
      query.catch(() => events.delete(ip));
      return query;
    },
    async eventName(typeId) {
      names ??= (async () => new Map((await sna.listEventTemplates(await tenantId())).map((t) => [t.id, t.name])))();
      try {
        return (await names).get(typeId) ?? `Security event ${typeId}`;
      } catch {
        names = undefined;
        return `Security event ${typeId}`;
      }
    },
  };
}
