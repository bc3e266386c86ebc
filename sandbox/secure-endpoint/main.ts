/**
 * Runs the Secure Endpoint simulator on its own: `PORT=8602 tsx sandbox/secure-endpoint/main.ts`.
 * Stops on SIGINT/SIGTERM.
 */
import { startSecureEndpointSimulator } from './simulator.js';

const port = Number(process.env.PORT ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be a port number, got "${process.env.PORT}"`);
  process.exit(2);
}

const sim = await startSecureEndpointSimulator({ port });
// The simulator's credentials are fixed demo values, not secrets.
console.log(`Secure Endpoint simulator listening on ${sim.url} (client id "${sim.clientId}", API key "${sim.apiKey}")`);

const stop = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
