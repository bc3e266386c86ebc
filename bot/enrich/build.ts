/** Builds the enricher from configuration: every source the team configured, each optional. */
import { SecureEndpointClient } from '../../integrations/secure-endpoint/client.js';
import { UmbrellaClient } from '../../integrations/umbrella/client.js';
import { VirusTotalClient } from '../../integrations/virustotal/client.js';
import type { FetchLike } from '../../integrations/http.js';
import type { XdrClient } from '../../integrations/xdr/index.js';
import type { FlowService } from '../flows/service.js';
import type { Config } from '../config.js';
import type { IncidentStore } from '../incidents/store.js';
import type { Logger } from '../log.js';
import type { StateStore } from '../state/store.js';
import { RequestBudget } from './budget.js';
import { Enricher } from './enricher.js';
import { secureEndpointSource } from './sources/secure-endpoint.js';
import { snaSource } from './sources/sna.js';
import { umbrellaSource } from './sources/umbrella.js';
import { virusTotalSource } from './sources/virustotal.js';
import { xdrSource } from './sources/xdr.js';
import type { EnrichmentSource } from './types.js';

export function buildEnricher(
  config: Readonly<Config>,
  deps: {
    xdr: XdrClient | undefined;
    /** The SMC's flows, for the SNA source's bytes to and from the observable. */
    flows?: FlowService | undefined;
    incidents: IncidentStore;
    state: StateStore;
    log: Logger;
    now: () => Date;
    /** Transport per service (metrics count every upstream call). */
    fetchFor?: (service: string) => FetchLike;
  },
): Enricher {
  const { enrich } = config;
  const sources: EnrichmentSource[] = [];
  const budgets: Record<string, RequestBudget> = {};
  const clock = () => deps.now().getTime();
  const fetchOf = (service: string) => (deps.fetchFor ? { fetch: deps.fetchFor(service) } : {});
  if (deps.xdr && enrich.xdr) {
    const source = xdrSource(deps.xdr);
    sources.push(source);
    budgets[source.name] = new RequestBudget({
      state: deps.state,
      name: 'xdr',
      limit: enrich.xdrHourlyBudget,
      windowMs: 3_600_000,
      now: clock,
    });
  }
  if (enrich.umbrella) {
    const { apiKey, apiSecret, baseUrl, tokenUrl } = enrich.umbrella;
    sources.push(
      umbrellaSource(
        new UmbrellaClient({ apiKey, apiSecret, ...(baseUrl ? { baseUrl } : {}), ...(tokenUrl ? { tokenUrl } : {}) }),
      ),
    );
  }
  if (enrich.secureEndpoint) {
    const { clientId, apiKey, baseUrl } = enrich.secureEndpoint;
    sources.push(
      secureEndpointSource(
        new SecureEndpointClient({ clientId, apiKey, ...(baseUrl ? { baseUrl } : {}), ...fetchOf('secure-endpoint') }),
      ),
    );
  }
  sources.push(snaSource(deps.incidents, deps.flows, deps.now));
  if (enrich.virusTotal) {
    const { apiKey, baseUrl, perMinute } = enrich.virusTotal;
    const source = virusTotalSource(
      new VirusTotalClient({ apiKey, ...(baseUrl ? { baseUrl } : {}), ...fetchOf('virustotal') }),
    );
    sources.push(source);
    budgets[source.name] = new RequestBudget({
      state: deps.state,
      name: 'virustotal',
      limit: perMinute,
      windowMs: 60_000,
      now: clock,
    });
  }
  return new Enricher({
    sources,
    budgets,
    queueing: ['VirusTotal'],
    state: deps.state,
    cacheSeconds: enrich.cacheSeconds,
    timeoutMs: enrich.timeoutMs,
    perPersonPerMinute: enrich.perPersonPerMinute,
    log: deps.log,
    now: deps.now,
  });
}
