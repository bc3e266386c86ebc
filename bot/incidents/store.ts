/**
 * Groups SNA security events into incidents per (source host, event type) within a window,
 * and keeps them in state. A repeat updates the incident instead of creating a new one.
 */
import { createHash } from 'node:crypto';
import type { StateStore } from '../state/store.js';
import type { ActorRecord, Incident, IngestOutcome, PeerRecord } from './types.js';

/** The shape of a normalized SNA event this store needs (see integrations/sna). */
export interface IncidentEvent {
  id: number;
  typeId: number;
  firstActive: string;
  lastActive: string;
  source: EventEndpoint;
  target?: EventEndpoint | undefined;
  hitCount: number;
  points?: number | undefined;
}

interface EventEndpoint {
  ip: string;
  port?: number | undefined;
  protocol?: string | undefined;
  hostGroups: Array<{ name: string }>;
}

const MAX_PEERS = 20;
const MAX_TRACKED_EVENTS = 500;
const RETENTION_MS = 30 * 24 * 3600 * 1000;
const MAX_INDEXED = 2000;
const INDEX_KEY = 'incident-index';

export interface IngestResult {
  incident: Incident;
  outcome: IngestOutcome;
}

export class IncidentStore {
  constructor(
    private readonly state: StateStore,
    private readonly opts: { windowMinutes: number },
  ) {}

  get(id: string): Promise<Incident | undefined> {
    return this.state.get<Incident>(incidentKey(id));
  }

  /** Folds one event into its incident: creates, updates, or recognizes it as already counted. */
  ingest(event: IncidentEvent, eventName: string, now: Date): Promise<IngestResult> {
    return this.ingestGroup([event], eventName, now).then((results) => results.at(-1) as IngestResult);
  }

  /**
   * Folds events of one (host, event type) group in order, under one lock, saving each touched
   * incident once: a burst of thousands of events costs a few writes per host, not per event.
   * Returns one result per incident touched (usually one).
   */
  async ingestGroup(
    events: IncidentEvent[],
    eventName: string,
    now: Date,
    opts: { index?: boolean } = {},
  ): Promise<IngestResult[]> {
    const [first] = events;
    if (!first) return [];
    const groupKey = `${first.source.ip}|${first.typeId}`;
    const { results, created } = await this.state.withLock(`incident-group:${groupKey}`, async () => {
      const openId = await this.state.get<string>(groupPointerKey(groupKey));
      let current = openId ? await this.get(openId) : undefined;
      let outcome: IngestResult['outcome'] = 'unchanged';
      const done: IngestResult[] = [];
      const fresh: string[] = [];
      for (const event of events) {
        if (current && this.joins(current, event)) {
          if (fold(current, event, now) === 'updated' && outcome === 'unchanged') outcome = 'updated';
          continue;
        }
        if (current) done.push({ incident: current, outcome });
        current = create(groupKey, event, eventName, now);
        fresh.push(current.id);
        outcome = 'new';
      }
      if (current) done.push({ incident: current, outcome });
      for (const result of done) if (result.outcome !== 'unchanged') await this.save(result.incident);
      if (current && fresh.length > 0) await this.state.set(groupPointerKey(groupKey), current.id, RETENTION_MS);
      return { results: done, created: fresh };
    });
    if (created.length > 0 && opts.index !== false) await this.addToIndex(created);
    return results;
  }

  /** The newest incidents first (at most `limit`). */
  async list(limit = 200): Promise<Incident[]> {
    const ids = ((await this.state.get<string[]>(INDEX_KEY)) ?? []).slice(-limit).reverse();
    const found = await this.state.getMany<Incident>(ids.map(incidentKey));
    return found.filter((i): i is Incident => i !== undefined);
  }

  /** Incidents where `ip` is the inside host or a peer, newest first. */
  async involving(ip: string, limit = 20): Promise<Incident[]> {
    return (await this.list()).filter((i) => i.hostIp === ip || i.peers.some((p) => p.ip === ip)).slice(0, limit);
  }

  /** Adds incidents to the list `/incidents` reads (batch callers index once at the end). */
  async addToIndex(newIds: string[]): Promise<void> {
    await this.state.withLock('incident-index', async () => {
      const ids = (await this.state.get<string[]>(INDEX_KEY)) ?? [];
      const known = new Set(ids);
      const added = newIds.filter((id) => !known.has(id));
      if (added.length > 0) await this.state.set(INDEX_KEY, [...ids, ...added].slice(-MAX_INDEXED), RETENTION_MS);
    });
  }

  /** Records an acknowledgement; returns the incident, or undefined when it does not exist. */
  acknowledge(id: string, by: ActorRecord, now: Date): Promise<{ incident: Incident; changed: boolean } | undefined> {
    return this.update(id, (incident) => {
      if (incident.state !== 'open') return false;
      incident.state = 'acked';
      incident.ack = { by, at: now.toISOString() };
      return true;
    });
  }

  /** Remembers which Webex message shows the incident (a new one after a replace, the same one after an edit). */
  setCard(id: string, messageId: string, now: Date): Promise<unknown> {
    return this.update(id, (incident) => {
      const at = now.toISOString();
      if (incident.card?.messageId === messageId) {
        incident.card = { ...incident.card, updatedAt: at, edits: incident.card.edits + 1 };
        return true;
      }
      if (incident.card) incident.previousCards = [...incident.previousCards, incident.card.messageId].slice(-10);
      incident.card = { messageId, postedAt: at, updatedAt: at, edits: 0 };
      return true;
    });
  }

  /** Applies `change` under the incident's lock; saves when it returns true. */
  change(
    id: string,
    change: (incident: Incident) => boolean,
  ): Promise<{ incident: Incident; changed: boolean } | undefined> {
    return this.update(id, change);
  }

  private async update(
    id: string,
    change: (incident: Incident) => boolean,
  ): Promise<{ incident: Incident; changed: boolean } | undefined> {
    const first = await this.get(id);
    if (!first) return undefined;
    return this.state.withLock(`incident-group:${first.key}`, async () => {
      const incident = await this.get(id);
      if (!incident) return undefined;
      const changed = change(incident);
      if (changed) {
        incident.updatedAt = new Date().toISOString();
        await this.save(incident);
      }
      return { incident, changed };
    });
  }

  private joins(incident: Incident, event: IncidentEvent): boolean {
    if (incident.events[String(event.id)]) return true;
    const gapMs = Date.parse(event.firstActive) - Date.parse(incident.lastActive);
    return gapMs <= this.opts.windowMinutes * 60_000;
  }

  private save(incident: Incident): Promise<void> {
    return this.state.set(incidentKey(incident.id), incident, RETENTION_MS);
  }
}

function create(groupKey: string, event: IncidentEvent, eventName: string, now: Date): Incident {
  const at = now.toISOString();
  const incident: Incident = {
    v: 1,
    id: incidentId(groupKey, event),
    key: groupKey,
    hostIp: event.source.ip,
    hostGroups: event.source.hostGroups.map((g) => g.name),
    typeId: event.typeId,
    eventName,
    peers: [],
    peerCount: 0,
    points: undefined,
    firstActive: event.firstActive,
    lastActive: event.lastActive,
    events: {},
    eventCount: 0,
    hitCount: 0,
    state: 'open',
    previousCards: [],
    createdAt: at,
    updatedAt: at,
  };
  fold(incident, event, now);
  return incident;
}

/** Adds the event's news to the incident; says whether anything visible changed. */
function fold(incident: Incident, event: IncidentEvent, now: Date): IngestOutcome {
  const id = String(event.id);
  const known = incident.events[id];
  if (known && known.hitCount >= event.hitCount && known.lastActive >= event.lastActive) return 'unchanged';

  incident.hitCount += Math.max(0, event.hitCount - (known?.hitCount ?? 0));
  if (!known) incident.eventCount += 1;
  incident.events[id] = { hitCount: Math.max(event.hitCount, known?.hitCount ?? 0), lastActive: event.lastActive };
  trimEvents(incident);

  if (event.firstActive < incident.firstActive) incident.firstActive = event.firstActive;
  if (event.lastActive > incident.lastActive) incident.lastActive = event.lastActive;
  if (event.source.hostGroups.length > 0) incident.hostGroups = event.source.hostGroups.map((g) => g.name);
  if (event.points !== undefined && (incident.points === undefined || event.points > incident.points)) {
    incident.points = event.points;
  }
  if (event.target) addPeer(incident, event.target, event.points);
  incident.updatedAt = now.toISOString();
  return 'updated';
}

function addPeer(incident: Incident, target: EventEndpoint, points: number | undefined): void {
  const peer: PeerRecord = {
    ip: target.ip,
    port: target.port,
    protocol: target.protocol,
    hostGroups: target.hostGroups.map((g) => g.name),
  };
  const existing = incident.peers.findIndex((p) => p.ip === peer.ip);
  if (existing >= 0) {
    incident.peers[existing] = peer;
  } else {
    incident.peerCount += 1;
    // The strongest event's peer leads the card.
    const strongest = points !== undefined && points >= (incident.points ?? 0);
    if (strongest) incident.peers.unshift(peer);
    else incident.peers.push(peer);
    incident.peers = incident.peers.slice(0, MAX_PEERS);
  }
}

function trimEvents(incident: Incident): void {
  const ids = Object.keys(incident.events);
  if (ids.length <= MAX_TRACKED_EVENTS) return;
  const oldest = ids.sort((a, b) =>
    (incident.events[a]?.lastActive ?? '').localeCompare(incident.events[b]?.lastActive ?? ''),
  );
  for (const id of oldest.slice(0, ids.length - MAX_TRACKED_EVENTS)) delete incident.events[id];
}

/** Short, stable and typeable: the same first event always yields the same id, on any replica. */
function incidentId(groupKey: string, event: IncidentEvent): string {
  const digest = createHash('sha256').update(`${groupKey}|${event.id}|${event.firstActive}`).digest();
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  let id = '';
  for (let i = 0; i < 8; i++) id += alphabet[(digest[i] ?? 0) % alphabet.length];
  return id;
}

const incidentKey = (id: string) => `incident:${id}`;
const groupPointerKey = (groupKey: string) => `incident-open:${groupKey}`;
