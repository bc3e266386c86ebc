/**
 * The state store's batch write, on each backend the bot supports: real SQLite files, the
 * machine's Redis (see tests/helpers/redis.ts) and memory. A burst of new incidents is written
 * with `setMany`, so what it stores must read back exactly as single writes do.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { openStateStore, type StateStore } from '../../../bot/state/store.js';
import { REDIS_TEST_URL, redisForTests, removeKeys } from '../../helpers/redis.js';

const dir = mkdtempSync(join(tmpdir(), 'sna-state-'));
const namespace = `sna-chatops-store-test-${randomUUID().slice(0, 8)}`;
const withRedis = await redisForTests('the Redis state store tests');

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (withRedis) await removeKeys(`${namespace}:`);
});

const backends: Array<[string, () => string]> = [
  ['sqlite', () => `sqlite://${join(dir, `${randomUUID()}.sqlite`)}`],
  ['memory', () => 'memory://'],
  ...(withRedis ? ([['redis', () => REDIS_TEST_URL]] as Array<[string, () => string]>) : []),
];

describe.each(backends)('setMany on %s', (_kind, url) => {
  async function open(): Promise<StateStore> {
    return openStateStore(url(), `${namespace}-${randomUUID().slice(0, 6)}`);
  }

  it('stores every entry of a batch larger than one SQL statement, readable one by one and together', async () => {
    const state = await open();
    try {
      const entries = Array.from({ length: 1234 }, (_, i) => ({
        key: `incident:${i}`,
        value: { id: i, host: `10.0.${Math.floor(i / 250)}.${i % 250}`, peers: [{ ip: '203.0.113.9' }] },
      }));
      await state.setMany(entries);
      expect(await state.get('incident:0')).toEqual(entries[0]?.value);
      expect(await state.get('incident:1233')).toEqual(entries[1233]?.value);
      const all = await state.getMany(entries.map((e) => e.key));
      expect(all).toEqual(entries.map((e) => e.value));
    } finally {
      await state.close();
    }
  });

  it('replaces values already stored and keeps hostile keys and values intact', async () => {
    const state = await open();
    try {
      await state.set('a', 'old');
      const hostile = `'); DROP TABLE keyv; --`;
      await state.setMany([
        { key: 'a', value: 'new' },
        { key: hostile, value: { text: hostile, emoji: '🚨', nul: 'a\u0000b' } },
        { key: '__proto__', value: ['x'] },
      ]);
      expect(await state.get('a')).toBe('new');
      expect(await state.get(hostile)).toEqual({ text: hostile, emoji: '🚨', nul: 'a\u0000b' });
      expect(await state.get('__proto__')).toEqual(['x']);
    } finally {
      await state.close();
    }
  });

  it('lets an entry with a TTL expire while the others stay', async () => {
    const state = await open();
    try {
      await state.setMany([
        // Long enough to be read back on a loaded machine; the wait is then only what is left of it.
        { key: 'short', value: 1, ttlMs: 500 },
        { key: 'long', value: 2 },
      ]);
      const setAt = Date.now();
      expect(await state.get('short')).toBe(1);
      await new Promise((r) => setTimeout(r, Math.max(0, setAt + 600 - Date.now())));
      expect(await state.get('short')).toBeUndefined();
      expect(await state.get('long')).toBe(2);
    } finally {
      await state.close();
    }
  });

  it('does nothing for an empty batch', async () => {
    const state = await open();
    try {
      await state.setMany([]);
      expect(await state.get('anything')).toBeUndefined();
    } finally {
      await state.close();
    }
  });
});

describe('setMany on SQLite across a restart', () => {
  it('is durable: a second store on the same file reads the batch', async () => {
    const url = `sqlite://${join(dir, 'restart.sqlite')}`;
    const first = await openStateStore(url, 'ns');
    await first.setMany([
      { key: 'x', value: { n: 1 } },
      { key: 'y', value: { n: 2 } },
    ]);
    await first.close();
    const second = await openStateStore(url, 'ns');
    try {
      expect(await second.getMany(['x', 'y'])).toEqual([{ n: 1 }, { n: 2 }]);
    } finally {
      await second.close();
    }
  });
});

describe('expired entries on SQLite', () => {
  it('are deleted from the file by sweepExpired, leaving live entries and other namespaces alone', async () => {
    const file = join(dir, 'sweep.sqlite');
    const ours = await openStateStore(`sqlite://${file}`, 'ours_1');
    const theirs = await openStateStore(`sqlite://${file}`, 'ours%1');
    const raw = new KeyvSqlite({ uri: `sqlite://${file}` });
    const keys = async () =>
      ((await raw.query('SELECT key FROM keyv ORDER BY key')) as Array<{ key: string }>).map((r) => r.key);
    try {
      await ours.set('claim:press-1', true, 30);
      await ours.setMany([{ key: 'cache:ip', value: { verdict: 'clean' }, ttlMs: 30 }]);
      await ours.set('incident:abc', { id: 'abc' });
      await ours.set('audit:9', { at: 'later' }, 60_000);
      await theirs.set('claim:press-1', true, 30);
      await new Promise((r) => setTimeout(r, 80));

      expect(await ours.sweepExpired()).toBe(2);
      expect(await keys()).toEqual(['ours%1:claim:press-1', 'ours_1:audit:9', 'ours_1:incident:abc']);
      expect(await ours.get('incident:abc')).toEqual({ id: 'abc' });
      expect(await ours.sweepExpired()).toBe(0);
    } finally {
      await raw.disconnect();
      await ours.close();
      await theirs.close();
    }
  });

  it('is nothing to do on memory, which expires entries itself', async () => {
    const memory = await openStateStore('memory://');
    await memory.set('x', 1, 1);
    expect(await memory.sweepExpired()).toBe(0);
    await memory.close();
  });
});
