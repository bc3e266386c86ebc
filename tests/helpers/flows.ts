/**
 * The real flow service over the SMC simulator, as the flow tests build it: a simulator whose
 * queries complete at once, a client that checks them every 5 ms, and a FlowService for tenant 102.
 */
import { pino } from 'pino';
import type { FlowGate } from '../../bot/flows/gate.js';
import { FlowService } from '../../bot/flows/service.js';
import type { Logger } from '../../bot/log.js';
import type { StateStore } from '../../bot/state/store.js';
import { SnaClient } from '../../integrations/sna/client.js';
import { type SmcSimulator, startSmcSimulator } from '../../sandbox/smc/index.js';

export interface FlowSmc {
  smc: SmcSimulator;
  sna: SnaClient;
  close(): Promise<void>;
}

export async function startFlowSmc(): Promise<FlowSmc> {
  const smc = await startSmcSimulator({ pollsUntilComplete: 0 });
  const sna = new SnaClient({
    baseUrl: smc.url,
    username: smc.username,
    password: smc.password,
    queryPollIntervalMs: 5,
  });
  return {
    smc,
    sna,
    async close() {
      await sna.logout();
      await smc.close();
    },
  };
}

export function flowServiceOver(
  sna: SnaClient,
  opts: { state: StateStore; gate: FlowGate; now?: () => Date; log?: Logger },
): FlowService {
  return new FlowService({
    sna,
    tenantId: () => Promise.resolve(102),
    state: opts.state,
    gate: opts.gate,
    recordLimit: 100,
    log: opts.log ?? pino({ level: 'silent' }),
    now: opts.now ?? (() => new Date()),
  });
}
