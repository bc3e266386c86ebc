/**
 * The machine's Redis for tests: `REDIS_TEST_URL` (default redis://127.0.0.1:6379). Tests that
 * need it skip loudly without one, except under CI (`.ci/run` starts one), where they fail.
 */
import { createClient } from '@keyv/redis';

export const REDIS_TEST_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

/** True when a Redis answers PING at `url` within 1.5 s. */
export async function redisAnswers(url = REDIS_TEST_URL): Promise<boolean> {
  const client = createClient({ url, socket: { connectTimeout: 1500, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    await client.disconnect().catch(() => undefined);
  }
}

/**
 * Says whether the Redis tests of a file can run: warns loudly when they are skipped, and throws
 * under CI instead, so CI never skips them.
 */
export async function redisForTests(what: string, url = REDIS_TEST_URL): Promise<boolean> {
  if (await redisAnswers(url)) return true;
  const reason = `no Redis answers at ${url} (set REDIS_TEST_URL): ${what} cannot run`;
  if (process.env.CI) throw new Error(`CI is set but ${reason}; refusing to skip`);
  console.warn(`\n⚠️  SKIPPING LOUDLY: ${reason}\n`);
  return false;
}

/** Deletes every key under `prefix` (a test's own namespace). */
export async function removeKeys(prefix: string, url = REDIS_TEST_URL): Promise<void> {
  const client = createClient({ url, socket: { connectTimeout: 1500, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) keys.push(...batch);
    if (keys.length > 0) await client.del(keys);
  } finally {
    await client.disconnect().catch(() => undefined);
  }
}
