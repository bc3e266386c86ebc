/**
 * What a poll keeps of each security event while the SMC's answer streams in: only what incidents
 * use (no `details` map, no host-group ids), with the addresses, protocols, host-group lists and
 * whole endpoints that repeat across a burst shared instead of copied. A burst of 100,000 events
 * from 1,000 hosts names a few thousand distinct endpoints: kept whole, the events took about
 * 650 bytes each; compacted, the event object and its two times (bench/burst.ts measures the
 * poll's peak memory).
 */
import type { SnaEndpoint, SnaEvent } from '../../integrations/sna/types.js';
import type { IncidentEvent } from '../incidents/store.js';

type CompactEndpoint = IncidentEvent['source'];

/** Distinct endpoints kept per address; past that (a hostile answer), endpoints are not shared. */
const VARIANTS_PER_ADDRESS = 8;

/** A compactor for one poll (its shared values live as long as it does). */
export function eventCompactor(): (event: SnaEvent) => IncidentEvent {
  const strings = new Map<string, string>();
  const groupLists = new Map<string, CompactEndpoint['hostGroups']>();
  const endpoints = new Map<string, CompactEndpoint[]>();
  const shared = (value: string): string => {
    const known = strings.get(value);
    if (known !== undefined) return known;
    strings.set(value, value);
    return value;
  };
  const groupsOf = (endpoint: SnaEndpoint): CompactEndpoint['hostGroups'] => {
    const names = endpoint.hostGroups.map((g) => g.name);
    // Only a new endpoint gets here, so an unambiguous key costs little (a joined one would read
    // `["A", "B"]` and `["A\u0000B"]` as one list).
    const key = JSON.stringify(names);
    const known = groupLists.get(key);
    if (known) return known;
    const list = Object.freeze(names.map((name) => Object.freeze({ name: shared(name) })));
    groupLists.set(key, list);
    return list;
  };
  const endpoint = (e: SnaEndpoint): CompactEndpoint => {
    let variants = endpoints.get(e.ip);
    if (variants) {
      for (const known of variants) if (sameEndpoint(known, e)) return known;
    } else {
      variants = [];
      endpoints.set(shared(e.ip), variants);
    }
    const made: CompactEndpoint = Object.freeze({
      ip: shared(e.ip),
      port: e.port,
      protocol: e.protocol === undefined ? undefined : shared(e.protocol),
      hostGroups: groupsOf(e),
    });
    if (variants.length < VARIANTS_PER_ADDRESS) variants.push(made);
    return made;
  };
  return (event) => ({
    id: event.id,
    typeId: event.typeId,
    firstActive: event.firstActive,
    lastActive: event.lastActive,
    source: endpoint(event.source),
    target: event.target ? endpoint(event.target) : undefined,
    hitCount: event.hitCount,
    points: event.points,
  });
}

/** Whether `known` is `e` compacted: same address, port, protocol and host-group names. */
function sameEndpoint(known: CompactEndpoint, e: SnaEndpoint): boolean {
  if (known.ip !== e.ip || known.port !== e.port || known.protocol !== e.protocol) return false;
  const groups = known.hostGroups;
  if (groups.length !== e.hostGroups.length) return false;
  for (let n = 0; n < groups.length; n += 1) if (groups[n]?.name !== e.hostGroups[n]?.name) return false;
  return true;
}
