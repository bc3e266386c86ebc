/**
 * The enrichment cache keeps complete answers only: an answer a source marked partial (SMC flows
 * busy, an XDR module failing) is shown once and asked again next time, so a busy moment is not
 * repeated for ENRICH_CACHE_SECONDS. Real enricher, real SNA source and flow service over the SMC
 * simulator, memory:// state.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Enricher } from '../../../bot/enrich/enricher.js';
import { snaSource } from '../../../bot/enrich/sources/sna.js';
import { FlowGate } from '../../../bot/flows/gate.js';
import { IncidentStore } from '../../../bot/incidents/store.js';
import { openStateStore, type StateStore } from '../../../bot/state/store.js';
import { type FlowSmc, flowServiceOver, startFlowSmc } from '../../helpers/flows.js';

let flowSmc: FlowSmc;
let state: StateStore;

beforeAll(async () => {
  flowSmc = await startFlowSmc();
  state = await openStateStore('memory://');
});
afterAll(async () => {
  await state.close();
  await flowSmc.close();
});

const flowQueries = () =>
  flowSmc.smc.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/flows/queries')).length;

/** An enricher with the SNA source alone over `gate`; a lookup gives up on the gate after `flowWaitMs`. */
function enricherOver(gate: FlowGate, flowWaitMs: number): Enricher {
  const flows = flowServiceOver(flowSmc.sna, { state, gate });
  return new Enricher({
    sources: [snaSource(new IncidentStore(state, { windowMinutes: 120 }), flows, () => new Date(), flowWaitMs)],
    budgets: {},
    queueing: [],
    state,
    cacheSeconds: 3600,
    timeoutMs: 10_000,
    perPersonPerMinute: 100,
    log: pino({ level: 'silent' }),
    now: () => new Date(),
  });
}

describe('the enrichment cache', () => {
  it('does not keep an answer a busy source marked partial: the next lookup asks again', async () => {
    const gate = new FlowGate({ perMinute: 1 });
    const enricher = enricherOver(gate, 200);
    // The minute's one flow query goes to cards: the lookup answers without flows, saying so.
    await gate.run(() => Promise.resolve(), 'background');
    const busy = await enricher.enrich({ type: 'ip', value: '10.20.7.1' });
    expect(busy.card.sources[0]).toMatchObject({ status: 'partial', note: 'SMC flows busy: try /flows' });

    // Not "busy" from the cache for an hour: the source is asked again.
    const again = await enricher.enrich({ type: 'ip', value: '10.20.7.1' });
    expect(again.upstreamLookups).toBe(1);
    expect(again.card.cachedAt).toBeUndefined();
    gate.stop();
  });

  it('keeps a complete answer: the next lookup of it reaches no upstream', async () => {
    const gate = new FlowGate({ perMinute: 5 });
    const enricher = enricherOver(gate, 5000);
    const first = await enricher.enrich({ type: 'ip', value: '10.20.7.2' });
    expect(first.card.sources[0]).toMatchObject({ status: 'ok' });
    const queries = flowQueries();
    const cached = await enricher.enrich({ type: 'ip', value: '10.20.7.2' });
    expect(cached.upstreamLookups).toBe(0);
    expect(cached.card.cachedAt).toBeDefined();
    expect(flowQueries()).toBe(queries);
    gate.stop();
  });
});
