/**
 * The one narrow door to persistent state. Everything the bot remembers goes through a
 * `StateStore`; nothing else knows whether SQLite, Redis or memory sits behind it.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import { Keyv } from 'keyv';
import { type Coordinator, localCoordinator, redisCoordinator, redisSocketOptions, safeUrl } from './coordination.js';
import type { InvalidRecordListener } from './repository.js';
import { serializeValue } from './serialize.js';

export type StateKind = 'sqlite' | 'redis' | 'memory';

export interface StateEntry {
  key: string;
  value: unknown;
  ttlMs?: number | undefined;
}

export interface StateStore extends Omit<Coordinator, 'close'> {
  readonly kind: StateKind;
  /** Told when a repository reads a record that does not validate (it is then read as absent). */
  onInvalidRecord?: InvalidRecordListener | undefined;
  /** Where the state lives, safe to show (no credentials). */
  readonly location: string;
  get<T>(key: string): Promise<T | undefined>;
  getMany<T>(keys: string[]): Promise<Array<T | undefined>>;
  /** Stores a value; `ttlMs` makes it expire. */
  set<T>(key: string, value: T, ttlMs?: number): Promise<void>;
  /**
   * Stores many values in as few round trips as the backend allows (SQLite: one statement per
   * hundred rows, serialized a hundred at a time; Redis: one MULTI). Not a transaction across
   * chunks: each entry is stored or the call throws.
   */
  setMany(entries: ReadonlyArray<StateEntry>): Promise<void>;
  delete(key: string): Promise<boolean>;
  /**
   * Deletes the entries whose TTL has passed; returns how many. SQLite needs this: Keyv keeps the
   * expiry inside the value and deletes an entry only when it is read, so claims, caches and
   * audit entries nobody reads again would stay in the file forever. Redis and memory expire
   * entries themselves (0).
   */
  sweepExpired(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Opens the store named by STATE_URL (`sqlite://path`, `redis://…`, `memory://`). `namespace`
 * prefixes every key, so several bots (or test runs) can share one Redis. `lockTtlMs`: how long a
 * Redis lock lasts when its holder stops renewing it (it is renewed every third of that while held).
 */
export async function openStateStore(
  stateUrl: string,
  namespace = 'sna-chatops',
  options: { lockTtlMs?: number } = {},
): Promise<StateStore> {
  const scheme = stateUrl.slice(0, stateUrl.indexOf('://'));
  if (scheme === 'memory') {
    return wrap(
      new Keyv({ throwOnErrors: true, serialize: serializeValue }),
      'memory',
      'memory',
      localCoordinator(),
      async () => 0,
    );
  }
  if (scheme === 'redis' || scheme === 'rediss') {
    const coordinator = await redisCoordinator(stateUrl, namespace, options.lockTtlMs);
    const { default: KeyvRedis } = await import('@keyv/redis');
    const store = new KeyvRedis(
      { url: stateUrl, disableOfflineQueue: true, socket: redisSocketOptions() },
      // throwOnErrors: without it the adapter answers a read with "not found" and drops a write
      // while Redis is away, silently (an incident "missing", a card id never recorded).
      { throwOnConnectError: true, throwOnErrors: true, connectionTimeout: 3000 },
    );
    const keyv = new Keyv({ store, namespace, throwOnErrors: true, serialize: serializeValue });
    return wrap(keyv, 'redis', safeUrl(stateUrl), coordinator, async () => 0);
  }
  if (scheme === 'sqlite') return openSqlite(stateUrl.slice('sqlite://'.length), namespace);
  throw new Error(`STATE_URL scheme "${scheme}" is not supported`);
}

async function openSqlite(path: string, namespace: string): Promise<StateStore> {
  const file = resolve(path || './data/state.sqlite');
  mkdirSync(dirname(file), { recursive: true });
  const store = new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 5000 });
  // WAL + NORMAL sync: ~4x faster sequential writes and readers don't block the writer
  // (measured in shared/docs/platform-notes.md); still durable across a process crash.
  await store.query('PRAGMA journal_mode=WAL');
  await store.query('PRAGMA synchronous=NORMAL');
  const table = store.opts.table ?? 'keyv';
  if (!/^\w+$/.test(table)) throw new Error(`unexpected SQLite table name ${JSON.stringify(table)}`);
  addSqliteSetMany(store, table);
  const keyv = new Keyv({ store, namespace, throwOnErrors: true, serialize: serializeValue });
  const prefix = `${namespace.replace(/[\\%_]/g, '\\$&')}:%`;
  // Keyv stores `{"value": …, "expires": <epoch ms>}`; only this namespace's rows are touched.
  const sweep = async () => {
    const removed = (await store.query(
      `DELETE FROM ${table} WHERE key LIKE ? ESCAPE '\\' AND json_valid(value)
       AND json_extract(value, '$.expires') < ? RETURNING key`,
      prefix,
      Date.now(),
    )) as unknown[];
    return removed.length;
  };
  return wrap(keyv, 'sqlite', file, localCoordinator(), sweep, SQLITE_ROWS_PER_STATEMENT);
}

/**
 * Rows per upsert statement: two parameters each, far below SQLite's 32,766-parameter limit, and
 * few enough that the driver's and SQLite's copies of one statement's values stay small (a burst
 * writes 1,000 incidents of a few KB each).
 */
const SQLITE_ROWS_PER_STATEMENT = 100;

/**
 * @keyv/sqlite 4 has no `setMany`, so Keyv would send one INSERT per entry (a burst of a thousand
 * new incidents was a thousand statements). This gives the adapter one: Keyv hands it entries
 * already prefixed and serialized, as it does to any store adapter that has one (@keyv/redis).
 */
function addSqliteSetMany(store: KeyvSqlite, table: string): void {
  const setMany = async (entries: Array<{ key: string; value: unknown }>): Promise<void> => {
    for (let start = 0; start < entries.length; start += SQLITE_ROWS_PER_STATEMENT) {
      const chunk = entries.slice(start, start + SQLITE_ROWS_PER_STATEMENT);
      await store.query(
        `INSERT INTO ${table} (key, value) VALUES ${chunk.map(() => '(?, ?)').join(', ')}
         ON CONFLICT(key) DO UPDATE SET value=excluded.value`,
        ...chunk.flatMap((e) => [e.key, e.value]),
      );
    }
  };
  Object.assign(store, { setMany });
}

/**
 * `entriesPerCall`: how many entries `setMany` hands Keyv at a time. Keyv serializes every entry it
 * is given before storing any: a burst's 1,000 new incidents were 7 MB of JSON held at once, where
 * SQLite takes them a statement of {@link SQLITE_ROWS_PER_STATEMENT} at a time anyway.
 */
function wrap(
  keyv: Keyv,
  kind: StateKind,
  location: string,
  coordinator: Coordinator,
  sweepExpired: () => Promise<number>,
  entriesPerCall = Number.POSITIVE_INFINITY,
): StateStore {
  // Errors are thrown to the caller (throwOnErrors); the listener only keeps Keyv's
  // emitter from crashing the process on an 'error' event with nobody listening.
  keyv.on('error', () => {});
  return {
    kind,
    location,
    async get<T>(key: string) {
      return (await keyv.get<T>(key)) ?? undefined;
    },
    async getMany<T>(keys: string[]) {
      if (keys.length === 0) return [];
      const values = await keyv.get<T>(keys);
      return values.map((v) => v ?? undefined);
    },
    async set<T>(key: string, value: T, ttlMs?: number) {
      await keyv.set(key, value, ttlMs);
    },
    async setMany(entries) {
      for (let start = 0; start < entries.length; start += entriesPerCall) {
        const chunk = entries.slice(start, start + entriesPerCall);
        await keyv.setMany(chunk.map((e) => ({ key: e.key, value: e.value, ttl: e.ttlMs })));
      }
    },
    async delete(key: string) {
      return keyv.delete(key);
    },
    sweepExpired,
    withLock: (name, work) => coordinator.withLock(name, work),
    // On Redis a claim is one atomic SET NX; locally it is persisted, so it survives a restart.
    claim:
      kind === 'redis'
        ? (key, ttlMs) => coordinator.claim(key, ttlMs)
        : (key, ttlMs) =>
            coordinator.withLock(`claim:${key}`, async () => {
              if ((await keyv.get(`claim:${key}`)) !== undefined) return false;
              await keyv.set(`claim:${key}`, true, ttlMs);
              return true;
            }),
    lease: (name, ttlMs) => coordinator.lease(name, ttlMs),
    async ping() {
      try {
        await Promise.race([
          keyv.get('ping'),
          new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000)),
        ]);
        return await coordinator.ping();
      } catch {
        return false;
      }
    },
    async close() {
      await coordinator.close();
      await keyv.disconnect();
    },
  };
}
