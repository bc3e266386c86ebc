/**
 * Composition root: config → state → clients → framework → router → poller and outbox.
 * Everything the bot runs is built here, in this order, and stopped in reverse.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FetchLike } from '../integrations/http.js';
import { WebexRestClient } from '../integrations/webex/client.js';
import { actions } from './actions/index.js';
import type { AlertSpaceMembers } from './auth/alert-space.js';
import { buildServices } from './build-services.js';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { Metrics } from './metrics.js';
import { metricsRoute } from './metrics-route.js';
import { pushRoute } from './push/route.js';
import { JwksCache } from './relay/jwks.js';
import { relayRoute } from './relay/routes.js';
import { relaySmc } from './relay/smc.js';
import { VERSION } from './relay/version.js';
import { resumeApprovals } from './response/run-block.js';
import { Router } from './router/router.js';
import type { Services } from './services.js';
import { openStateStore, type StateStore } from './state/store.js';
import { attachRouter } from './webex/adapter.js';
import { WebexAlertSink } from './webex/alert-sink.js';
import { startSweeper } from './state/sweeper.js';
import { type FrameworkLike, loadFramework } from './webex/framework.js';
import { isOwnMessageEvent } from './webex/own-messages.js';
import { cachePeopleLookups } from './webex/people-cache.js';
import { repairSdk } from './webex/sdk-repairs.js';
import { answerFirstMessages } from './webex/first-message.js';
import { createHttpApp } from './webex/receiver.js';
import { WebexStartError, webexStartFailure, withTimeout } from './webex/start-failure.js';
import { followWebsocket, type WebsocketLink } from './webex/websocket.js';

export interface App {
  /** Base URL of the bot's own HTTP server. */
  readonly url: string;
  readonly services: Services;
  readonly framework: FrameworkLike;
  stop(): Promise<void>;
}

export interface AppDeps {
  log: Logger;
  /** Transport for the SMC; defaults to one honouring SNA_TLS_VERIFY / SNA_CA_FILE. */
  snaFetch?: FetchLike;
  now?: () => Date;
  /** Longest wait for Webex at start (identity, and in websocket mode the device and socket). */
  webexStartTimeoutMs?: number;
}

/** How long the bot waits for Webex at start before it gives up with a clear error. */
export const WEBEX_START_TIMEOUT_MS = 60_000;

/** Builds and starts the bot. Resolves once the framework is initialized and serving. */
export async function startApp(config: Readonly<Config>, deps: AppDeps): Promise<App> {
  const { log } = deps;
  const now = deps.now ?? (() => new Date());
  const state = await openStateStore(config.stateUrl, config.stateNamespace, {
    lockTtlMs: config.lockSeconds * 1000,
  });
  const cleanups: Array<() => Promise<unknown>> = [() => state.close()];
  try {
    return await assemble(config, deps, state, now, cleanups);
  } catch (err) {
    await runCleanups(cleanups, log);
    throw err;
  }
}

async function assemble(
  config: Readonly<Config>,
  deps: AppDeps,
  state: StateStore,
  now: () => Date,
  cleanups: Array<() => Promise<unknown>>,
): Promise<App> {
  const { log } = deps;
  for (const warning of config.warnings) log.warn(warning);
  const metrics = new Metrics();
  state.onInvalidRecord = (namespace, key, problems) =>
    log.warn({ namespace, key, problems }, 'a stored record does not match its schema; it is read as absent');
  const mode = config.webex.webhookUrl ? 'webhook' : 'websocket';
  const { createFramework, webhookHandler } = await loadFramework(config.webex);
  const framework = createFramework({
    token: config.webex.token,
    ...(config.webex.webhookUrl
      ? { webhookUrl: config.webex.webhookUrl, webhookSecret: config.webex.webhookSecret }
      : {}),
    messageFormat: 'markdown',
    // Only this bot's own webhooks (same URL host and bot) are replaced at start, not every webhook of the token.
    removeWebhooksOnStart: false,
  });
  framework.on('log', () => {});
  answerFirstMessages(framework, log.child({ part: 'webex' }));

  const rest = new WebexRestClient({
    apiUrl: config.webex.apiUrl,
    token: config.webex.token,
    fetch: metrics.instrument('webex'),
  });
  const sink = new WebexAlertSink({
    roomId: config.webex.alertRoomId,
    apiUrl: config.webex.apiUrl,
    botForRoom: (roomId) => framework.getBotByRoomId(roomId),
    rest,
    log: log.child({ part: 'alert-sink' }),
  });
  const built = buildServices(
    config,
    { log, metrics, sink, listMembers: (roomId) => rest.listRoomMembers(roomId), snaFetch: deps.snaFetch },
    state,
    now,
  );
  cleanups.unshift(() => built.stop());
  const { services, pipeline, sna, tenantId } = built;
  const { outbox, leadership, poller } = services;
  watchAlertSpace(framework, built.members, log.child({ part: 'roles' }));

  const router = new Router({
    commands: services.commands,
    actions,
    services,
    log: log.child({ part: 'router' }),
    botIdentity: () => ({ id: framework.person?.id ?? '', displayName: framework.person?.displayName ?? 'SNA Bot' }),
  });
  attachRouter(framework, router, log.child({ part: 'webex' }));

  const handleWebhook = webhookHandler(framework);
  // Websocket mode: the SDK's socket, followed from start (undefined in webhook mode).
  let socket: WebsocketLink | undefined;
  const webexUp = () => framework.initialized && (socket === undefined || socket.state() === 'connected');
  const http = createHttpApp({
    webhookPath: config.webex.webhookUrl ? new URL(config.webex.webhookUrl).pathname : undefined,
    webhookSecret: config.webex.webhookSecret,
    onEvent: (event) => {
      // The bot's own posts come back as webhooks too; the framework would fetch each one to drop it.
      if (isOwnMessageEvent(event.body, framework.person?.id)) return;
      handleWebhook(event);
    },
    // Liveness stays 200 while degraded (restarting would not bring Redis back); readiness does not.
    health: async () => {
      const stateUp = await state.ping();
      return {
        ok: true,
        status: webexUp() && stateUp ? 'ok' : 'degraded',
        webex: !framework.initialized ? 'starting' : socket ? socket.state() : 'ready',
        state: stateUp ? 'up' : 'unreachable',
        role: leadership.isLeader ? 'leader' : 'standby',
        outbox: stateUp ? await outbox.size().catch(() => null) : null,
      };
    },
    ready: async () => {
      const stateUp = await state.ping();
      return { ok: webexUp() && stateUp, webex: webexUp(), state: stateUp };
    },
    log: log.child({ part: 'http' }),
    routes: [
      metricsRoute(metrics),
      ...(config.relay && sna && tenantId
        ? [
            relayRoute({
              config: config.relay,
              services,
              smc: relaySmc(sna, tenantId),
              jwks: new JwksCache({ url: config.relay.jwksUrl, fetch: metrics.instrument('xdr') }),
              hostUrl: (ip) => hostUrl(config.sna?.hostUrlTemplate, ip),
              version: VERSION,
              log: log.child({ part: 'relay' }),
            }),
          ]
        : []),
      ...(config.snaWebhookToken
        ? [
            pushRoute({
              token: config.snaWebhookToken,
              pipeline,
              tenantKey: async () =>
                poller ? (await poller.context()).tenantKey : String(config.sna?.tenantId ?? 'push'),
              typeNames: async () => (poller ? (await poller.context()).names : new Map()),
              log: log.child({ part: 'push' }),
              now,
              onAccepted: (count) => metrics.inc('sna_chatops_events_total', { path: 'push' }, count),
            }),
          ]
        : []),
    ],
  });
  const server = await listen(http, config.port);
  cleanups.unshift(() => closeServer(server));

  const starting = framework.start();
  // start() has created the SDK synchronously; no event can have been handled yet.
  repairSdk(framework, log.child({ part: 'webex' }), (kind, outcome) =>
    metrics.inc('sna_chatops_webex_incoming_fetch_failures_total', { kind, outcome }),
  );
  if (!cachePeopleLookups(framework, { now: () => now().getTime() }))
    log.warn('the Webex SDK has no people.get to cache: every event looks its person up');
  if (mode === 'websocket') socket = followWebsocket(framework, log.child({ part: 'webex' }));
  const timeoutMs = deps.webexStartTimeoutMs ?? WEBEX_START_TIMEOUT_MS;
  try {
    await withTimeout(
      starting,
      timeoutMs,
      () =>
        new WebexStartError(
          mode === 'websocket'
            ? `Webex did not accept the bot's device and event websocket within ${timeoutMs / 1000} s: check that outbound HTTPS and websockets to Webex are allowed (docs/deploy-websocket.md)`
            : `Webex did not answer within ${timeoutMs / 1000} s`,
        ),
    );
  } catch (err) {
    // Stop the SDK's reconnection attempts and give back a device registered on the way.
    await socket?.close({ unregister: true }).catch(() => undefined);
    throw err instanceof WebexStartError ? err : webexStartFailure(err, mode);
  }
  cleanups.unshift(async () => {
    if (mode === 'websocket') {
      // Websocket mode: this process's own device and socket. Close the socket first (the
      // framework only unregisters the device), whatever the state store.
      await socket?.close();
      await framework.stop();
      return;
    }
    // With several replicas (Redis) the webhooks are shared: a replica that stops must not
    // delete them from under the others. A single bot removes its webhooks on a clean stop.
    if (state.kind !== 'redis') await framework.stop();
  });
  await waitFor(() => framework.initialized, 30_000, 'the Webex framework did not initialize');
  log.info({ mode, bot: framework.person?.displayName, state: state.kind }, 'bot is ready');

  metrics.gauge('sna_chatops_outbox_depth', 'Cards waiting for Webex.', () => outbox.size());
  metrics.gauge('sna_chatops_leader', '1 when this replica polls and delivers.', async () =>
    leadership.isLeader ? 1 : 0,
  );
  metrics.gauge('sna_chatops_state_up', '1 when the state store answers.', async () => ((await state.ping()) ? 1 : 0));
  if (socket) {
    const link = socket;
    metrics.gauge('sna_chatops_webex_websocket_up', '1 while the Webex event websocket is connected.', async () =>
      link.state() === 'connected' ? 1 : 0,
    );
  }
  leadership.onChange((leading) => {
    if (leading) outbox.kick();
  });
  await leadership.start();
  cleanups.unshift(() => leadership.stop());
  outbox.start();
  // Approvals whose block may not have run (the bot died between the approval and XDR) are finished.
  void resumeApprovals(services, log.child({ part: 'approvals' })).catch((err: unknown) =>
    log.error({ err }, 'could not look for approved blocks left unfinished'),
  );
  const sweeper = startSweeper(state, log.child({ part: 'state' }));
  cleanups.unshift(async () => sweeper.stop());
  if (poller) {
    poller.start();
    cleanups.unshift(() => poller.stop());
  }
  if (sna) cleanups.push(() => sna.logout());

  const address = server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${address.port}`,
    services,
    framework,
    stop: () => {
      stopping ??= runCleanups(cleanups, log);
      return stopping;
    },
  };
}

/** Someone joined, left or changed role in the alert space: its member list is fetched again. */
function watchAlertSpace(framework: FrameworkLike, members: AlertSpaceMembers, log: Logger): void {
  const changed = (membership: { roomId?: string } | undefined) => {
    if (membership?.roomId !== members.roomId) return;
    members.invalidate().catch((err: unknown) => log.warn({ err }, 'could not forget the alert space members'));
  };
  for (const event of ['membershipCreated', 'membershipUpdated', 'membershipDeleted'] as const) {
    framework.on(event, changed);
  }
}

/** The SMC's page of a host, from SNA_HOST_URL_TEMPLATE. */
function hostUrl(template: string | undefined, ip: string): string | undefined {
  return template ? template.replaceAll('{ip}', encodeURIComponent(ip)) : undefined;
}

async function runCleanups(cleanups: Array<() => Promise<unknown>>, log: Logger): Promise<void> {
  for (const cleanup of cleanups) {
    await cleanup().catch((err: unknown) => log.warn({ err }, 'error while shutting down'));
  }
}

function listen(app: ReturnType<typeof createHttpApp>, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, '0.0.0.0', () => resolve(server));
    server.once('error', reject);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

async function waitFor(check: () => boolean, timeoutMs: number, message: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((r) => setTimeout(r, 20));
  }
}
