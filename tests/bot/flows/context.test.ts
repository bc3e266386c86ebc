/**
 * Flow context as a hook of new alert cards, over the SMC simulator (real HTTP, the real flow
 * service and gate): the card waits for top talkers that can come within its hold, and is released
 * at once when they cannot (the query queued behind the minute's budget, or flow queries slower
 * than the time left); the top talkers still reach the incident when the query has run.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { flowContext } from '../../../bot/flows/context.js';
import { FlowGate } from '../../../bot/flows/gate.js';
import { IncidentStore } from '../../../bot/incidents/store.js';
import type { Incident } from '../../../bot/incidents/types.js';
import type { CardHold } from '../../../bot/pipeline/alert-hold.js';
import { openStateStore, type StateStore } from '../../../bot/state/store.js';
import type { SmcSimulator } from '../../../sandbox/smc/index.js';
import { fakeTime } from '../../helpers/fake-time.js';
import { type FlowSmc, flowServiceOver, startFlowSmc } from '../../helpers/flows.js';

const log = pino({ level: 'silent' });
let flowSmc: FlowSmc;
let smc: SmcSimulator;
let state: StateStore;
let incidents: IncidentStore;

beforeAll(async () => {
  flowSmc = await startFlowSmc();
  smc = flowSmc.smc;
});
afterAll(() => flowSmc.close());
beforeEach(async () => {
  state = await openStateStore('memory://');
  incidents = new IncidentStore(state, { windowMinutes: 120 });
  return () => state.close();
});

function hookOver(gate: FlowGate, now: () => Date = () => new Date()) {
  const flows = flowServiceOver(flowSmc.sna, { state, gate, now, log });
  return flowContext({ flows, incidents, log });
}

/** A new incident of `host`, active ten minutes ago, whose flows the SMC knows. */
async function newIncident(host: string): Promise<Incident> {
  const at = new Date(Date.now() - 10 * 60_000);
  smc.addFlow({
    clientIp: host,
    serverIp: '203.0.113.45',
    serverPort: 443,
    clientBytes: 9_000_000,
    serverBytes: 1000,
    firstActive: at,
  });
  const event = {
    id: Number(host.split('.').at(-1)),
    typeId: 16,
    firstActive: at.toISOString(),
    lastActive: at.toISOString(),
    source: { ip: host, hostGroups: [] },
    target: { ip: '203.0.113.45', port: 443, protocol: 'tcp', hostGroups: [] },
    hitCount: 1,
  };
  const batch = await incidents.foldBatch([[event]], () => 'High Total Traffic', new Date());
  await batch.commit();
  const [result] = batch.results;
  if (!result) throw new Error('no incident folded');
  return result.incident;
}

/** A card's hold as the pipeline hands it out: `released` settles when the hook lets the card go. */
function hold(remainingMs: number): CardHold & { released: Promise<void>; wasReleased: () => boolean } {
  let released = false;
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return {
    remainingMs: () => remainingMs,
    release: () => {
      released = true;
      resolve();
    },
    released: promise,
    wasReleased: () => released,
  };
}

const talkersOf = async (incident: Incident) => (await incidents.get(incident.id))?.topTalkers?.peers.map((p) => p.ip);

describe('flow context on a new alert card', () => {
  it('keeps the card waiting for a query that starts at once, and puts the top talkers on the incident', async () => {
    const gate = new FlowGate({ perMinute: 5 });
    const incident = await newIncident('10.61.0.1');
    const card = hold(10_000);
    expect(await hookOver(gate)(incident, card)).toBe(true);
    expect(card.wasReleased()).toBe(false);
    expect(await talkersOf(incident)).toEqual(['203.0.113.45']);
    gate.stop();
  });

  it("releases the card at once when the minute's budget is spent, and adds the top talkers once the query ran", async () => {
    const time = fakeTime(Date.now());
    const gate = new FlowGate({ perMinute: 1, now: time.now, sleep: time.sleep });
    const hook = hookOver(gate, () => new Date(time.now()));
    const first = await newIncident('10.61.0.2');
    expect(await hook(first, hold(10_000))).toBe(true);

    const second = await newIncident('10.61.0.3');
    const card = hold(10_000);
    let settled = false;
    const answer = hook(second, card).finally(() => (settled = true));
    await card.released;
    expect(settled).toBe(false);
    expect(await talkersOf(second)).toBeUndefined();

    time.advance(60_000);
    expect(await answer).toBe(true);
    expect(await talkersOf(second)).toEqual(['203.0.113.45']);
    gate.stop();
  });

  it('releases the card when the last flow query took longer than the card can still wait', async () => {
    const gate = new FlowGate({ perMinute: 10 });
    const hook = hookOver(gate);
    smc.setLatency(300, { method: 'POST', pathPrefix: '/sw-reporting/v2/tenants/102/flows/queries' });
    try {
      const slow = hold(10_000);
      expect(await hook(await newIncident('10.61.0.4'), slow)).toBe(true);
      expect(slow.wasReleased()).toBe(false);

      const short = hold(100);
      const answer = hook(await newIncident('10.61.0.5'), short);
      await short.released;
      expect(await answer).toBe(true);

      // A card that can wait longer than the last query took is still kept waiting.
      const long = hold(10_000);
      expect(await hook(await newIncident('10.61.0.6'), long)).toBe(true);
      expect(long.wasReleased()).toBe(false);
    } finally {
      smc.setLatency(0, { method: 'POST', pathPrefix: '/sw-reporting/v2/tenants/102/flows/queries' });
      gate.stop();
    }
  });
});
