/**
 * Runs the Umbrella Investigate simulator on its own: `PORT=8601 tsx sandbox/umbrella/main.ts`.
 * Stops on SIGINT/SIGTERM.
 */
import { startUmbrellaSimulator } from './simulator.js';

const port = Number(process.env.PORT ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be a port number, got "${process.env.PORT}"`);
  process.exit(2);
}

const sim = await startUmbrellaSimulator({ port });
// The simulator's credentials are fixed demo values, not secrets.
console.log(`Umbrella Investigate simulator listening on ${sim.url}`);
console.log(
  `  OAuth2: baseUrl ${sim.baseUrl}, tokenUrl ${sim.tokenUrl}, key "${sim.apiKey}", secret "${sim.apiSecret}"`,
);
console.log(`  legacy: baseUrl ${sim.legacyBaseUrl}, token "${sim.legacyToken}"`);

const stop = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
