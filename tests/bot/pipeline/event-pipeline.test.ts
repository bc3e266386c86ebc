/**
 * The event pipeline on its own, over memory:// state and the bot's injected clock: what becomes
 * a card, what is recognised as seen, and what a push or a clock cannot hide. The outbox delivers
 * to a list (its transport is a function the bot passes in; nothing of ours is replaced).
 */
import { pino } from 'pino';
import { z } from 'zod';
import { beforeEach, describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../../bot/incidents/store.js';
import { IncidentStore } from '../../../bot/incidents/store.js';
import { type OutboxEntry, Outbox } from '../../../bot/outbox/outbox.js';
import { EventPipeline, type PipelineResult } from '../../../bot/pipeline/event-pipeline.js';
import { Repository } from '../../../bot/state/repository.js';
import { openStateStore, type StateStore } from '../../../bot/state/store.js';

const log = pino({ level: 'silent' });
const T0 = Date.parse('2026-12-01T10:00:00Z');

let clock: number;
let state: StateStore;
let delivered: OutboxEntry[];
let incidents: IncidentStore;
let outbox: Outbox;
let pipeline: EventPipeline;

beforeEach(async () => {
  clock = T0;
  delivered = [];
  state = await openStateStore('memory://');
  const now = () => new Date(clock);
  incidents = new IncidentStore(state, { windowMinutes: 120, now });
  outbox = new Outbox({ state, log, now, deliver: async (entry) => void delivered.push(entry) });
  outbox.start();
  pipeline = new EventPipeline({
    state,
    incidents,
    outbox,
    minPoints: 100,
    digestThreshold: 10,
    seenWindowMs: 60 * 60_000,
    now,
    log,
  });
  return () => outbox.stop();
});

const at = (minutesAgo: number) => new Date(clock - minutesAgo * 60_000).toISOString();

function event(id: number, overrides: Partial<IncidentEvent> = {}): IncidentEvent {
  return {
    id,
    typeId: 16,
    firstActive: at(10),
    lastActive: at(5),
    source: { ip: `10.0.0.${id % 250}`, hostGroups: [] },
    target: { ip: '203.0.113.7', port: 443, protocol: 'tcp', hostGroups: [] },
    hitCount: 1,
    points: 300,
    ...overrides,
  };
}

async function run(events: IncidentEvent[]): Promise<PipelineResult> {
  const result = await pipeline.process(events, {
    tenantKey: '102',
    names: new Map([[16, 'High Total Traffic']]),
    window: { from: new Date(clock - 3600_000), to: new Date(clock) },
  });
  await outbox.idle();
  return result;
}

const alertsFor = async (host: string) => {
  const ids = new Set((await incidents.list()).filter((i) => i.hostIp === host).map((i) => i.id));
  return delivered.filter((e) => e.kind !== 'digest' && e.kind !== 'digest-page' && ids.has(e.incidentId));
};

describe('EventPipeline', () => {
  it('makes one card per new incident, and nothing more for the same event polled again', async () => {
    expect(await run([event(1)])).toMatchObject({ newOrChanged: 1, incidents: 1 });
    expect(await alertsFor('10.0.0.1')).toHaveLength(1);
    expect(await run([event(1)])).toMatchObject({ newOrChanged: 0, incidents: 0 });
    expect(await alertsFor('10.0.0.1')).toHaveLength(1);
  });

  it('reads every spelling of a host as one host (an IPv4 written as IPv6)', async () => {
    await run([event(1, { source: { ip: '::ffff:10.0.0.9', hostGroups: [] } })]);
    await run([event(2, { source: { ip: '10.0.0.9', hostGroups: [] } })]);
    const forHost = (await incidents.list()).filter((i) => i.hostIp === '10.0.0.9');
    expect(forHost).toHaveLength(1);
    expect(forHost[0]?.eventCount).toBe(2);
  });

  it('skips events stamped more than five minutes ahead of the clock, and counts them', async () => {
    const result = await run([event(3, { lastActive: new Date(clock + 6 * 60_000).toISOString() })]);
    expect(result).toMatchObject({ futureDated: 1, newOrChanged: 0 });
    expect(await incidents.list()).toHaveLength(0);
  });

  it('treats the same id with other content as another event (a push cannot hide a later SMC event)', async () => {
    await run([event(4, { source: { ip: '10.9.9.9', hostGroups: [] }, points: 1 })]);
    expect(await incidents.list()).toHaveLength(0);
    expect(await run([event(4)])).toMatchObject({ newOrChanged: 1, incidents: 1 });
    expect(await alertsFor('10.0.0.4')).toHaveLength(1);
  });

  it('alerts once when an event under SNA_MIN_POINTS is reported again above it', async () => {
    await run([event(5, { points: 40 })]);
    expect(await incidents.list()).toHaveLength(0);
    await run([event(5, { points: 400 })]);
    expect(await alertsFor('10.0.0.5')).toHaveLength(1);
    await run([event(5, { points: 400 })]);
    expect(await alertsFor('10.0.0.5')).toHaveLength(1);
  });

  it('names more than DIGEST_THRESHOLD new incidents in one digest instead of a card each', async () => {
    await run(Array.from({ length: 12 }, (_, n) => event(100 + n)));
    expect(delivered.filter((e) => e.kind === 'digest')).toHaveLength(1);
    expect(delivered.filter((e) => e.kind === undefined || e.kind === 'alert')).toHaveLength(0);
  });

  it('forgets seen events with the poll window, on the bot clock', async () => {
    const old = event(6);
    await run([old]);
    expect((await run([old])).newOrChanged).toBe(0);
    clock += 3 * 3600_000;
    // The next batch prunes what lies outside the window; the old event, replayed as it was,
    // is no longer remembered (no poll would ask the SMC that far back).
    await run([event(7)]);
    expect((await run([old])).newOrChanged).toBe(1);
  });

  it('still knows the events a seen-set of the previous version (an object per event) recorded', async () => {
    const v1 = new Repository(state, {
      prefix: 'sna:seen-set',
      schema: z.record(
        z.string(),
        z.object({
          fp: z.string().optional(),
          hitCount: z.number(),
          lastActive: z.string(),
          points: z.number().optional(),
        }),
      ),
      version: 1,
    });
    const seen = event(7);
    await v1.set('102', {
      '7': {
        fp: `16|${seen.source.ip}|203.0.113.7|${seen.firstActive}`,
        hitCount: 1,
        lastActive: seen.lastActive,
        points: 300,
      },
    });
    expect(await run([seen, event(8)])).toMatchObject({ newOrChanged: 1 });
    expect(await alertsFor('10.0.0.7')).toHaveLength(0);
    // Written back in the new form and read again: both are known now.
    expect(await run([seen, event(8)])).toMatchObject({ newOrChanged: 0 });
    expect(await run([event(8, { hitCount: 2 })])).toMatchObject({ newOrChanged: 1 });
  });
});
