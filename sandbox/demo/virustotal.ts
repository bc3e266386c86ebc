/**
 * The VirusTotal simulator as an optional part of the demo: engine counts for the scenario's
 * peers, by address and by name. The bot keeps to the public API's 4 requests a minute
 * (`VIRUSTOTAL_PER_MINUTE`), so when the opening burst has used them, further lookups queue for
 * the next minute (or show "quota used up" on the card) while the other sources answer at once.
 */
import { type SimVtVerdict, startVirusTotalSimulator } from '../virustotal/index.js';
import type { DemoExtraModule } from './extras.js';
import type { ScenarioPeer } from './scenario.js';

/** The public API's quota, which the bot is told to keep to. */
export const VIRUSTOTAL_PER_MINUTE = 4;

/** Starts the VirusTotal simulator with the scenario's peers and nothing else. */
export const virusTotalModule: DemoExtraModule = {
  name: 'VirusTotal',
  defaultPort: 8787,
  async start({ port, peers }) {
    const vt = await startVirusTotalSimulator({ port, verdicts: {} });
    for (const [index, peer] of peers.entries()) {
      vt.setVerdict(peer.ip, engineCounts(peer, index));
      vt.setVerdict(peer.domain, engineCounts(peer, index + 1));
    }
    return {
      env: {
        VIRUSTOTAL_API_KEY: vt.apiKey,
        VIRUSTOTAL_URL: vt.baseUrl,
        VIRUSTOTAL_PER_MINUTE: String(VIRUSTOTAL_PER_MINUTE),
      },
      secrets: [vt.apiKey],
      close: () => vt.close(),
    };
  },
};

/**
 * Detections that read as the peer's verdict (the bot calls 3 or more malicious engines
 * malicious, any detection suspicious), varied a little per peer so cards do not all look alike.
 */
export function engineCounts(peer: ScenarioPeer, variation: number): SimVtVerdict {
  switch (peer.verdict) {
    case 'malicious':
      return { malicious: 11 + 3 * (variation % 4), suspicious: 2, reputation: -38 - variation };
    case 'suspicious':
      return { malicious: 1, suspicious: 2 + (variation % 3), reputation: -4 };
    case 'clean':
      return { malicious: 0, suspicious: 0, reputation: 12 + variation };
  }
}
