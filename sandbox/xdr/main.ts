/**
 * Runs the XDR simulator on its own: `PORT=8792 tsx sandbox/xdr/main.ts`.
 * Stops on SIGINT/SIGTERM.
 */
import { startXdrSimulator } from './simulator.js';

const port = Number(process.env.PORT ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be a port number, got "${process.env.PORT}"`);
  process.exit(2);
}

const sim = await startXdrSimulator({ port });
// The simulator's credentials are fixed demo values, not secrets.
console.log(`XDR simulator listening on ${sim.url}`);
console.log(`  IROH (client option apiUrl):                   ${sim.irohUrl}`);
console.log(`  private intel (client option privateIntelUrl): ${sim.privateIntelUrl}`);
console.log(`  client id:     ${sim.clientId}`);
console.log(`  client secret: ${sim.clientSecret}`);
console.log(`  control:       ${sim.url}/_sim/state, /_sim/info, /_sim/calls`);

const stop = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
