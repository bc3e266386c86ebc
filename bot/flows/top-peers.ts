/**
 * Who a host talked to: the SMC's flow records of one subject grouped by peer and service (the
 * server side's port and the protocol), bytes each way summed, busiest first. Pure.
 */
import type { SnaFlow } from '../../integrations/sna/client.js';
import { canonicalIp } from '../observables/ip.js';

/** One peer and service of the subject, over the window. */
export interface TopPeer {
  /** The peer's address, canonical. */
  ip: string;
  /** The service port (the server side's), when the SMC gave ports. */
  port?: number | undefined;
  protocol?: string | undefined;
  /** Bytes the subject sent to the peer, and received from it. */
  sent: number;
  received: number;
  flows: number;
  firstSeen: string;
  lastSeen: string;
  hostGroupIds: number[];
  countryCode?: string | undefined;
}

/** Everything the flow records say about the subject in the window. */
export interface FlowTotals {
  flows: number;
  peers: number;
  sent: number;
  received: number;
}

/** Groups `flows` by (peer, service port, protocol), busiest (bytes both ways) first. */
export function topPeers(flows: readonly SnaFlow[]): TopPeer[] {
  const groups = new Map<string, TopPeer>();
  for (const flow of flows) {
    const ip = canonicalIp(flow.peer.ip)?.value ?? flow.peer.ip;
    const port = servicePort(flow);
    const protocol = (flow.protocol ?? flow.peer.protocol ?? flow.subject.protocol)?.toLowerCase();
    const key = `${ip}|${port ?? ''}|${protocol ?? ''}`;
    const group = groups.get(key);
    if (!group) {
      groups.set(key, {
        ip,
        port,
        protocol,
        sent: flow.subject.bytes,
        received: flow.peer.bytes,
        flows: 1,
        firstSeen: flow.firstActive,
        lastSeen: flow.lastActive,
        hostGroupIds: [...flow.peer.hostGroupIds],
        countryCode: flow.peer.countryCode,
      });
      continue;
    }
    group.sent += flow.subject.bytes;
    group.received += flow.peer.bytes;
    group.flows += 1;
    if (flow.firstActive < group.firstSeen) group.firstSeen = flow.firstActive;
    if (flow.lastActive > group.lastSeen) group.lastSeen = flow.lastActive;
  }
  return [...groups.values()].sort((a, b) => b.sent + b.received - (a.sent + a.received) || a.ip.localeCompare(b.ip));
}

export function totalsOf(flows: readonly SnaFlow[]): FlowTotals {
  const peers = new Set(flows.map((f) => canonicalIp(f.peer.ip)?.value ?? f.peer.ip));
  return {
    flows: flows.length,
    peers: peers.size,
    sent: flows.reduce((sum, f) => sum + f.subject.bytes, 0),
    received: flows.reduce((sum, f) => sum + f.peer.bytes, 0),
  };
}

/** The server side's port: the side the SMC calls `server`, else the lower non-zero port. */
function servicePort(flow: SnaFlow): number | undefined {
  if (flow.peer.orientation === 'server') return flow.peer.port;
  if (flow.subject.orientation === 'server') return flow.subject.port;
  const ports = [flow.peer.port, flow.subject.port].filter((p): p is number => p !== undefined && p > 0);
  return ports.length > 0 ? Math.min(...ports) : undefined;
}
