/**
 * A typed namespace of state. Every key of the namespace is built here, from its prefix and an
 * id; every record is stored with its version and validated with zod when read; a record of an
 * older version (0: written before records carried one) is migrated on read. Nothing outside a
 * repository builds a key string, so two spellings of one key (`snooze:host:` in two files, once)
 * cannot happen again.
 *
 * A record that fails validation is reported (`onInvalid`) and read as absent: a corrupt or
 * foreign value never reaches code that trusts its type.
 */
import type { z } from 'zod';
import type { LockHandle } from './coordination.js';
import type { StateStore } from './store.js';

export interface NamespaceSpec<S extends z.ZodType> {
  /** Every key of the namespace starts with it (`incident`, `outbox:item`). */
  prefix: string;
  /** What a record is now. */
  schema: S;
  /** The current version, stored with every record. */
  version: number;
  /** Brings a record of version `from` (0: unversioned) to the current shape; identity when absent. */
  migrate?: (raw: unknown, from: number) => unknown;
  /** Default lifetime of a record; forever when absent. */
  ttlMs?: number | undefined;
}

/** Told of a stored value that does not validate (it is then read as absent). */
export type InvalidRecordListener = (namespace: string, key: string, problems: string[]) => void;

/** How records are stored: the value and the version of its shape. */
interface Envelope {
  v: number;
  d: unknown;
}

function isEnvelope(raw: unknown): raw is Envelope {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  const keys = Object.keys(raw);
  return keys.length === 2 && 'd' in raw && typeof (raw as { v?: unknown }).v === 'number';
}

export class Repository<S extends z.ZodType> {
  constructor(
    private readonly state: StateStore,
    private readonly spec: NamespaceSpec<S>,
  ) {}

  get prefix(): string {
    return this.spec.prefix;
  }

  async get(id: string = ''): Promise<z.output<S> | undefined> {
    const key = this.key(id);
    return this.read(key, await this.state.get<unknown>(key));
  }

  async getMany(ids: readonly string[]): Promise<Array<z.output<S> | undefined>> {
    const keys = ids.map((id) => this.key(id));
    const raws = await this.state.getMany<unknown>(keys);
    return raws.map((raw, n) => this.read(keys[n] ?? '', raw));
  }

  async set(id: string, value: z.input<S>, ttlMs = this.spec.ttlMs): Promise<void> {
    await this.state.set(this.key(id), this.wrap(value), ttlMs);
  }

  async setMany(entries: ReadonlyArray<readonly [string, z.input<S>]>, ttlMs = this.spec.ttlMs): Promise<void> {
    await this.state.setMany(entries.map(([id, value]) => ({ key: this.key(id), value: this.wrap(value), ttlMs })));
  }

  delete(id: string = ''): Promise<boolean> {
    return this.state.delete(this.key(id));
  }

  /** Serializes work on one record (across replicas on Redis). */
  withLock<T>(id: string, work: (lock: LockHandle) => Promise<T>): Promise<T> {
    return this.state.withLock(this.key(id), work);
  }

  /** True for the first caller of this id within `ttlMs` (across replicas on Redis, persisted on SQLite). */
  claim(id: string, ttlMs: number): Promise<boolean> {
    return this.state.claim(this.key(id), ttlMs);
  }

  private key(id: string): string {
    return id === '' ? this.spec.prefix : `${this.spec.prefix}:${id}`;
  }

  private wrap(value: z.input<S>): Envelope {
    return { v: this.spec.version, d: value };
  }

  private read(key: string, raw: unknown): z.output<S> | undefined {
    if (raw === undefined || raw === null) return undefined;
    const [version, data] = isEnvelope(raw) ? [raw.v, raw.d] : [0, raw];
    const current = version === this.spec.version ? data : (this.spec.migrate?.(data, version) ?? data);
    const parsed = this.spec.schema.safeParse(current);
    if (parsed.success) return parsed.data;
    this.state.onInvalidRecord?.(
      this.spec.prefix,
      key,
      parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`),
    );
    return undefined;
  }
}
