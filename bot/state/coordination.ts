/**
 * Coordination between writers: locks around read-modify-write, "first one wins" claims,
 * and the poller's leadership lease. In one process (SQLite, memory) these are in-process;
 * on Redis they hold across replicas.
 *
 * A Redis lock holds as long as the work: it is renewed every third of its TTL while its owner
 * works (an SMC that takes 12 s to answer, a 20 s Retry-After), and writes under it are fenced:
 * before committing, the owner checks that the lock still carries its token (`assertHeld`), so a
 * holder that lost it (Redis away longer than the TTL, a stalled process) cannot commit and
 * re-reads instead. This is a small addition to the `SET NX PX` locks we already had rather than
 * a library: redis-semaphore, the well-kept choice, needs ioredis (a second Redis client beside
 * the node-redis one Keyv uses) and offers lock-lost callbacks but no fencing of our own writes.
 */
import { randomUUID } from 'node:crypto';
import { KeyedMutex } from './keyed-mutex.js';

/** What the work under a lock gets: a way to check, before committing, that it still holds it. */
export interface LockHandle {
  /** Aborted when the lock is known lost (a renewal found another token, or could not renew in time). */
  readonly signal: AbortSignal;
  /** Resolves while this holder owns the lock; throws {@link LockLostError} otherwise. Call before a write. */
  assertHeld(): Promise<void>;
}

/** The lock was lost while its work ran: nothing was committed after that; re-read and retry. */
export class LockLostError extends Error {
  readonly code = 'lock_lost';
  constructor(readonly lockName: string) {
    super(`lost the lock "${lockName}" while working (nothing was committed after that)`);
    this.name = 'LockLostError';
  }
}

/** Runs `work` under the lock, again (with a fresh read) when the lock was lost under it. */
export async function withLockRetried<T>(
  withLock: <R>(name: string, work: (lock: LockHandle) => Promise<R>) => Promise<R>,
  name: string,
  work: (lock: LockHandle) => Promise<T>,
  attempts = 3,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withLock(name, work);
    } catch (err) {
      if (!(err instanceof LockLostError) || attempt >= attempts) throw err;
    }
  }
}

const HELD_LOCALLY: LockHandle = { signal: new AbortController().signal, assertHeld: async () => {} };

export interface Lease {
  /** Takes the lease when free (or renews it when ours); true while we hold it. */
  acquireOrRenew(): Promise<boolean>;
  release(): Promise<void>;
  readonly holder: string;
}

export interface Coordinator {
  withLock<T>(name: string, work: (lock: LockHandle) => Promise<T>): Promise<T>;
  /** True for the first caller of `key` within `ttlMs`, false for every later one. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  lease(name: string, ttlMs: number): Lease;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** One process owns the state: an in-process mutex is enough, and the lease is always ours. */
export function localCoordinator(): Coordinator {
  const mutex = new KeyedMutex();
  const claims = new Map<string, number>();
  return {
    withLock: (name, work) => mutex.run(name, () => work(HELD_LOCALLY)),
    async claim(key, ttlMs) {
      const now = Date.now();
      if ((claims.get(key) ?? 0) > now) return false;
      claims.set(key, now + ttlMs);
      if (claims.size > 10_000) for (const [k, until] of claims) if (until <= now) claims.delete(k);
      return true;
    },
    lease: () => ({ holder: 'local', acquireOrRenew: async () => true, release: async () => {} }),
    ping: async () => true,
    close: async () => {},
  };
}

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
/** How long a Redis lock lasts without renewal, unless told otherwise (LOCK_SECONDS). */
export const LOCK_TTL_MS = 15_000;
/** How long a waiter waits for a lock whose holder keeps renewing it (a slow upstream). */
const LOCK_WAIT_MS = 90_000;

/** Reconnect forever once connected (with a capped delay), and give up the first connect quickly. */
export function redisSocketOptions() {
  return { connectTimeout: 3000, reconnectStrategy: (retries: number) => Math.min(retries * 200, 2000) };
}

/** Fails start-up with a clear message when Redis does not answer (it would otherwise retry forever). */
export async function connectWithin(
  client: { connect(): Promise<unknown>; disconnect(): Promise<unknown> },
  ms: number,
  url: string,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`cannot reach Redis at ${safeUrl(url)} (STATE_URL) within ${ms / 1000} s`)),
      ms,
    );
  });
  try {
    await Promise.race([client.connect(), timeout]);
  } catch (err) {
    await client.disconnect().catch(() => undefined);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** A Redis URL safe to log: scheme and host only. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'redis';
  }
}

/** Redis-backed coordination: `SET NX PX` locks and leases released by compare-and-delete. */
export async function redisCoordinator(url: string, namespace: string, lockTtlMs = LOCK_TTL_MS): Promise<Coordinator> {
  /** Renewed every third of the TTL: two renewals can fail before the lock runs out. */
  const lockRenewMs = lockTtlMs / 3;
  // Loaded only for Redis state: a bot on SQLite never pays for the client's memory.
  const { createClient } = await import('@keyv/redis');
  // No offline queue: while Redis is away, calls fail at once (the bot reports "degraded")
  // instead of piling up and hanging the people waiting for an answer.
  const client = createClient({ url, disableOfflineQueue: true, socket: redisSocketOptions() });
  client.on('error', () => {});
  await connectWithin(client, 5000, url);
  const local = new KeyedMutex();
  const key = (kind: string, name: string) => `${namespace}:${kind}:${name}`;

  return {
    withLock<T>(name: string, work: (lock: LockHandle) => Promise<T>): Promise<T> {
      return local.run(name, async () => {
        const token = randomUUID();
        const lockKey = key('lock', name);
        const deadline = Date.now() + LOCK_WAIT_MS;
        for (let waits = 0; (await client.set(lockKey, token, { NX: true, PX: lockTtlMs })) !== 'OK'; waits++) {
          if (Date.now() > deadline) throw new Error(`could not take the lock "${name}" in ${LOCK_WAIT_MS / 1000} s`);
          // Quick at first (most holders are done in milliseconds), then at most five times a second.
          await new Promise((r) =>
            setTimeout(r, Math.min(200, 15 * 1.5 ** Math.min(waits, 8)) * (0.5 + Math.random())),
          );
        }
        const lost = new AbortController();
        let renewedAt = Date.now();
        const renewal = setInterval(() => {
          client
            .eval(RENEW, { keys: [lockKey], arguments: [token, String(lockTtlMs)] })
            .then((renewed) => {
              if (Number(renewed) === 1) renewedAt = Date.now();
              else lost.abort(new LockLostError(name));
            })
            .catch(() => {
              // Redis away: the lock may still be ours until its TTL runs out.
              if (Date.now() - renewedAt >= lockTtlMs) lost.abort(new LockLostError(name));
            });
        }, lockRenewMs);
        renewal.unref();
        const handle: LockHandle = {
          signal: lost.signal,
          async assertHeld() {
            if (lost.signal.aborted || (await client.get(lockKey)) !== token) {
              lost.abort(new LockLostError(name));
              throw new LockLostError(name);
            }
          },
        };
        try {
          return await work(handle);
        } finally {
          clearInterval(renewal);
          await client.eval(RELEASE, { keys: [lockKey], arguments: [token] }).catch(() => undefined);
        }
      });
    },
    async claim(name, ttlMs) {
      return (await client.set(key('claim', name), '1', { NX: true, PX: ttlMs })) === 'OK';
    },
    lease(name, ttlMs) {
      const holder = randomUUID();
      const leaseKey = key('lease', name);
      return {
        holder,
        async acquireOrRenew() {
          if ((await client.set(leaseKey, holder, { NX: true, PX: ttlMs })) === 'OK') return true;
          return Number(await client.eval(RENEW, { keys: [leaseKey], arguments: [holder, String(ttlMs)] })) === 1;
        },
        async release() {
          await client.eval(RELEASE, { keys: [leaseKey], arguments: [holder] }).catch(() => undefined);
        },
      };
    },
    async ping() {
      try {
        return (
          (await Promise.race([
            client.ping(),
            new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000)),
          ])) === 'PONG'
        );
      } catch {
        return false;
      }
    },
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
