import { beforeEach, describe, expect, it } from 'vitest';
import { type IncidentEvent, IncidentStore, type IngestResult } from '../../../bot/incidents/store.js';
import { openStateStore } from '../../../bot/state/store.js';

const now = new Date('2026-11-23T10:00:00Z');

function event(overrides: Partial<IncidentEvent> = {}): IncidentEvent {
  return {
    id: 5223,
    typeId: 16,
    firstActive: '2026-11-23T09:50:00.000Z',
    lastActive: '2026-11-23T09:55:00.000Z',
    source: { ip: '10.0.0.5', hostGroups: [{ name: 'Workstations' }] },
    target: { ip: '52.109.8.21', port: 443, protocol: 'tcp', hostGroups: [{ name: 'United States' }] },
    hitCount: 1,
    points: 162,
    ...overrides,
  };
}

describe('IncidentStore', () => {
  let incidents: IncidentStore;
  /** One event folded and written: a batch of one group, as the pipeline makes them. */
  async function ingest(e: IncidentEvent, eventName: string, at: Date): Promise<IngestResult> {
    const batch = await incidents.foldBatch([[e]], () => eventName, at);
    await batch.commit();
    return batch.results.at(-1) as IngestResult;
  }
  beforeEach(async () => {
    incidents = new IncidentStore(await openStateStore('memory://'), { windowMinutes: 60 });
  });

  it('opens an incident for the first event of a host and type', async () => {
    const { incident, outcome } = await ingest(event(), 'High Total Traffic', now);
    expect(outcome).toBe('new');
    expect(incident).toMatchObject({
      hostIp: '10.0.0.5',
      eventName: 'High Total Traffic',
      eventCount: 1,
      hitCount: 1,
      points: 162,
      hostGroups: ['Workstations'],
      state: 'open',
    });
    expect(incident.peers[0]).toMatchObject({ ip: '52.109.8.21', port: 443 });
    expect(incident.id).toMatch(/^[a-z2-9]{8}$/);
  });

  it('recognizes the same event again as unchanged', async () => {
    await ingest(event(), 'High Total Traffic', now);
    const again = await ingest(event(), 'High Total Traffic', now);
    expect(again.outcome).toBe('unchanged');
    expect(again.incident.hitCount).toBe(1);
  });

  it('folds an ongoing event (more hits, later activity) into the same incident', async () => {
    const first = await ingest(event(), 'High Total Traffic', now);
    const later = await ingest(
      event({ hitCount: 4, lastActive: '2026-11-23T09:59:00.000Z' }),
      'High Total Traffic',
      now,
    );
    expect(later.outcome).toBe('updated');
    expect(later.incident.id).toBe(first.incident.id);
    expect(later.incident).toMatchObject({ eventCount: 1, hitCount: 4, lastActive: '2026-11-23T09:59:00.000Z' });
  });

  it('groups a new event for the same host and type, counting peers', async () => {
    const first = await ingest(event(), 'High Total Traffic', now);
    const second = await ingest(
      event({
        id: 6000,
        firstActive: '2026-11-23T09:56:00.000Z',
        lastActive: '2026-11-23T09:58:00.000Z',
        target: { ip: '198.51.100.7', hostGroups: [] },
        hitCount: 2,
        points: 50,
      }),
      'High Total Traffic',
      now,
    );
    expect(second.incident.id).toBe(first.incident.id);
    expect(second.incident).toMatchObject({ eventCount: 2, hitCount: 3, peerCount: 2, points: 162 });
    expect(second.incident.peers.map((p) => p.ip)).toEqual(['52.109.8.21', '198.51.100.7']);
  });

  it('keeps different hosts and different event types apart', async () => {
    const a = await ingest(event(), 'High Total Traffic', now);
    const b = await ingest(event({ id: 2, source: { ip: '10.0.0.6', hostGroups: [] } }), 'High Total Traffic', now);
    const c = await ingest(event({ id: 3, typeId: 310 }), 'Flow_Denied', now);
    expect(new Set([a.incident.id, b.incident.id, c.incident.id]).size).toBe(3);
  });

  it('starts a new incident when the host misbehaves again after the window', async () => {
    const first = await ingest(event(), 'High Total Traffic', now);
    const much_later = await ingest(
      event({ id: 7000, firstActive: '2026-11-23T11:30:00.000Z', lastActive: '2026-11-23T11:31:00.000Z' }),
      'High Total Traffic',
      now,
    );
    expect(much_later.outcome).toBe('new');
    expect(much_later.incident.id).not.toBe(first.incident.id);
  });

  it('records who acknowledged, once', async () => {
    const { incident } = await ingest(event(), 'High Total Traffic', now);
    const jane = { id: 'p1', name: 'Jane Doe', email: 'jane@soc.example' };
    const first = await incidents.acknowledge(incident.id, jane, now);
    const second = await incidents.acknowledge(incident.id, { id: 'p2', name: 'Bob' }, now);
    expect(first).toMatchObject({
      changed: true,
      incident: { state: 'acked', ack: { by: jane, at: now.toISOString() } },
    });
    expect(second?.changed).toBe(false);
    expect((await incidents.get(incident.id))?.ack?.by.name).toBe('Jane Doe');
    expect(await incidents.acknowledge('nope', jane, now)).toBeUndefined();
  });

  it('tracks the card message, counting edits and remembering replaced cards', async () => {
    const { incident } = await ingest(event(), 'High Total Traffic', now);
    await incidents.setCard(incident.id, 'm1', now);
    await incidents.setCard(incident.id, 'm1', now);
    expect((await incidents.get(incident.id))?.card).toMatchObject({ messageId: 'm1', edits: 1 });
    await incidents.setCard(incident.id, 'm2', now);
    const replaced = await incidents.get(incident.id);
    expect(replaced?.card).toMatchObject({ messageId: 'm2', edits: 0 });
    expect(replaced?.previousCards).toEqual(['m1']);
  });

  describe('a batch of groups (a burst)', () => {
    const host = (n: number) => ({ ip: `10.9.0.${n}`, hostGroups: [] });

    it('writes new incidents only on commit, with what was marked on them before, and indexes them', async () => {
      const batch = await incidents.foldBatch(
        [[event({ id: 1, source: host(1) })], [event({ id: 2, source: host(2) })]],
        () => 'High Total Traffic',
        now,
      );
      expect(batch.results.map((r) => r.outcome)).toEqual(['new', 'new']);
      const [one, two] = batch.results.map((r) => r.incident);
      if (!one || !two) throw new Error('expected two incidents');
      expect(batch.isUnsaved(one)).toBe(true);
      expect(await incidents.get(one.id)).toBeUndefined();
      one.digested = true;
      await batch.commit();
      expect(await incidents.get(one.id)).toMatchObject({ hostIp: '10.9.0.1', digested: true });
      expect(await incidents.get(two.id)).toMatchObject({ hostIp: '10.9.0.2' });
      expect((await incidents.list()).map((i) => i.id).sort()).toEqual([one.id, two.id].sort());
    });

    it('folds a later batch into the incidents an earlier batch opened', async () => {
      const first = await incidents.foldBatch([[event({ id: 1, source: host(1) })]], () => 'High Total Traffic', now);
      await first.commit();
      const later = await incidents.foldBatch(
        [[event({ id: 9, source: host(1), firstActive: '2026-11-23T09:57:00.000Z', hitCount: 4 })]],
        () => 'High Total Traffic',
        now,
      );
      const [result] = later.results;
      expect(result?.outcome).toBe('updated');
      expect(result?.incident.id).toBe(first.results[0]?.incident.id);
      expect(later.isUnsaved(result?.incident as never)).toBe(false);
      // An open incident is saved under its lock at once (a press may be changing it).
      expect((await incidents.get(result?.incident.id ?? ''))?.eventCount).toBe(2);
    });

    it('keeps an acknowledgement made while a burst was being folded', async () => {
      const { incident } = await ingest(event({ id: 1, source: host(3) }), 'High Total Traffic', now);
      const jane = { id: 'p1', name: 'Jane Doe' };
      const [, batch] = await Promise.all([
        incidents.acknowledge(incident.id, jane, now),
        incidents.foldBatch([[event({ id: 2, source: host(3) })]], () => 'High Total Traffic', now),
      ]);
      await batch.commit();
      expect(await incidents.get(incident.id)).toMatchObject({ state: 'acked', eventCount: 2 });
    });
  });
});
