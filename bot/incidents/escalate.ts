/**
 * Escalate: the incident becomes an XDR / SecureX incident holding one sighting per SNA
 * event (observables: the inside host and its peers; target: the inside host), each linked
 * `member-of` the incident, imported as one CTIM bundle. Stable external ids make a second
 * escalation of the same incident create nothing new.
 */
import type { CtimBundle, NewRelationship, NewSighting, XdrClient } from '../../integrations/xdr/index.js';
import type { Incident } from './types.js';

export const ESCALATION_SOURCE = 'SNA ChatOps';
const XID = 'sna-chatops';

export function escalationBundle(incident: Incident, now: Date): CtimBundle {
  const hostObservable = {
    type: (incident.hostIp.includes(':') ? 'ipv6' : 'ip') as 'ip' | 'ipv6',
    value: incident.hostIp,
  };
  const peerObservables = incident.peers.map((p) => ({
    type: (p.ip.includes(':') ? 'ipv6' : 'ip') as 'ip' | 'ipv6',
    value: p.ip,
  }));
  const incidentRef = 'transient:incident';
  const sightings: NewSighting[] = [];
  const relationships: NewRelationship[] = [];
  for (const [eventId, event] of Object.entries(incident.events)) {
    const ref = `transient:sighting-${eventId}`;
    sightings.push({
      id: ref,
      type: 'sighting',
      external_ids: [`${XID}-sighting-${incident.id}-${eventId}`],
      source: ESCALATION_SOURCE,
      confidence: 'High',
      count: event.hitCount,
      observed_time: { start_time: incident.firstActive, end_time: event.lastActive },
      observables: [hostObservable, ...peerObservables],
      targets: [
        { type: 'endpoint', observables: [hostObservable], observed_time: { start_time: incident.firstActive } },
      ],
      title: `${incident.eventName} (SNA event ${eventId})`,
      tlp: 'amber',
    });
    relationships.push({
      id: `transient:member-of-${eventId}`,
      type: 'relationship',
      external_ids: [`${XID}-member-of-${incident.id}-${eventId}`],
      relationship_type: 'member-of',
      source_ref: ref,
      target_ref: incidentRef,
      source: ESCALATION_SOURCE,
      tlp: 'amber',
    });
  }
  return {
    type: 'bundle',
    source: ESCALATION_SOURCE,
    incidents: [
      {
        id: incidentRef,
        type: 'incident',
        external_ids: [`${XID}-incident-${incident.id}`],
        source: ESCALATION_SOURCE,
        title: `${incident.eventName} on ${incident.hostIp}`.slice(0, 1024),
        description:
          `Escalated from Webex by SNA ChatOps: ${incident.eventCount} SNA security events, ${incident.hitCount} hits, ` +
          `${incident.peerCount} peers, ${incident.firstActive} – ${incident.lastActive}.`,
        confidence: 'High',
        status: 'New',
        incident_time: { opened: now.toISOString() },
        tlp: 'amber',
      },
    ],
    sightings,
    relationships,
  };
}

/** Imports the bundle and returns the XDR incident's id (created now or earlier). */
export async function escalate(
  xdr: XdrClient,
  incident: Incident,
  now: Date,
): Promise<{ id: string; created: boolean; sightings: number }> {
  const results = await xdr.importBundle(escalationBundle(incident, now), { externalKeyPrefixes: [XID] });
  const failed = results.filter((r) => r.result === 'error');
  if (failed.length > 0)
    throw new Error(
      `XDR refused part of the escalation: ${failed
        .map((r) => r.msg ?? r.error ?? 'error')
        .join('; ')
        .slice(0, 300)}`,
    );
  const created = results.find((r) => r.type === 'incident');
  if (!created?.id) throw new Error('XDR did not return the incident');
  return {
    id: created.id,
    created: created.result === 'created',
    sightings: results.filter((r) => r.type === 'sighting').length,
  };
}
