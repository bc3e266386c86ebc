/**
 * Runs the VirusTotal simulator on its own: `PORT=8603 tsx sandbox/virustotal/main.ts`.
 * The public API's quota of 4 requests a minute is enforced; `VT_SIM_QUOTA=off` turns it off.
 * Stops on SIGINT/SIGTERM.
 */
import { startVirusTotalSimulator } from './simulator.js';

const port = Number(process.env.PORT ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be a port number, got "${process.env.PORT}"`);
  process.exit(2);
}
const quotaOff = process.env.VT_SIM_QUOTA === 'off';

const sim = await startVirusTotalSimulator({ port, quotaPerMinute: quotaOff ? false : 4 });
// The simulator's key is a fixed demo value, not a secret.
console.log(
  `VirusTotal simulator listening on ${sim.baseUrl} (x-apikey "${sim.apiKey}", quota ${quotaOff ? 'off' : '4/min'})`,
);

const stop = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
