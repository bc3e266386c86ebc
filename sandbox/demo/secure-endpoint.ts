/**
 * The Secure Endpoint simulator as an optional part of the demo: a computer for each of the
 * scenario's managed inside hosts (one of them already isolated), and for each peer the computers
 * that talked to it in the opening burst, so a verdict card says which laptops saw a C2 relay.
 * Secure Endpoint gives no verdict of its own: it adds "Owned by" and "Seen on" facts.
 */
import { type SimComputerInput, startSecureEndpointSimulator } from '../secure-endpoint/index.js';
import type { DemoExtraModule, ExtraContext } from './extras.js';

/** Starts the Secure Endpoint simulator with the scenario's fleet and nothing else. */
export const secureEndpointModule: DemoExtraModule = {
  name: 'Secure Endpoint',
  defaultPort: 8786,
  async start(context) {
    const se = await startSecureEndpointSimulator({ port: context.port, computers: fleet(context), verdicts: {} });
    for (const [peerIp, hostnames] of sightings(context)) se.setVerdict(peerIp, { computers: hostnames });
    return {
      env: {
        SECURE_ENDPOINT_CLIENT_ID: se.clientId,
        SECURE_ENDPOINT_API_KEY: se.apiKey,
        SECURE_ENDPOINT_URL: se.url,
      },
      secrets: [se.apiKey],
      close: () => se.close(),
    };
  },
};

/** The computers: one per managed host of the scenario. */
export function fleet({ hosts }: Pick<ExtraContext, 'hosts'>): SimComputerInput[] {
  return hosts.map((host) => ({
    hostname: host.hostname,
    internalIps: [host.ip],
    ...(host.user === undefined ? {} : { user: host.user }),
    ...(host.operatingSystem === undefined ? {} : { operatingSystem: host.operatingSystem }),
    ...(host.isolated ? { isolation: { available: true, status: 'isolated' } } : {}),
  }));
}

/** Peer address → hostnames of the managed computers that talked to it in the opening burst. */
export function sightings({ hosts, opening }: Pick<ExtraContext, 'hosts' | 'opening'>): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  for (const step of opening) {
    const host = hosts.find((h) => h.ip === step.sourceIp);
    if (!host) continue;
    const names = seen.get(step.targetIp) ?? [];
    if (!names.includes(host.hostname)) names.push(host.hostname);
    seen.set(step.targetIp, names);
  }
  return seen;
}
