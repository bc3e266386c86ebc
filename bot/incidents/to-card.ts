import type { AlertActionVerb, AlertCardInput, BlockStatus, PersonRef } from '../../cards/types.js';
import { severityFor } from './severity.js';
import type { ActorRecord, Incident } from './types.js';

export interface CardContext {
  /** `{ip}` is replaced with the host's address. */
  hostUrlTemplate: string | undefined;
  /** XDR is configured: Block/Unblock work. */
  canBlock: boolean;
  /** SNA is configured: Tag/Untag work. */
  canTag: boolean;
  /** XDR is configured for private intelligence: Escalate works. */
  canEscalate: boolean;
  now: Date;
}

const person = (a: ActorRecord): PersonRef => ({ name: a.name, email: a.email });

/** Maps an incident onto the alert card's input, offering only the buttons that work now. */
export function alertCardInput(incident: Incident, ctx: CardContext): AlertCardInput {
  const [peer] = incident.peers;
  const block = blockStatus(incident, ctx.now);
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
    smcUrl: ctx.hostUrlTemplate
      ? ctx.hostUrlTemplate.replaceAll('{ip}', encodeURIComponent(incident.hostIp))
      : undefined,
    state: incident.state,
    ackedBy: incident.ack ? person(incident.ack.by) : undefined,
    ackedAt: incident.ack?.at,
    block,
    assignee: incident.assignee ? { name: incident.assignee.name, email: incident.assignee.email } : undefined,
    resolved: incident.resolved
      ? { by: person(incident.resolved.by), at: incident.resolved.at, note: incident.resolved.note }
      : undefined,
    snoozedUntil:
      incident.snoozedUntil && Date.parse(incident.snoozedUntil) > ctx.now.getTime()
        ? incident.snoozedUntil
        : undefined,
    escalation: incident.escalation ? { id: incident.escalation.id, url: incident.escalation.url } : undefined,
    peerVerdict:
      incident.peerVerdict && (!incident.peerVerdict.ip || incident.peerVerdict.ip === peer?.ip)
        ? { disposition: incident.peerVerdict.disposition, summary: incident.peerVerdict.summary }
        : undefined,
    tag: incident.tag ? { ...incident.tag, by: person(incident.tag.by) } : undefined,
    fromDigest: incident.digest?.promoted
      ? { listedAt: incident.digest.at, why: incident.digest.promoted.why }
      : undefined,
    topTalkers: incident.topTalkers?.peers,
    actions: actionsFor(incident, block, ctx),
  };
}

function blockStatus(incident: Incident, now: Date): BlockStatus | undefined {
  const b = incident.block;
  if (!b) return undefined;
  switch (b.state) {
    case 'pending':
      if (Date.parse(b.expiresAt) <= now.getTime()) {
        return {
          state: 'expired',
          observable: b.observable,
          requestedBy: person(b.requestedBy),
          expiredAt: b.expiresAt,
        };
      }
      return {
        state: 'pending',
        observable: b.observable,
        requestedBy: person(b.requestedBy),
        requestedAt: b.requestedAt,
        expiresAt: b.expiresAt,
      };
    case 'blocked':
      if (Date.parse(b.until) <= now.getTime()) return undefined;
      return {
        state: 'blocked',
        observable: b.observable,
        by: person(b.by),
        at: b.at,
        until: b.until,
        approvedBy: b.approvedBy && person(b.approvedBy),
      };
    case 'unblocked':
      return { state: 'unblocked', observable: b.observable, by: person(b.by), at: b.at };
    case 'expired':
      return { state: 'expired', observable: b.observable, requestedBy: person(b.requestedBy), expiredAt: b.expiredAt };
  }
}

function actionsFor(incident: Incident, block: BlockStatus | undefined, ctx: CardContext): AlertActionVerb[] {
  const verbs: AlertActionVerb[] = [];
  if (ctx.canBlock && incident.peers[0]) {
    if (block?.state === 'pending') verbs.push('approve-block');
    else if (block?.state === 'blocked') verbs.push('unblock');
    else verbs.push('block');
  }
  if (ctx.canTag) verbs.push(incident.tag?.state === 'tagged' ? 'untag' : 'tag');
  if (incident.state === 'open') verbs.push('ack');
  if (incident.state !== 'resolved') verbs.push('enrich');
  if (ctx.canEscalate && !incident.escalation && incident.state !== 'resolved') verbs.push('escalate');
  return verbs;
}
