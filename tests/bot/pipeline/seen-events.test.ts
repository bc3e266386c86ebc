/**
 * The seen-set as stored: whatever batches mark and however entries expire, reading it back gives
 * what a plain map would hold (each marked event's record over what was there, the last mark of
 * an id winning, entries older than the cut-off gone), over real memory:// state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint, type SeenEvent, type SeenRecord, SeenEvents } from '../../../bot/pipeline/seen-events.js';
import { openStateStore } from '../../../bot/state/store.js';
import { FC_SEED } from '../../fuzz/arbitraries.js';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const iso = (minute: number) => new Date(T0 + minute * 60_000).toISOString();

const eventArb: fc.Arbitrary<SeenEvent> = fc
  .record({
    // Few ids, so batches repeat them and overwrite what earlier batches stored; some negative.
    id: fc.integer({ min: -20, max: 60 }),
    typeId: fc.constantFrom(16, 310),
    first: fc.integer({ min: 0, max: 30 }),
    last: fc.integer({ min: 0, max: 30 }),
    source: fc.constantFrom('10.0.0.1', '10.0.0.2'),
    target: fc.option(fc.constantFrom('203.0.113.7', '2001:db8::1'), { nil: undefined }),
    hitCount: fc.nat(5),
    points: fc.option(fc.nat(300), { nil: undefined }),
  })
  .map(({ first, last, source, target, ...e }) => ({
    ...e,
    firstActive: iso(first),
    lastActive: iso(last),
    source: { ip: source },
    target: target === undefined ? undefined : { ip: target },
  }));

const batchArb = fc.record({ marked: fc.array(eventArb, { maxLength: 30 }), cutOff: fc.integer({ min: 0, max: 20 }) });

const recordOf = (e: SeenEvent): SeenRecord => {
  const record: SeenRecord = { fp: fingerprint(e), hitCount: e.hitCount, lastActive: e.lastActive };
  if (e.points !== undefined) record.points = e.points;
  return record;
};

describe('SeenEvents', () => {
  it('reads back what a plain map of the marked records holds, batch after batch', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(batchArb, { minLength: 1, maxLength: 5 }), async (batches) => {
        const state = await openStateStore('memory://');
        const seen = new SeenEvents(state);
        const model = new Map<number, SeenRecord>();
        for (const { marked, cutOff } of batches) {
          const loaded = await seen.load('102');
          expect(loaded).toEqual(model);
          const oldest = iso(cutOff);
          await seen.save('102', loaded, oldest, marked);
          for (const e of marked) model.set(e.id, recordOf(e));
          for (const [id, r] of model) if (r.lastActive < oldest) model.delete(id);
        }
        expect(await seen.load('102')).toEqual(model);
        await state.close();
      }),
      { seed: FC_SEED, numRuns: 200 },
    );
  });
});
