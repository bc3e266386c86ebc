/**
 * What the relay tells XDR, as CTIM entities (threatgrid/ctim 1.3: Sighting, ObservedRelation,
 * IdentitySpecification, Judgement, Verdict): one sighting per SNA incident and per SMC security
 * event involving the observable, and the bot's own block judgements. Pure functions.
 */
import { createHash } from 'node:crypto';
import { cleanText, userText } from '../../cards/format.js';
import type { SnaEvent } from '../../integrations/sna/client.js';
import { severityFor } from '../incidents/severity.js';
import type { Incident } from '../incidents/types.js';
import type { BlockRecord } from '../response/block.js';

/** The CTIM schema version the entities are written against (the one CTIA answers today). */
export const CTIM_SCHEMA_VERSION = '1.3.28';
/** `source` of sightings and `origin` of relations. */
export const RELAY_SOURCE = 'Secure Network Analytics';

export interface CtimObservable {
  type: 'ip' | 'ipv6';
  value: string;
}

/** How the relay names things it points at. */
export interface SightingContext {
  /** The SMC's page of a host, or undefined when no template is configured. */
  hostUrl(ip: string): string | undefined;
  now: Date;
}

type SightingSeverity = 'High' | 'Medium' | 'Low';

/** CTIM's sighting severity has no Critical (HighMedLowString): critical reads High. */
const SEVERITY: Record<ReturnType<typeof severityFor>, SightingSeverity> = {
  critical: 'High',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

const MAX_RELATIONS = 20;

/** An SNA incident (inside host × event type) as a sighting of the observable. */
export function incidentSighting(incident: Incident, observable: CtimObservable, ctx: SightingContext): object {
  const observed = { start_time: iso(incident.firstActive), end_time: iso(incident.lastActive) };
  const peers = incident.peers
    .slice(0, 3)
    .map((p) => endpointText(p.ip, p.port, p.protocol))
    .join(', ');
  const description = [
    `SNA ChatOps incident \`${incident.id}\`: **${name(incident.eventName)}** on inside host ${incident.hostIp}.`,
    `${incident.eventCount} security event(s), ${incident.hitCount} hit(s)` +
      (incident.points === undefined ? '.' : `, ${incident.points} points.`),
    peers ? `Peers: ${peers}${incident.peerCount > 3 ? ` and ${incident.peerCount - 3} more` : ''}.` : '',
    `State: ${incident.state}.`,
  ]
    .filter(Boolean)
    .join('\n\n');
  return sighting({
    id: transientId(`incident:${incident.id}`),
    title: `SNA: ${name(incident.eventName)} on ${incident.hostIp}`,
    shortDescription: `${name(incident.eventName)} (SNA incident ${incident.id})`,
    description,
    observable,
    host: incident.hostIp,
    peers: incident.peers,
    observed,
    count: incident.hitCount,
    severity: SEVERITY[severityFor(incident.points)],
    ctx,
  });
}

/** One SMC security event as a sighting of the observable. */
export function eventSighting(
  event: SnaEvent,
  eventName: string,
  observable: CtimObservable,
  ctx: SightingContext,
): object {
  const target = event.target;
  return sighting({
    id: transientId(`event:${event.id}:${event.firstActive}`),
    title: `SNA security event: ${name(eventName)} on ${event.source.ip}`,
    shortDescription: `${name(eventName)} (SMC security event ${event.id})`,
    description:
      `SMC security event ${event.id}: **${name(eventName)}** from ${event.source.ip}` +
      (target ? ` to ${endpointText(target.ip, target.port, target.protocol)}` : '') +
      `, ${event.hitCount} hit(s)` +
      (event.points === undefined ? '.' : `, ${event.points} points.`),
    observable,
    host: event.source.ip,
    peers: target ? [target] : [],
    observed: { start_time: iso(event.firstActive), end_time: iso(event.lastActive) },
    count: event.hitCount,
    severity: SEVERITY[severityFor(event.points)],
    ctx,
  });
}

/** The bot's block of the observable, as the Malicious judgement it wrote to XDR. */
export function blockJudgement(record: BlockRecord, observable: CtimObservable): object {
  return {
    id: record.judgementId,
    type: 'judgement',
    schema_version: CTIM_SCHEMA_VERSION,
    observable: { ...observable },
    disposition: 2,
    disposition_name: 'Malicious',
    source: 'SNA ChatOps',
    priority: 100,
    confidence: 'High',
    severity: 'High',
    tlp: 'amber',
    reason: record.reason.slice(0, 1024),
    valid_time: { start_time: iso(record.at), end_time: iso(record.until) },
    timestamp: iso(record.at),
  };
}

/** The verdict that judgement makes. */
export function blockVerdict(record: BlockRecord, observable: CtimObservable): object {
  return {
    type: 'verdict',
    disposition: 2,
    disposition_name: 'Malicious',
    observable: { ...observable },
    judgement_id: record.judgementId,
    valid_time: { start_time: iso(record.at), end_time: iso(record.until) },
  };
}

interface SightingSpec {
  id: string;
  title: string;
  shortDescription: string;
  description: string;
  observable: CtimObservable;
  host: string;
  peers: ReadonlyArray<{ ip: string; port?: number | undefined; protocol?: string | undefined }>;
  observed: { start_time: string; end_time: string };
  count: number;
  severity: SightingSeverity;
  ctx: SightingContext;
}

function sighting(spec: SightingSpec): object {
  const host = ipObservable(spec.host);
  const sourceUri = spec.ctx.hostUrl(spec.host);
  const relations = spec.peers
    .filter((p) => p.ip !== spec.host)
    .slice(0, MAX_RELATIONS)
    .map((peer) => ({
      origin: RELAY_SOURCE,
      relation: 'Connected_To',
      source: host,
      related: ipObservable(peer.ip),
      ...(peer.port !== undefined && peer.port > 0
        ? { relation_info: { port: peer.port, ...(peer.protocol ? { protocol: peer.protocol } : {}) } }
        : {}),
      ...(sourceUri ? { origin_uri: sourceUri } : {}),
    }));
  return {
    id: spec.id,
    type: 'sighting',
    schema_version: CTIM_SCHEMA_VERSION,
    source: RELAY_SOURCE,
    ...(sourceUri ? { source_uri: sourceUri } : {}),
    title: clip(spec.title, 1024),
    short_description: clip(spec.shortDescription, 2048),
    description: clip(spec.description, 5000),
    confidence: 'High',
    severity: spec.severity,
    count: Math.max(0, spec.count),
    observed_time: spec.observed,
    observables: [{ ...spec.observable }],
    targets: [{ type: 'endpoint', observables: [host], observed_time: spec.observed }],
    relations,
    internal: true,
    sensor: 'network.sensor',
    resolution: 'detected',
    tlp: 'amber',
    timestamp: spec.ctx.now.toISOString(),
  };
}

function ipObservable(ip: string): CtimObservable {
  return { type: ip.includes(':') ? 'ipv6' : 'ip', value: ip };
}

/** `ip:port/protocol`, IPv6 bracketed when a port follows. */
function endpointText(ip: string, port: number | undefined, protocol: string | undefined): string {
  const withPort = port !== undefined && port > 0 ? `${ip.includes(':') ? `[${ip}]` : ip}:${port}` : ip;
  return protocol ? `${withPort}/${cleanText(protocol).toLowerCase()}` : withPort;
}

/** An upstream name for CTIM Markdown: cleaned and escaped by the one escaping helper. */
function name(text: string): string {
  return userText(text, 120) || 'Security event';
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function iso(time: string): string {
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? time : new Date(ms).toISOString();
}

function transientId(key: string): string {
  return `transient:sighting-sna-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}
