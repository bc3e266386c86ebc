import type { AlertCardInput } from '../../cards/types.js';
import { severityFor } from './severity.js';
import type { Incident } from './types.js';

/** Maps an incident onto the alert card's input; `hostUrlTemplate` gets `{ip}` replaced. */
export function alertCardInput(incident: Incident, hostUrlTemplate: string | undefined): AlertCardInput {
  const [peer] = incident.peers;
  return {
    incidentId: incident.id,
    eventTypeId: incident.typeId,
    eventName: incident.eventName,
    points: incident.points,
    severity: severityFor(incident.points),
    host: { ip: incident.hostIp, hostGroups: incident.hostGroups },
    peer: peer ? { ip: peer.ip, port: peer.port, protocol: peer.protocol, hostGroups: peer.hostGroups } : undefined,
    otherPeers: Math.max(0, incident.peerCount - 1),
    firstActive: incident.firstActive,
    lastActive: incident.lastActive,
    eventCount: incident.eventCount,
    hitCount: incident.hitCount,
    smcUrl: hostUrlTemplate ? hostUrlTemplate.replaceAll('{ip}', encodeURIComponent(incident.hostIp)) : undefined,
    state: incident.state,
    ackedBy: incident.ack ? { name: incident.ack.by.name, email: incident.ack.by.email } : undefined,
    ackedAt: incident.ack?.at,
    actions: incident.state === 'open' ? ['ack'] : [],
  };
}
