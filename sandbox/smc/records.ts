/** Security events as the simulator keeps them, and their wire form (api-contracts.md §1.5). */
import { CATCH_ALL_GROUP_ID, DEFAULT_OUTSIDE_GROUP_ID, type SimHostGroup } from './catalogue.js';

/** A `{name, id}` host-group reference on one side of an event. */
export interface SimTag {
  name: string;
  id: number;
}

/** An event held by the simulator; `lastActive` and `hitCount` advance while it is ongoing. */
export interface SimEvent {
  id: number;
  tenantId: number;
  typeId: number;
  sourceIp: string;
  sourcePort: number;
  targetIp?: string | undefined;
  targetPort: number;
  protocol: string;
  points: number;
  hitCount: number;
  firstActive: Date;
  lastActive: Date;
  sourceTags: SimTag[];
  targetTags: SimTag[];
}

/** One side of a security-event record, exactly as the SMC sends it. */
export interface WireEndpoint {
  ipAddress: string;
  port: number;
  protocol: string;
  tags: SimTag[];
}

/** A security-event record, exactly as the SMC sends it. */
export interface WireEventRecord {
  id: number;
  domainId: number;
  deviceId: number;
  securityEventType: number;
  firstActiveTime: string;
  lastActiveTime: string;
  source: WireEndpoint;
  target?: WireEndpoint;
  details: { key: string; value: string }[];
  hitCount: number;
}

/** The flow collector the simulator pretends saw every event. */
const DEVICE_ID = 121;

/** `2021-02-04T13:20:38.000+0000`: the SMC's format, offset without a colon. */
export function toSmcTime(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

/** The wire record of an event; a fresh object each time, so snapshots do not move. */
export function toWireRecord(event: SimEvent): WireEventRecord {
  const target = event.targetIp;
  const details = [
    { key: 'source_host@username', value: '' },
    { key: 'category_points@high-concern-index', value: String(event.points) },
    { key: 'baseline@threshold', value: '0' },
    ...(target
      ? [
          { key: 'flow@target_port', value: String(event.targetPort) },
          { key: 'targetIPAddress', value: target },
        ]
      : []),
    { key: 'points', value: String(event.points) },
  ];
  return {
    id: event.id,
    domainId: event.tenantId,
    deviceId: DEVICE_ID,
    securityEventType: event.typeId,
    firstActiveTime: toSmcTime(event.firstActive),
    lastActiveTime: toSmcTime(event.lastActive),
    source: {
      ipAddress: event.sourceIp,
      port: event.sourcePort,
      protocol: event.protocol,
      tags: copyTags(event.sourceTags),
    },
    ...(target
      ? {
          target: {
            ipAddress: target,
            port: event.targetPort,
            protocol: event.protocol,
            tags: copyTags(event.targetTags),
          },
        }
      : {}),
    details,
    hitCount: event.hitCount,
  };
}

function copyTags(tags: SimTag[]): SimTag[] {
  return tags.map((t) => ({ name: t.name, id: t.id }));
}

/**
 * The host groups an address belongs to: every group whose ranges cover it, "Catch All" only when
 * no other inside group does, and an outside group for addresses no range covers.
 */
export function hostGroupsOf(ip: string, groups: readonly SimHostGroup[]): SimTag[] {
  const matching = groups.filter((g) => g.ranges.some((range) => rangeContains(range, ip)));
  const specific = matching.filter((g) => g.id !== CATCH_ALL_GROUP_ID);
  const chosen = specific.length > 0 ? specific : matching;
  if (chosen.length > 0) return chosen.map((g) => ({ name: g.name, id: g.id }));
  const outside = groups.find((g) => g.id === DEFAULT_OUTSIDE_GROUP_ID);
  return outside ? [{ name: outside.name, id: outside.id }] : [];
}

/** Whether an IPv4 range (`a.b.c.d`, `a.b.c.d/n` or `a.b.c.d-e.f.g.h`) holds `ip`. IPv6 never matches. */
export function rangeContains(range: string, ip: string): boolean {
  const address = ipv4ToNumber(ip);
  if (address === undefined) return false;
  const [low, high] = rangeBounds(range.trim()) ?? [];
  return low !== undefined && high !== undefined && address >= low && address <= high;
}

function rangeBounds(range: string): [number, number] | undefined {
  if (range.includes('-')) {
    const [from = '', to = ''] = range.split('-');
    const low = ipv4ToNumber(from.trim());
    const high = ipv4ToNumber(to.trim());
    return low !== undefined && high !== undefined ? [low, high] : undefined;
  }
  const [base = '', bitsText] = range.split('/');
  const address = ipv4ToNumber(base);
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (address === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return undefined;
  const size = 2 ** (32 - bits);
  const low = Math.floor(address / size) * size;
  return [low, low + size - 1];
}

function ipv4ToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}
