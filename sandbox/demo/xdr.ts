/**
 * The XDR simulator as an optional part of the demo: IROH and CTIA for the bot's Block action and
 * enrichment, verdicts for the scenario's peers (addresses and names), and the "XDR block feed" panel, which shows the
 * lines of each of the bot's feeds' `view.txt` exactly as a firewall would fetch them.
 */
import { type SimDisposition, startXdrSimulator } from '../xdr/index.js';
import type { WorldPanel } from '../web-space/index.js';
import type { DemoExtraModule } from './extras.js';
import type { PeerVerdict } from './scenario.js';

/** Title prefix of the bot's feeds (`XDR_BLOCK_FEED_NAME`); each feed is "<name> — <type>". */
export const BLOCK_FEED_NAME = 'SNA ChatOps Block List';

const DISPOSITIONS: Readonly<Record<PeerVerdict, SimDisposition>> = { clean: 1, malicious: 2, suspicious: 3 };

/** Starts the XDR simulator with the scenario's verdicts. */
export const xdrModule: DemoExtraModule = {
  name: 'XDR',
  defaultPort: 8784,
  async start({ port, peers }) {
    const xdr = await startXdrSimulator({ port });
    for (const peer of peers) {
      xdr.setVerdict({ type: 'ip', value: peer.ip }, { disposition: DISPOSITIONS[peer.verdict] });
      xdr.setVerdict({ type: 'domain', value: peer.domain }, { disposition: DISPOSITIONS[peer.verdict] });
    }
    return {
      env: {
        XDR_CLIENT_ID: xdr.clientId,
        XDR_CLIENT_SECRET: xdr.clientSecret,
        XDR_API_URL: xdr.irohUrl,
        XDR_PRIVATE_INTEL_URL: xdr.privateIntelUrl,
        XDR_BLOCK_FEED_NAME: BLOCK_FEED_NAME,
        // The relay module checks the JWTs "XDR" signs against the simulator's keys.
        RELAY_JWKS_URL: xdr.jwksUrl,
      },
      mintRelayToken: (audience, claims) => xdr.mintRelayToken({ audience, claims }),
      secrets: [xdr.clientSecret],
      panels: async () => [await blockFeedPanel(xdr.state().feeds)],
      close: () => xdr.close(),
    };
  },
};

async function blockFeedPanel(feeds: readonly Record<string, unknown>[]): Promise<WorldPanel> {
  const ours = feeds.filter((f) => typeof f.title === 'string' && f.title.startsWith(BLOCK_FEED_NAME));
  const lines = await Promise.all(
    ours.map(async (feed) => {
      const url = typeof feed.feed_view_url === 'string' ? feed.feed_view_url : undefined;
      if (!url?.includes('/view.txt')) return [];
      const response = await fetch(url).catch(() => undefined);
      return response?.ok ? (await response.text()).split('\n').filter((line) => line.trim() !== '') : [];
    }),
  );
  return {
    id: 'xdr-blocks',
    title: 'XDR block feed',
    configured: true,
    subtitle:
      ours.length === 0
        ? `“${BLOCK_FEED_NAME}”: created by the bot on the first Block`
        : ours.map((f) => `“${String(f.title)}”`).join(', '),
    items: [...new Set(lines.flat())],
    emptyText: 'Nothing blocked yet.',
  };
}
