import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { openStateStore } from '../../../bot/state/store.js';
import { startSweeper } from '../../../bot/state/sweeper.js';
import { eventually } from '../../helpers/world.js';

const dir = mkdtempSync(join(tmpdir(), 'sna-sweeper-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the state sweeper', () => {
  it('removes expired entries from the SQLite file soon after start and again on schedule', async () => {
    const file = join(dir, 'state.sqlite');
    const state = await openStateStore(`sqlite://${file}`, 'bot');
    const raw = new KeyvSqlite({ uri: `sqlite://${file}` });
    const rows = async () => ((await raw.query('SELECT key FROM keyv')) as unknown[]).length;
    const sweeper = startSweeper(state, pino({ level: 'silent' }), { firstMs: 50, everyMs: 100 });
    try {
      await state.set('claim:a', true, 10);
      await state.set('kept', 1);
      await eventually(async () => (await rows()) === 1, 5000, 'the expired claim to be swept');
      await state.set('claim:b', true, 10);
      await eventually(async () => (await rows()) === 1, 5000, 'the second claim to be swept');
      expect(await state.get('kept')).toBe(1);
    } finally {
      sweeper.stop();
      await raw.disconnect();
      await state.close();
    }
  });
});
