/**
 * The compactor keeps of each event exactly what incidents use, and shares what repeats: an
 * endpoint seen before (same address, port, protocol and host-group names) is the same frozen
 * object, so a burst holds a few thousand endpoints, not two per event.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventCompactor } from '../../../bot/poller/compact-events.js';
import type { SnaEndpoint, SnaEvent } from '../../../integrations/sna/types.js';
import { FC_SEED } from '../../fuzz/arbitraries.js';

const endpointArb: fc.Arbitrary<SnaEndpoint> = fc
  .record({
    ip: fc.constantFrom('10.0.0.1', '10.0.0.2', '2001:db8::1'),
    port: fc.option(fc.constantFrom(0, 443), { nil: undefined }),
    protocol: fc.option(fc.constantFrom('tcp', 'udp'), { nil: undefined }),
    hostGroups: fc.array(
      fc.record({ id: fc.integer({ min: 1, max: 3 }), name: fc.constantFrom('Catch All', 'Servers', 'A', 'A\u0000B') }),
      { maxLength: 2 },
    ),
  })
  .map((e) => {
    const endpoint: SnaEndpoint = { ip: e.ip, hostGroups: e.hostGroups };
    if (e.port !== undefined) endpoint.port = e.port;
    if (e.protocol !== undefined) endpoint.protocol = e.protocol;
    return endpoint;
  });

const eventArb: fc.Arbitrary<SnaEvent> = fc
  .record({
    id: fc.integer({ min: 1, max: 1000 }),
    typeId: fc.constantFrom(16, 310),
    source: endpointArb,
    target: fc.option(endpointArb, { nil: undefined }),
    hitCount: fc.nat(9),
    points: fc.option(fc.nat(300), { nil: undefined }),
  })
  .map(({ target, points, ...e }) => {
    const event: SnaEvent = {
      ...e,
      firstActive: '2021-02-04T13:20:38.000Z',
      lastActive: '2021-02-04T13:21:38.000Z',
      details: { points: String(points) },
    };
    if (target) event.target = target;
    if (points !== undefined) event.points = points;
    return event;
  });

/** What incidents read of an endpoint. */
const view = (e: SnaEndpoint) => ({
  ip: e.ip,
  port: e.port,
  protocol: e.protocol,
  hostGroups: e.hostGroups.map((g) => ({ name: g.name })),
});

describe('eventCompactor', () => {
  it('keeps what incidents use, and gives equal endpoints one shared, frozen object', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 40 }), (events) => {
        const compact = eventCompactor();
        const seen = new Map<string, unknown>();
        for (const event of events) {
          const c = compact(event);
          expect(c).toEqual({
            id: event.id,
            typeId: event.typeId,
            firstActive: event.firstActive,
            lastActive: event.lastActive,
            source: view(event.source),
            target: event.target ? view(event.target) : undefined,
            hitCount: event.hitCount,
            points: event.points,
          });
          for (const [raw, kept] of [
            [event.source, c.source],
            [event.target, c.target],
          ] as const) {
            if (!raw || !kept) continue;
            expect(Object.isFrozen(kept)).toBe(true);
            const key = JSON.stringify(view(raw));
            const first = seen.get(key);
            if (first) expect(kept).toBe(first);
            else seen.set(key, kept);
          }
        }
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });

  it('does not share endpoints that differ only in their host groups', () => {
    const compact = eventCompactor();
    const at = { firstActive: '2021-02-04T13:20:38.000Z', lastActive: '2021-02-04T13:20:38.000Z' };
    const event = (groups: string[]): SnaEvent => ({
      id: 1,
      typeId: 16,
      ...at,
      source: { ip: '10.0.0.1', hostGroups: groups.map((name, id) => ({ id, name })) },
      hitCount: 1,
      details: {},
    });
    const a = compact(event(['A', 'B'])).source;
    const b = compact(event(['A\u0000B'])).source;
    const c = compact(event(['A', 'B'])).source;
    expect(a).not.toBe(b);
    expect(b.hostGroups).toEqual([{ name: 'A\u0000B' }]);
    expect(c).toBe(a);
  });
});
