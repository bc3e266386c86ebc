/**
 * The SNA enrichment row with flows: bytes each way and the busiest peer from the SMC simulator's
 * flows (real HTTP, the real flow service and gate), and an honest answer when the gate is busy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snaSource } from '../../../../bot/enrich/sources/sna.js';
import { FlowGate } from '../../../../bot/flows/gate.js';
import { IncidentStore } from '../../../../bot/incidents/store.js';
import { openStateStore, type StateStore } from '../../../../bot/state/store.js';
import type { SmcSimulator } from '../../../../sandbox/smc/index.js';
import { type FlowSmc, flowServiceOver, startFlowSmc } from '../../../helpers/flows.js';

let flowSmc: FlowSmc;
let smc: SmcSimulator;
let state: StateStore;

beforeAll(async () => {
  flowSmc = await startFlowSmc();
  smc = flowSmc.smc;
  state = await openStateStore('memory://');
});
afterAll(async () => {
  await state.close();
  await flowSmc.close();
});

/** `flowWaitMs`: how long a lookup waits for the gate (5 s in the bot). */
function source(gate: FlowGate, flowWaitMs?: number) {
  const flows = flowServiceOver(flowSmc.sna, { state, gate });
  return snaSource(new IncidentStore(state, { windowMinutes: 120 }), flows, () => new Date(), flowWaitMs);
}

describe('SNA enrichment with flows', () => {
  it('adds the bytes the address sent and received in the last hour, and its busiest peer', async () => {
    const at = new Date(Date.now() - 10 * 60_000);
    smc.addFlow({
      clientIp: '10.20.4.17',
      serverIp: '203.0.113.45',
      serverPort: 443,
      clientBytes: 9_000_000,
      serverBytes: 40_000,
      firstActive: at,
    });
    smc.addFlow({
      clientIp: '10.20.4.17',
      serverIp: '10.10.0.53',
      serverPort: 53,
      protocol: 'udp',
      clientBytes: 2_000,
      serverBytes: 8_000,
      firstActive: at,
    });
    const answer = await source(new FlowGate({ perMinute: 5 })).lookup(
      { type: 'ip', value: '10.20.4.17' },
      AbortSignal.timeout(10_000),
    );
    expect(answer.status).toBe('ok');
    expect(answer.facts).toEqual(
      expect.arrayContaining([
        { title: 'Traffic (last hour)', value: '↑ 9 MB ↓ 48 kB · 2 peers' },
        { title: 'Busiest peer', value: '203.0.113.45 443/tcp · 9 MB' },
      ]),
    );
  });

  it('answers without flows, saying so, when the flow gate is busy with cards', async () => {
    const gate = new FlowGate({ perMinute: 1 });
    await gate.run(() => Promise.resolve(), 'background');
    // The gate's one query a minute is used up: the lookup would wait a minute, and gives up after 0.2 s.
    const answer = await source(gate, 200).lookup({ type: 'ip', value: '10.20.4.99' }, AbortSignal.timeout(10_000));
    expect(answer).toMatchObject({ status: 'partial', note: 'SMC flows busy: try /flows' });
    expect(answer.facts.map((f) => f.title)).toEqual(['Host groups', 'Recent incidents']);
    gate.stop();
  });
});
