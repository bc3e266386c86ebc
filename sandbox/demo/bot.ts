/**
 * The real bot, in this process, against the simulators, in webhook mode or (`transport:
 * 'websocket'`) websocket mode, where it registers a device and listens on the simulated Mercury
 * websocket and no webhook exists: configured through
 * `loadConfig` from an environment like any deployment's, and logging to the terminal in short
 * lines instead of JSON.
 */
import { randomBytes } from 'node:crypto';
import { type App, startApp } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/log.js';

/** The SMC host group the bot's Tag action puts hosts in (`SNA_TAG_NAME`). */
export const QUARANTINE_GROUP_NAME = 'SNA ChatOps Quarantine';

/** SNA's built-in "Inside Hosts" group: the parent of the quarantine group (`SNA_TAG_PARENT_ID`). */
const INSIDE_HOSTS_GROUP_ID = 1;

/** Everything the bot needs to know about the demo world. */
export interface DemoBotSettings {
  token: string;
  webexApiUrl: string;
  alertRoomId: string;
  port: number;
  smc: { url: string; username: string; password: string };
  eventTypeIds: readonly number[];
  pollSeconds: number;
  hostUrlTemplate: string;
  stateUrl: string;
  operators: string;
  responders: string;
  /** `PROTECTED_RANGES`: addresses Block must refuse (a partner's server in the story). */
  protectedRanges: string;
  logLevel: string;
  /** How Webex events reach the bot: signed webhooks on its port, or the SDK's websocket. */
  transport: 'webhook' | 'websocket';
  /** Where readable log lines go. */
  print(line: string): void;
  /** More environment (optional simulators). */
  extraEnv: Record<string, string>;
  /** More values the log must never show (optional simulators' secrets). */
  extraSecrets: string[];
}

/** The environment the bot is started with. */
export function demoBotEnv(settings: DemoBotSettings, webhookSecret: string): Record<string, string> {
  return {
    WEBEX_BOT_TOKEN: settings.token,
    WEBEX_API_URL: settings.webexApiUrl,
    // Websocket mode is the absence of a webhook URL.
    WEBEX_WEBHOOK_URL: settings.transport === 'webhook' ? `http://127.0.0.1:${settings.port}/webex/events` : '',
    WEBEX_WEBHOOK_SECRET: settings.transport === 'webhook' ? webhookSecret : '',
    WEBEX_ALERT_ROOM_ID: settings.alertRoomId,
    PORT: String(settings.port),
    SNA_URL: settings.smc.url,
    SNA_USERNAME: settings.smc.username,
    SNA_PASSWORD: settings.smc.password,
    SNA_EVENT_TYPES: settings.eventTypeIds.join(','),
    SNA_POLL_SECONDS: String(settings.pollSeconds),
    SNA_HOST_URL_TEMPLATE: settings.hostUrlTemplate,
    SNA_TAG_NAME: QUARANTINE_GROUP_NAME,
    SNA_TAG_PARENT_ID: String(INSIDE_HOSTS_GROUP_ID),
    STATE_URL: settings.stateUrl,
    LOG_LEVEL: settings.logLevel,
    BOT_OPERATORS: settings.operators,
    BOT_RESPONDERS: settings.responders,
    PROTECTED_RANGES: settings.protectedRanges,
    // The peer of every new incident is looked up in the enrichment simulators; its card shows the verdict.
    AUTO_ENRICH: 'true',
    // Local simulators answer at once. This also caps how long a lookup waits for VirusTotal's next
    // minute of quota (4 a minute) before the card says "quota used up" and the other sources answer.
    ENRICH_TIMEOUT_SECONDS: '5',
    ...settings.extraEnv,
  };
}

/** Starts the bot; resolves once it is initialized and serving its webhook (or connected to its websocket). */
export async function startDemoBot(settings: DemoBotSettings): Promise<App> {
  const webhookSecret = randomBytes(16).toString('hex');
  const config = loadConfig(demoBotEnv(settings, webhookSecret));
  const log = createLogger({
    level: config.logLevel,
    secrets: [settings.token, webhookSecret, settings.smc.password, ...settings.extraSecrets],
    destination: { write: (line: string) => settings.print(readableLogLine(line)) },
  });
  return startApp(config, { log });
}

/** `{"level":"warn","msg":"…","err":{"message":"…"}}` → `bot warn: … (…)`. */
export function readableLogLine(json: string): string {
  try {
    const entry = JSON.parse(json) as { level?: unknown; msg?: unknown; err?: { message?: unknown } };
    const detail = typeof entry.err?.message === 'string' && entry.err.message !== '' ? ` (${entry.err.message})` : '';
    return `bot ${String(entry.level ?? 'log')}: ${String(entry.msg ?? '')}${detail}`;
  } catch {
    return `bot: ${json.trim()}`;
  }
}
