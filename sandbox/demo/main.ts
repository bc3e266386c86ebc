/**
 * `npm run demo`: starts the simulators, the bot and the local web space, prints the one URL to
 * open, and stops everything cleanly on Ctrl-C.
 *
 * Environment: `DEMO_HOST=0.0.0.0` opens the web space to phones on the same network;
 * `DEMO_LOG_LEVEL` (default `warn`) sets how much the bot says in this terminal.
 * `npm run demo -- --websocket` runs the bot in websocket mode (no webhook: it registers a device
 * with the simulated Webex and receives messages and presses over its Mercury websocket).
 */
import { startDemo } from './demo.js';
import { SCENARIO_PEERS } from './scenario.js';

/** A name to try `/enrich` on: the C2 relay of the story, malicious for every source. */
const C2_DOMAIN = SCENARIO_PEERS[0]?.domain ?? 'update-sync.darkrelay.example';

process.env.WEBEX_LOG_LEVEL ??= 'silent';
process.env.NO_PROXY = '127.0.0.1,localhost';
process.env.no_proxy = '127.0.0.1,localhost';

const host = process.env.DEMO_HOST?.trim() || undefined;
const transport = process.argv.slice(2).includes('--websocket') ? 'websocket' : 'webhook';
console.log(
  `Starting the SNA ChatOps demo (simulated SMC, Webex, XDR, Umbrella, Secure Endpoint and VirusTotal; the real bot, in ${transport} mode)…`,
);

let demo: Awaited<ReturnType<typeof startDemo>>;
try {
  demo = await startDemo({ host, logLevel: process.env.DEMO_LOG_LEVEL?.trim() || 'warn', transport });
} catch (error) {
  console.error(`The demo could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

console.log(
  [
    '',
    `  Open ${demo.url}`,
    '',
    '  Anomalies arrive every few seconds, each with a peer verdict. Press Acknowledge or',
    `  Enrich on a card, type /status or /enrich ${C2_DOMAIN}, switch person`,
    '  at the top right, or try the phone view. /flows 10.20.4.17 shows who a host talked to;',
    "  a card's Open in SMC page links to what Cisco XDR gets from the bot's relay module.",
    '  Ctrl-C stops everything.',
    '',
  ].join('\n'),
);

/** npm and tsx may pass the same Ctrl-C on once more; only a later second Ctrl-C forces the exit. */
const DUPLICATE_SIGNAL_MS = 1500;
let stoppingSince: number | undefined;
const shutdown = (signal: string): void => {
  if (stoppingSince !== undefined) {
    if (Date.now() - stoppingSince < DUPLICATE_SIGNAL_MS) return;
    console.error('Stopping now.');
    process.exit(1);
  }
  stoppingSince = Date.now();
  console.log(`\n${signal}: stopping the bot, then the simulators…`);
  const force = setTimeout(() => {
    console.error('Could not stop within 15 s; exiting anyway.');
    process.exit(1);
  }, 15_000);
  force.unref();
  demo.stop().then(
    () => {
      console.log('Demo stopped.');
      process.exit(0);
    },
    (error: unknown) => {
      console.error(`Error while stopping: ${String(error)}`);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
