/**
 * The Umbrella Investigate simulator as an optional part of the demo: domain verdicts for the
 * names of the scenario's peers (Umbrella answers for domains only, so alert cards, whose peers
 * are addresses, do not ask it; `/enrich <domain>` does).
 */
import { type SimDomainVerdict, startUmbrellaSimulator } from '../umbrella/index.js';
import type { DemoExtraModule } from './extras.js';
import type { ScenarioPeer } from './scenario.js';

/** Starts the Umbrella simulator with the scenario's domains and nothing else. */
export const umbrellaModule: DemoExtraModule = {
  name: 'Umbrella',
  defaultPort: 8785,
  async start({ port, peers }) {
    const umbrella = await startUmbrellaSimulator({ port, verdicts: {} });
    for (const peer of peers) umbrella.setVerdict(peer.domain, domainVerdict(peer));
    return {
      env: {
        UMBRELLA_API_KEY: umbrella.apiKey,
        UMBRELLA_API_SECRET: umbrella.apiSecret,
        UMBRELLA_URL: umbrella.baseUrl,
        UMBRELLA_TOKEN_URL: umbrella.tokenUrl,
      },
      secrets: [umbrella.apiSecret],
      close: () => umbrella.close(),
    };
  },
};

/** Malicious: status −1; suspicious: undetermined with a security category; clean: status 1. */
export function domainVerdict(peer: ScenarioPeer): SimDomainVerdict {
  const categories = [...peer.categories];
  switch (peer.verdict) {
    case 'malicious':
      return { status: -1, securityCategories: categories };
    case 'suspicious':
      return { status: 0, securityCategories: categories, riskScore: 72 };
    case 'clean':
      return { status: 1, contentCategories: categories, riskScore: 4 };
  }
}
