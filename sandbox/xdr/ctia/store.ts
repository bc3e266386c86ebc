/** CTIA entities in memory, with the fields the server fills on create (api-contracts.md §4.1). */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth.js';
import { LONG_ID } from './schemas.js';

/** The entities the simulator stores. */
export const SIM_ENTITIES = ['judgement', 'indicator', 'feed', 'relationship', 'sighting', 'incident'] as const;

export type SimEntityName = (typeof SIM_ENTITIES)[number];

/** A stored entity, as served. */
export type StoredEntity = Record<string, unknown> & { id: string; type: SimEntityName };

/** The CTIM version the simulated server stamps. */
export const SERVER_SCHEMA_VERSION = '1.3.28';
/** CTIA's default end of validity. */
export const END_OF_TIME = '2525-01-01T00:00:00.000Z';

/** Entities whose `valid_time` CTIA completes on create. */
const WITH_VALID_TIME: ReadonlySet<SimEntityName> = new Set(['judgement', 'indicator']);

export interface StoreSettings {
  /** Base of long ids, e.g. `https://private.intel.amp.cisco.com:443`. */
  idBaseUrl: () => string;
  defaultTlp: string;
  now: () => number;
}

export function isEntityName(name: string): name is SimEntityName {
  return (SIM_ENTITIES as readonly string[]).includes(name);
}

/** Every entity, per type, in creation order. */
export class CtiaStore {
  private readonly entities = new Map<SimEntityName, Map<string, StoredEntity>>(
    SIM_ENTITIES.map((name) => [name, new Map()]),
  );

  constructor(private readonly settings: StoreSettings) {}

  /**
   * Stores a validated body with the server-filled fields: `id`, `type`, `schema_version`, `owner`,
   * `client_id`, `groups`, `created`, `modified`, `timestamp`, `tlp` and, where it applies, `valid_time`.
   * `derive` adds fields computed from the new short id (a feed's view URL), merged last.
   */
  create(
    entity: SimEntityName,
    body: Record<string, unknown>,
    by: Principal,
    derive: (shortId: string) => Record<string, unknown> = () => ({}),
  ): StoredEntity {
    const now = new Date(this.settings.now()).toISOString();
    const shortId = `${entity}-${randomUUID()}`;
    const { id: _ignored, ...fields } = body;
    const stored: StoredEntity = {
      ...fields,
      id: `${this.settings.idBaseUrl()}/ctia/${entity}/${shortId}`,
      type: entity,
      schema_version: SERVER_SCHEMA_VERSION,
      owner: by.clientId,
      client_id: by.clientId,
      groups: [by.orgId],
      created: now,
      modified: now,
      timestamp: typeof fields.timestamp === 'string' ? fields.timestamp : now,
      tlp: typeof fields.tlp === 'string' ? fields.tlp : this.settings.defaultTlp,
      ...derive(shortId),
    };
    if (WITH_VALID_TIME.has(entity)) {
      const given = (fields.valid_time ?? {}) as { start_time?: string; end_time?: string };
      stored.valid_time = { start_time: given.start_time ?? now, end_time: given.end_time ?? END_OF_TIME };
    }
    this.table(entity).set(shortId, stored);
    return stored;
  }

  get(entity: SimEntityName, shortId: string): StoredEntity | undefined {
    return this.table(entity).get(shortId);
  }

  /** The entity a long id names, if it is stored. */
  resolve(longId: string): StoredEntity | undefined {
    const match = LONG_ID.exec(longId);
    const entity = match?.[1];
    if (!match?.[2] || !entity || !isEntityName(entity)) return undefined;
    const found = this.get(entity, match[2]);
    return found?.id === longId ? found : undefined;
  }

  /** Replaces fields of a stored entity and bumps `modified`. */
  update(entity: SimEntityName, shortId: string, changes: Record<string, unknown>): StoredEntity | undefined {
    const current = this.get(entity, shortId);
    if (!current) return undefined;
    const updated: StoredEntity = { ...current, ...changes, modified: new Date(this.settings.now()).toISOString() };
    this.table(entity).set(shortId, updated);
    return updated;
  }

  delete(entity: SimEntityName, shortId: string): boolean {
    return this.table(entity).delete(shortId);
  }

  all(entity: SimEntityName): StoredEntity[] {
    return [...this.table(entity).values()];
  }

  /** The first entity of this type having one of `externalIds` (after prefix filtering by the caller). */
  findByExternalIds(entity: SimEntityName, externalIds: readonly string[]): StoredEntity | undefined {
    return this.all(entity).find((e) => externalIdsOf(e).some((x) => externalIds.includes(x)));
  }

  counts(): Record<SimEntityName, number> {
    return Object.fromEntries(SIM_ENTITIES.map((name) => [name, this.table(name).size])) as Record<
      SimEntityName,
      number
    >;
  }

  clear(): void {
    for (const table of this.entities.values()) table.clear();
  }

  private table(entity: SimEntityName): Map<string, StoredEntity> {
    const table = this.entities.get(entity);
    if (!table) throw new Error(`no table for ${entity}`);
    return table;
  }
}

/** The entity's `external_ids`, or none. */
export function externalIdsOf(entity: Record<string, unknown>): string[] {
  const ids = entity.external_ids;
  return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
}

/** Whether `valid_time` (or a feed's `lifetime`) includes `now`: start ≤ now < end. */
export function isValidAt(range: unknown, now: number): boolean {
  if (range === undefined) return true;
  if (typeof range !== 'object' || range === null) return false;
  const { start_time: start, end_time: end } = range as { start_time?: unknown; end_time?: unknown };
  if (typeof start === 'string' && Date.parse(start) > now) return false;
  return !(typeof end === 'string' && Date.parse(end) <= now);
}
