/**
 * Runs the Webex simulator on its own: `PORT=8790 tsx sandbox/webex/main.ts`.
 * Prints the URLs to export and the bot token; stops on Ctrl-C.
 */
import { startWebexSimulator } from './simulator.js';

const port = Number(process.env.PORT ?? 0);
const simulator = await startWebexSimulator({ port: Number.isInteger(port) ? port : 0 });

process.stdout.write(
  [
    `Webex simulator listening on ${simulator.url}`,
    `  HYDRA_SERVICE_URL=${simulator.apiUrl}`,
    `  U2C_SERVICE_URL=${simulator.u2cUrl}`,
    `  WEBEX_TOKEN=${simulator.bot.token}`,
    `  bot: ${simulator.bot.displayName} <${simulator.bot.emails[0] ?? ''}> ${simulator.bot.id}`,
    `  control surface: ${simulator.url}/_sim/state`,
    '',
  ].join('\n'),
);

const stop = (): void => {
  void simulator.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
