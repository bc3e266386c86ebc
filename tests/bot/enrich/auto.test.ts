/**
 * Auto-enrichment of a new incident's peer, over the VirusTotal and SMC simulators (real clients,
 * the real enricher, flow service and gate): the card gets the verdict, and the SNA source, which
 * gives none, is not asked, so no SMC flow query is spent on it (flow context needs that budget).
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoEnricher } from '../../../bot/enrich/auto.js';
import { Enricher } from '../../../bot/enrich/enricher.js';
import { snaSource } from '../../../bot/enrich/sources/sna.js';
import { virusTotalSource } from '../../../bot/enrich/sources/virustotal.js';
import { FlowGate } from '../../../bot/flows/gate.js';
import { IncidentStore } from '../../../bot/incidents/store.js';
import type { Incident } from '../../../bot/incidents/types.js';
import { parseObservable } from '../../../bot/observables/parse.js';
import { openStateStore, type StateStore } from '../../../bot/state/store.js';
import { VirusTotalClient } from '../../../integrations/virustotal/client.js';
import type { SmcSimulator } from '../../../sandbox/smc/index.js';
import { startVirusTotalSimulator, type VirusTotalSimulator } from '../../../sandbox/virustotal/index.js';
import { type FlowSmc, flowServiceOver, startFlowSmc } from '../../helpers/flows.js';

const log = pino({ level: 'silent' });
const now = () => new Date();
let smc: SmcSimulator;
let vt: VirusTotalSimulator;
let flowSmc: FlowSmc;
let state: StateStore;
let gate: FlowGate;
let incidents: IncidentStore;
let enricher: Enricher;

beforeAll(async () => {
  flowSmc = await startFlowSmc();
  smc = flowSmc.smc;
  vt = await startVirusTotalSimulator({ verdicts: {} });
  state = await openStateStore('memory://');
  gate = new FlowGate({ perMinute: 10 });
  incidents = new IncidentStore(state, { windowMinutes: 120, now });
  const flows = flowServiceOver(flowSmc.sna, { state, gate, now, log });
  enricher = new Enricher({
    sources: [
      snaSource(incidents, flows, now),
      virusTotalSource(new VirusTotalClient({ apiKey: vt.apiKey, baseUrl: vt.baseUrl })),
    ],
    budgets: {},
    queueing: [],
    state,
    cacheSeconds: 0,
    timeoutMs: 10_000,
    perPersonPerMinute: 10,
    log,
    now,
  });
});
afterAll(async () => {
  gate.stop();
  await state.close();
  await vt.close();
  await flowSmc.close();
});

async function newIncident(host: string, peer: string): Promise<Incident> {
  const at = new Date(Date.now() - 5 * 60_000).toISOString();
  const event = {
    id: 1,
    typeId: 16,
    firstActive: at,
    lastActive: at,
    source: { ip: host, hostGroups: [] },
    target: { ip: peer, port: 443, protocol: 'tcp', hostGroups: [] },
    hitCount: 1,
  };
  const batch = await incidents.foldBatch([[event]], () => 'High Total Traffic', new Date());
  await batch.commit();
  const [result] = batch.results;
  if (!result) throw new Error('no incident folded');
  return result.incident;
}

const flowQueries = () => smc.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/flows/queries')).length;
const hold = { remainingMs: () => 10_000, release: () => {} };

describe('auto-enrichment', () => {
  it("puts the peer's verdict on the incident without asking the SNA source (no SMC flow query)", async () => {
    vt.setVerdict('198.51.100.66', { malicious: 14, harmless: 50 });
    const incident = await newIncident('10.62.0.1', '198.51.100.66');
    expect(await autoEnricher({ enricher, incidents, log })(incident, hold)).toBe(true);
    const verdict = (await incidents.get(incident.id))?.peerVerdict;
    expect(verdict).toMatchObject({ ip: '198.51.100.66', disposition: 'malicious' });
    expect(verdict?.summary).toContain('VirusTotal: malicious');
    expect(flowQueries()).toBe(0);
  });

  it('still asks the SNA source, flows included, when an operator enriches', async () => {
    const observable = parseObservable('198.51.100.66');
    if (!observable) throw new Error('not an observable');
    const { card } = await enricher.enrich(observable);
    expect(card.sources.map((s) => s.name)).toContain('Secure Network Analytics');
    expect(flowQueries()).toBe(1);
  });
});
