/**
 * Runs the SMC simulator on its own: `PORT=8443 tsx sandbox/smc/main.ts`.
 * Stops on SIGINT/SIGTERM.
 */
import { startSmcSimulator } from './simulator.js';

const port = Number(process.env.PORT ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be a port number, got "${process.env.PORT}"`);
  process.exit(2);
}

const sim = await startSmcSimulator({ port });
// The simulator's credentials are fixed demo values, not secrets.
console.log(`SMC simulator listening on ${sim.url} (user "${sim.username}", password "${sim.password}")`);

const stop = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
