/**
 * Groups SNA security events into incidents per (source host, event type) within a window,
 * and keeps them in state. A repeat updates the incident instead of creating a new one.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { mapLimit } from '../map-limit.js';
import { Repository } from '../state/repository.js';
import type { StateStore } from '../state/store.js';
import { DigestStore } from './digests.js';
import { HostSnoozes } from './snoozes.js';
import { INCIDENT_VERSION, incidentSchema } from './schema.js';
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
  /** Shared between the events of a poll (see poller/compact-events.ts): never changed. */
  hostGroups: ReadonlyArray<{ readonly name: string }>;
}

const MAX_PEERS = 20;
const MAX_TRACKED_EVENTS = 500;
const RETENTION_MS = 30 * 24 * 3600 * 1000;
const MAX_INDEXED = 2000;

export interface IngestResult {
  incident: Incident;
  outcome: IngestOutcome;
}

/** See {@link IncidentStore.foldBatch}. */
export interface FoldedBatch {
  /** Every incident the events touched, with what happened to it. */
  results: IngestResult[];
  /** True for a new incident that `commit()` has yet to write: changes to it are written with it. */
  isUnsaved(incident: Incident): boolean;
  /** Writes the unsaved incidents and their group pointers, and indexes every new incident (once). */
  commit(): Promise<void>;
}

/** Groups of a batch that wait for their lock or the store at once. */
const GROUP_CONCURRENCY = 16;

export class IncidentStore {
  /** The digest cards that named incidents, and which of their messages names which incident. */
  readonly digests: DigestStore;
  /** Hosts snoozed with `/snooze <host>`. */
  readonly hostSnoozes: HostSnoozes;
  /** Incidents by id. */
  private readonly incidents: Repository<typeof incidentSchema>;
  /** The open incident of each group (`<host ip>|<event type id>`), by group key. */
  private readonly openByGroup: Repository<z.ZodString>;
  /** The ids `/incidents` lists, oldest first. */
  private readonly index: Repository<z.ZodArray<z.ZodString>>;

  constructor(
    state: StateStore,
    private readonly opts: { windowMinutes: number; now?: () => Date },
  ) {
    this.digests = new DigestStore(state);
    this.hostSnoozes = new HostSnoozes(state);
    this.incidents = new Repository(state, {
      prefix: 'incident',
      schema: incidentSchema,
      version: INCIDENT_VERSION,
      ttlMs: RETENTION_MS,
    });
    this.openByGroup = new Repository(state, {
      prefix: 'incident-open',
      schema: z.string(),
      version: 1,
      ttlMs: RETENTION_MS,
    });
    this.index = new Repository(state, {
      prefix: 'incident-index',
      schema: z.array(z.string()),
      version: 1,
      ttlMs: RETENTION_MS,
    });
  }

  get(id: string): Promise<Incident | undefined> {
    return this.incidents.get(id);
  }

  /**
   * Whether the Webex message `messageId` shows this incident: its own card (or one it replaced),
   * or a digest card or list page that names it. A button press counts only from such a message.
   */
  async isShownOn(incident: Incident, messageId: string): Promise<boolean> {
    if (incident.card?.messageId === messageId || incident.previousCards.includes(messageId)) return true;
    return (await this.digests.view(messageId))?.incidentIds.includes(incident.id) ?? false;
  }

  /**
   * Folds a batch of event groups (each the events of one host and event type, oldest first; one
   * group per host and type). The group pointers are read in one query. A group with an open
   * incident is folded and saved under its group's lock, since a press may be changing that
   * incident. A group without one only makes new incidents that nothing else knows yet: those
   * are returned unsaved, so the caller can still mark them (as digested, say), and
   * `commit()` writes them and their pointers in one batch and indexes every new incident.
   * Batches of one tenant must not run concurrently (the event pipeline holds a lock per tenant).
   */
  async foldBatch(
    groups: ReadonlyArray<IncidentEvent[]>,
    nameOf: (typeId: number) => string,
    now: Date,
  ): Promise<FoldedBatch> {
    const nonEmpty = groups.filter((g): g is [IncidentEvent, ...IncidentEvent[]] => g.length > 0);
    const keys = nonEmpty.map(([first]) => incidentGroupKey(first));
    const pointers = await this.openByGroup.getMany(keys);
    const unsaved = new Set<Incident>();
    const newPointers: Array<[string, string]> = [];
    const created: string[] = [];
    const perGroup = await mapLimit([...nonEmpty.keys()], GROUP_CONCURRENCY, async (n) => {
      const events = nonEmpty[n] as [IncidentEvent, ...IncidentEvent[]];
      const groupKey = keys[n] as string;
      const eventName = nameOf(events[0].typeId);
      if (pointers[n] === undefined) {
        const folded = foldEvents(undefined, events, eventName, groupKey, now, this.opts.windowMinutes);
        for (const { incident } of folded.results) unsaved.add(incident);
        if (folded.current) newPointers.push([groupKey, folded.current.id]);
        created.push(...folded.created);
        return folded.results;
      }
      // The pointer read above still holds: only batches write pointers, one batch at a time.
      const openId = pointers[n];
      return this.openByGroup.withLock(groupKey, async () => {
        const open = await this.get(openId);
        const folded = foldEvents(open, events, eventName, groupKey, now, this.opts.windowMinutes);
        for (const result of folded.results) if (result.outcome !== 'unchanged') await this.save(result.incident);
        if (folded.current && folded.created.length > 0) await this.openByGroup.set(groupKey, folded.current.id);
        created.push(...folded.created);
        return folded.results;
      });
    });
    let committed: Promise<void> | undefined;
    return {
      results: perGroup.flat(),
      isUnsaved: (incident) => unsaved.has(incident),
      commit: () =>
        (committed ??= (async () => {
          await this.incidents.setMany([...unsaved].map((i) => [i.id, i] as const));
          await this.openByGroup.setMany(newPointers);
          await this.addToIndex(created);
        })()),
    };
  }

  /** The newest incidents first (at most `limit`). */
  async list(limit = 200): Promise<Incident[]> {
    const ids = ((await this.index.get()) ?? []).slice(-limit).reverse();
    const found = await this.incidents.getMany(ids);
    return found.filter((i): i is Incident => i !== undefined);
  }

  /** Incidents where `ip` is the inside host or a peer, newest first. */
  async involving(ip: string, limit = 20): Promise<Incident[]> {
    return (await this.list()).filter((i) => i.hostIp === ip || i.peers.some((p) => p.ip === ip)).slice(0, limit);
  }

  /** Adds incidents to the list `/incidents` reads (batch callers index once at the end). */
  async addToIndex(newIds: string[]): Promise<void> {
    await this.index.withLock('', async () => {
      const ids = (await this.index.get()) ?? [];
      const known = new Set(ids);
      const added = newIds.filter((id) => !known.has(id));
      if (added.length > 0) await this.index.set('', [...ids, ...added].slice(-MAX_INDEXED));
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
    return this.openByGroup.withLock(first.key, async () => {
      const incident = await this.get(id);
      if (!incident) return undefined;
      const changed = change(incident);
      if (changed) {
        incident.updatedAt = (this.opts.now?.() ?? new Date()).toISOString();
        await this.save(incident);
      }
      return { incident, changed };
    });
  }

  private save(incident: Incident): Promise<void> {
    return this.incidents.set(incident.id, incident);
  }
}

/** Folds `events` into `open` (or new incidents): what happened to each, and which were created. */
function foldEvents(
  open: Incident | undefined,
  events: readonly IncidentEvent[],
  eventName: string,
  groupKey: string,
  now: Date,
  windowMinutes: number,
): { results: IngestResult[]; created: string[]; current: Incident | undefined } {
  let current = open;
  let outcome: IngestOutcome = 'unchanged';
  const at = now.toISOString();
  const windowMs = windowMinutes * 60_000;
  const results: IngestResult[] = [];
  const created: string[] = [];
  // The current incident's last activity in ms, read again only when it changes (not per event).
  let lastActive: string | undefined;
  let lastActiveMs = 0;
  for (const event of events) {
    if (current) {
      if (current.lastActive !== lastActive) {
        lastActive = current.lastActive;
        lastActiveMs = Date.parse(lastActive);
      }
      // An event the incident holds joins it whatever its time; another, within the window.
      if (current.events[event.id] || Date.parse(event.firstActive) - lastActiveMs <= windowMs) {
        if (fold(current, event, at) === 'updated' && outcome === 'unchanged') outcome = 'updated';
        continue;
      }
    }
    if (current) results.push({ incident: current, outcome });
    current = create(groupKey, event, eventName, at);
    created.push(current.id);
    outcome = 'new';
  }
  if (current) results.push({ incident: current, outcome });
  return { results, created, current };
}

function create(groupKey: string, event: IncidentEvent, eventName: string, at: string): Incident {
  const incident: Incident = {
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
  fold(incident, event, at);
  return incident;
}

/**
 * Adds the event's news to the incident; says whether anything visible changed. `at`: the batch's
 * time, as ISO-8601 (one conversion per batch, not per event).
 */
function fold(incident: Incident, event: IncidentEvent, at: string): IngestOutcome {
  // A number key is the same property as its decimal text (`events[5]` is `events['5']`), without
  // making that text for every event.
  const id = event.id;
  const known = incident.events[id];
  if (known && known.hitCount >= event.hitCount && known.lastActive >= event.lastActive) return 'unchanged';

  incident.hitCount += Math.max(0, event.hitCount - (known?.hitCount ?? 0));
  if (!known) incident.eventCount += 1;
  incident.events[id] = { hitCount: Math.max(event.hitCount, known?.hitCount ?? 0), lastActive: event.lastActive };
  // Only a new event can take the map over its cap, and it holds at most eventCount entries.
  if (!known && incident.eventCount > MAX_TRACKED_EVENTS) trimEvents(incident);

  if (event.firstActive < incident.firstActive) incident.firstActive = event.firstActive;
  if (event.lastActive > incident.lastActive) incident.lastActive = event.lastActive;
  if (event.source.hostGroups.length > 0)
    incident.hostGroups = groupNames(event.source.hostGroups, incident.hostGroups);
  if (event.points !== undefined && (incident.points === undefined || event.points > incident.points)) {
    incident.points = event.points;
  }
  if (event.target) addPeer(incident, event.target, event.points);
  incident.updatedAt = at;
  return 'updated';
}

function addPeer(incident: Incident, target: EventEndpoint, points: number | undefined): void {
  const existing = incident.peers.findIndex((p) => p.ip === target.ip);
  const known = incident.peers[existing];
  const hostGroups = groupNames(target.hostGroups, known?.hostGroups);
  // The same peer again, as it was (most events of a burst): nothing to replace.
  if (known && known.port === target.port && known.protocol === target.protocol && known.hostGroups === hostGroups)
    return;
  const peer: PeerRecord = { ip: target.ip, port: target.port, protocol: target.protocol, hostGroups };
  if (known) {
    incident.peers[existing] = peer;
  } else {
    incident.peerCount += 1;
    // The strongest event's peer leads the card.
    const strongest = points !== undefined && points >= (incident.points ?? 0);
    if (strongest) incident.peers.unshift(peer);
    else incident.peers.push(peer);
    // Cut in place: no new list for every peer past the cap.
    if (incident.peers.length > MAX_PEERS) incident.peers.length = MAX_PEERS;
  }
}

/** The names of `groups`: `current` itself when it holds them already (no new list for every event). */
function groupNames(groups: EventEndpoint['hostGroups'], current: string[] | undefined): string[] {
  if (current?.length === groups.length && groups.every((g, n) => g.name === current[n])) return current;
  return groups.map((g) => g.name);
}

function trimEvents(incident: Incident): void {
  const ids = Object.keys(incident.events);
  if (ids.length <= MAX_TRACKED_EVENTS) return;
  const lastActive = (id: string) => incident.events[id]?.lastActive ?? '';
  // ISO-8601 UTC strings of one format sort as text (code units, not the locale's collation).
  const oldest = ids.sort((a, b) => (lastActive(a) < lastActive(b) ? -1 : lastActive(a) > lastActive(b) ? 1 : 0));
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

/** The (host, event type) an event's incident is kept under. */
export const incidentGroupKey = (event: Pick<IncidentEvent, 'source' | 'typeId'>) =>
  `${event.source.ip}|${event.typeId}`;
