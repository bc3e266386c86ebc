/**
 * `npm start`: reads the environment (and `.env` when present), starts the bot, and stops
 * it cleanly on SIGINT/SIGTERM. A bad configuration exits with status 2 listing every problem.
 */
import { existsSync } from 'node:fs';
import { startApp } from './app.js';
import { ConfigError, loadConfig, SECRET_VARS } from './config.js';
import { createLogger } from './log.js';

if (existsSync('.env')) process.loadEnvFile('.env');

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n\nSee .env.example and the README's configuration table.\n`);
    process.exit(2);
  }
  throw err;
}

const secrets = SECRET_VARS.map((name) => process.env[name]).filter((v): v is string => Boolean(v));
const log = createLogger({ level: config.logLevel, secrets });

process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));

try {
  const app = await startApp(config, { log });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    app.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
} catch (err) {
  log.fatal({ err }, 'the bot could not start');
  process.exit(1);
}
