/**
 * `startDemo`: the whole zero-credential world in one process. Simulators on 127.0.0.1, people
 * and spaces, the real bot in webhook mode (or websocket mode), the web space in front, and the
 * anomaly scenario.
 * Everything it started is stopped in reverse order by `stop()`.
 */
import { rmSync } from 'node:fs';
import { decodeJwt } from 'jose';
import { resolve } from 'node:path';
import type { App } from '../../bot/app.js';
import { type SmcSimulator, startSmcSimulator } from '../smc/index.js';
import { type RelayReport, startWebSpace, type SpacePerson, type WebSpace } from '../web-space/index.js';
import { startWebexSimulator, type WebexRoom, type WebexSimulator } from '../webex/index.js';
import { QUARANTINE_GROUP_NAME, startDemoBot } from './bot.js';
import { CAST, emailsOf } from './cast.js';
import { type DemoExtra, EXTRA_MODULES } from './extras.js';
import { availablePort, DEFAULT_PORTS, lanAddress, type PortName, withPortFallback } from './ports.js';
import {
  OPENING,
  PACES,
  PROTECTED_PEER,
  type RunningScenario,
  runScenario,
  SCENARIO_EVENT_TYPE_IDS,
  SCENARIO_HOSTS,
  SCENARIO_PEERS,
} from './scenario.js';
import { seedWebex } from './seed.js';
import { DemoWorld } from './world.js';

/** The SMC simulator's default (only) tenant. */
const SMC_TENANT_ID = 102;

/** Options of {@link startDemo}; every one has a default fit for `npm run demo`. */
export interface DemoOptions {
  /** Ports per server (0: any free one). Defaults: {@link DEFAULT_PORTS}, falling back to free ones. */
  ports?: Partial<Record<PortName, number>>;
  /** Every server, optional simulators included, on a free port (for tests). Overrides `ports`. */
  freePorts?: boolean;
  /** Interface of the web space; `0.0.0.0` lets phones on the same network open it. Default `127.0.0.1`. */
  host?: string;
  /** `live` (default) for people, `fast` for tests. */
  pace?: keyof typeof PACES;
  /** Keep raising anomalies after the opening burst (default true). */
  calm?: boolean;
  /** SQLite file of the bot's state; deleted at start, since the simulated world starts afresh. Default `./data/demo.sqlite`. */
  stateFile?: string;
  /** SMC poll interval of the bot, in seconds. Default 2. */
  pollSeconds?: number;
  /** Bot log level. Default `warn`. */
  logLevel?: string;
  /** Where bot log lines go. Default: stderr. */
  print?(line: string): void;
  /** More bot environment, over the demo's and the simulators' (tests: e.g. `VIRUSTOTAL_PER_MINUTE`). */
  botEnv?: Record<string, string>;
  /** How Webex events reach the bot: `webhook` (default) or `websocket` (no webhook URL; device + Mercury). */
  transport?: 'webhook' | 'websocket';
}

/** A running demo. */
export interface Demo {
  /** The one URL to open (with `host: '0.0.0.0'`, on this machine's LAN address). */
  readonly url: string;
  readonly webex: WebexSimulator;
  readonly smc: SmcSimulator;
  readonly bot: App;
  readonly webSpace: WebSpace;
  readonly people: readonly SpacePerson[];
  readonly alertRoom: WebexRoom;
  readonly scenario: RunningScenario;
  /** Stops the scenario, the bot, the web space, then the simulators. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts everything; on failure, stops what already started and rethrows. */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  process.env.WEBEX_LOG_LEVEL ??= 'silent';
  const ports = options.freePorts ? { web: 0, webex: 0, smc: 0, bot: 0 } : { ...DEFAULT_PORTS, ...options.ports };
  const print = options.print ?? ((line: string) => process.stderr.write(`${line}\n`));
  const stateFile = resolve(options.stateFile ?? './data/demo.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${stateFile}${suffix}`, { force: true });

  const cleanups: Array<() => Promise<unknown>> = [];
  const stopAll = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => print(`demo: error while stopping: ${String(error)}`));
    }
  };
  try {
    const smc = await withPortFallback(ports.smc, (port) => startSmcSimulator({ port, pollsUntilComplete: 1 }));
    cleanups.push(() => smc.close());
    const webex = await withPortFallback(ports.webex, (port) => startWebexSimulator({ port }));
    cleanups.push(() => webex.close());
    const extras: DemoExtra[] = [];
    for (const module of EXTRA_MODULES) {
      const preferred = options.freePorts ? 0 : module.defaultPort;
      const extra = await withPortFallback(preferred, (port) =>
        module.start({ port, peers: SCENARIO_PEERS, hosts: SCENARIO_HOSTS, opening: OPENING }),
      );
      extras.push(extra);
      cleanups.push(() => extra.close());
    }

    const { people, alertRoom } = await seedWebex(webex, CAST);
    const world = new DemoWorld(smc, SMC_TENANT_ID, QUARANTINE_GROUP_NAME, extras);
    const botPort = await availablePort(ports.bot);
    // The relay module, served by the bot, called as XDR would call it (with a JWT the XDR simulator signs).
    const relayAudience = `http://127.0.0.1:${botPort}/relay`;
    const mint = extras.find((extra) => extra.mintRelayToken)?.mintRelayToken;

    const webSpace = await withPortFallback(ports.web, (port) =>
      startWebSpace({
        webexUrl: webex.url,
        port,
        host: options.host,
        space: () => ({
          title: 'SNA ChatOps demo',
          bot: { id: webex.bot.id, displayName: webex.bot.displayName, email: webex.bot.emails[0] ?? '' },
          alertRoom: { id: alertRoom.id, title: alertRoom.title },
          people,
          defaultPersonId: people[0]?.id ?? '',
        }),
        world: () => world.panels(),
        hostReport: (ip) => Promise.resolve(world.hostReport(ip)),
        relayReport: mint ? (ip) => relayReport(ip, relayAudience, (aud) => mint(aud, RELAY_DEMO_CLAIMS)) : undefined,
      }),
    );
    cleanups.push(() => webSpace.close());
    const url =
      options.host === '0.0.0.0' ? webSpace.url.replace('127.0.0.1', lanAddress() ?? '127.0.0.1') : webSpace.url;

    const bot = await startDemoBot({
      token: webex.bot.token,
      webexApiUrl: webex.apiUrl,
      alertRoomId: alertRoom.id,
      port: botPort,
      smc: { url: smc.url, username: smc.username, password: smc.password },
      eventTypeIds: SCENARIO_EVENT_TYPE_IDS,
      pollSeconds: options.pollSeconds ?? 2,
      hostUrlTemplate: `${url}smc/host/{ip}`,
      stateUrl: `sqlite://${stateFile}`,
      operators: emailsOf('operator'),
      responders: emailsOf('responder'),
      protectedRanges: PROTECTED_PEER,
      logLevel: options.logLevel ?? 'warn',
      transport: options.transport ?? 'webhook',
      print,
      extraEnv: Object.assign(
        {},
        ...extras.map((extra) => extra.env),
        mint ? { RELAY_ENABLED: 'true', RELAY_AUDIENCE: relayAudience } : {},
        options.botEnv,
      ) as Record<string, string>,
      extraSecrets: extras.flatMap((extra) => extra.secrets ?? []),
    });
    cleanups.push(() => bot.stop());

    const scenario = runScenario({ smc, pace: PACES[options.pace ?? 'live'], calm: options.calm });
    cleanups.push(async () => scenario.stop());

    let stopping: Promise<void> | undefined;
    return {
      url,
      webex,
      smc,
      bot,
      webSpace,
      people,
      alertRoom,
      scenario,
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The XDR user the demo's relay calls carry (audited as "XDR: analyst@soc.example" when it acts). */
const RELAY_DEMO_CLAIMS = { email: 'analyst@soc.example' };

/** Calls the bot's relay about `ip` as XDR would: observe, refer and respond, one fresh JWT. */
async function relayReport(
  ip: string,
  audience: string,
  mint: (audience: string) => Promise<string>,
): Promise<RelayReport> {
  const token = await mint(audience);
  const body = JSON.stringify([{ type: ip.includes(':') ? 'ipv6' : 'ip', value: ip }]);
  const answers = await Promise.all(
    ['/observe/observables', '/refer/observables', '/respond/observables'].map(async (endpoint) => {
      const res = await fetch(`${audience}${endpoint}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
      return { endpoint, status: res.status, body: (await res.json()) as unknown };
    }),
  );
  return { ip, claims: decodeJwt(token), answers };
}
