/**
 * The batch's cheap per-event steps read the same as the plain ones they replace: groups as a map
 * by `incidentGroupKey` makes them, and "later than" as `Date.parse` says it, for every time the
 * bot's event sources write.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type IncidentEvent, incidentGroupKey } from '../../../bot/incidents/store.js';
import { eventGroups, laterThan } from '../../../bot/pipeline/event-groups.js';
import { toUtcIso } from '../../../integrations/sna/time.js';
import { FC_SEED } from '../../fuzz/arbitraries.js';

const eventArb: fc.Arbitrary<IncidentEvent> = fc.record({
  id: fc.nat(),
  typeId: fc.constantFrom(16, 310, 1),
  firstActive: fc.constant('2021-02-04T13:20:38.000Z'),
  lastActive: fc.constant('2021-02-04T13:20:38.000Z'),
  source: fc.record({ ip: fc.constantFrom('10.0.0.1', '10.0.0.11', '2001:db8::1'), hostGroups: fc.constant([]) }),
  hitCount: fc.nat(),
});

/** Dates over the whole range `Date` holds, often near each other. */
const dateArb = fc.oneof(
  fc.date({ noInvalidDate: true }),
  fc.integer({ min: -62_198_755_200_000, max: 253_402_300_799_999 }).map((ms) => new Date(ms)),
  fc.integer({ min: 0, max: 5000 }).map((ms) => new Date(Date.UTC(2026, 11, 1) + ms)),
);

describe('eventGroups', () => {
  it('groups as a map by incident group key does, in the same order', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 60 }), (events) => {
        const byKey = new Map<string, IncidentEvent[]>();
        for (const event of events) {
          const key = incidentGroupKey(event);
          const group = byKey.get(key);
          if (group) group.push(event);
          else byKey.set(key, [event]);
        }
        const groups = eventGroups();
        for (const event of events) groups.add(event);
        expect(groups.list).toEqual([...byKey.values()]);
      }),
      { seed: FC_SEED, numRuns: 500 },
    );
  });
});

describe('laterThan', () => {
  it('says what Date.parse says of any time toISOString writes, any year', () => {
    fc.assert(
      fc.property(dateArb, dateArb, (time, bound) => {
        const iso = time.toISOString();
        expect(laterThan(bound)(iso)).toBe(Date.parse(iso) > bound.getTime());
      }),
      { seed: FC_SEED, numRuns: 5000 },
    );
  });

  it('says what Date.parse says of the times the SNA client writes', () => {
    fc.assert(
      fc.property(dateArb, dateArb, fc.constantFrom('+0000', '+00:00', '-05:00'), (time, bound, offset) => {
        const iso = toUtcIso(time.toISOString().replace('Z', offset));
        if (iso === undefined) return;
        expect(laterThan(bound)(iso)).toBe(Date.parse(iso) > bound.getTime());
      }),
      { seed: FC_SEED, numRuns: 2000 },
    );
  });

  it('leaves texts of any other form to Date.parse', () => {
    const later = laterThan(new Date(0));
    for (const text of [
      '',
      'soon',
      '2021-02-04 13:20:38',
      '+275760-09-13T00:00:00.001Z',
      '+010000-01-01T00:00:00.000Z',
    ]) {
      expect(later(text)).toBe(Date.parse(text) > 0);
    }
  });
});
