/**
 * The XDR simulator: IROH (token, inspect, enrich) and CTIA (private intelligence) on one real HTTP
 * server on 127.0.0.1, speaking the contract of api-contracts.md §2–4, with a control surface for
 * tests and demos (in-process, and over HTTP under `/_sim/`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { FEED_VIEW_ROUTE, serveFeedView } from './ctia/feed-view.js';
import { handleCtia } from './ctia/routes.js';
import { CONTROL_PREFIX, handleControl, type SimInfo } from './control-routes.js';
import type { FaultMatch } from './faults.js';
import {
  notFound,
  parseJsonBody,
  readRequest,
  SimHttpError,
  type SimRequest,
  type SimResponse,
  writeResponse,
} from './http.js';
import {
  failInputSchema,
  failModuleInputSchema,
  latencyInputSchema,
  parseInput,
  rateLimitInputSchema,
  tokenTtlInputSchema,
} from './inputs.js';
import { handleIroh } from './iroh/routes.js';
import { JWKS_PATH, RelayKeys, type RelayTokenInput, relayTokenInputSchema } from './relay-keys.js';
import { MODULES, type SimDisposition } from './iroh/modules.js';
import { type SimCall, XdrSimState, type XdrSimSnapshot } from './state.js';

/** Options of {@link startXdrSimulator}. */
export interface XdrSimulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default a fixed demo id of the form `client-<uuid>`. */
  clientId?: string;
  /** Default a fixed demo secret. */
  clientSecret?: string;
  /** `expires_in` of issued tokens. Default 600. */
  tokenTtlSeconds?: number;
  /** The org id put in every entity's `groups`. */
  orgId?: string;
  /** TLP of entities created without one. Default `green` (CTIA's open-source default). */
  defaultTlp?: 'white' | 'green' | 'amber' | 'red';
  /** The hourly org quota reported in `X-Ratelimit-Org-Limit` (never enforced). Default 8000. */
  rateLimitPerHour?: number;
  /** Largest bundle accepted. Default 1000. */
  maxBundleEntities?: number;
  /**
   * Base of entity ids, e.g. `https://private.intel.amp.cisco.com:443` for production-looking ids.
   * Default the simulator's own URL (ids then carry its explicit port, as CTIA's carry `:443`).
   * Feed view URLs always point at the simulator.
   */
  idBaseUrl?: string;
  /** The simulator's clock (token expiry, validity, timestamps). Default `Date.now`. */
  now?: () => number;
}

/** A running simulator. Every control method has an HTTP twin under `/_sim/`. */
export interface XdrSimulator {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** IROH base URL (same server): the client's `apiUrl`. */
  readonly irohUrl: string;
  /** CTIA base URL (same server): the client's `privateIntelUrl`. */
  readonly privateIntelUrl: string;
  readonly port: number;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The enrichment modules' names. */
  readonly modules: readonly string[];
  /** Where XDR publishes the keys it signs relay JWTs with (`RELAY_JWKS_URL` for a relay under test). */
  readonly jwksUrl: string;
  /** The `kid` of the current relay signing key. */
  readonly relayKid: string;
  /** A relay JWT as XDR sends it, or a wrong one by `variant` (`POST /_sim/relay/tokens`). */
  mintRelayToken(input: RelayTokenInput): Promise<string>;
  /** A new relay signing key (new `kid`); `retire` drops the old ones from the JWKS (`POST /_sim/relay/rotate`). */
  rotateRelayKey(retire?: boolean): Promise<string>;
  /** Every API request answered, oldest first (`GET /_sim/calls`). */
  readonly calls: readonly SimCall[];
  /** Makes every token issued so far answer 401; returns how many were valid (`POST /_sim/tokens/expire`). */
  expireTokens(): number;
  /** `expires_in` of tokens issued from now on (`PUT /_sim/tokens/ttl {seconds}`). */
  setTokenTtl(seconds: number): void;
  /**
   * What a module says about an observable (`POST /_sim/verdicts {observable, disposition, module?, reason?}`).
   * The module defaults to AMP File Reputation for hashes, Talos Intelligence otherwise.
   */
  setVerdict(
    observable: { type: string; value: string },
    verdict: { disposition: SimDisposition; module?: string; reason?: string },
  ): void;
  /** The module answers with an `errors[]` entry inside a 200 until restored (`POST /_sim/modules/fail`). */
  failModule(module: string, message: string): void;
  /** `POST /_sim/modules/restore {module}`. */
  restoreModule(module: string): void;
  /** Delays matching API calls by `ms`; 0 removes the delay (`POST /_sim/latency {ms, match?}`). */
  setLatency(ms: number, match?: FaultMatch): void;
  /** The next `count` matching API calls answer 429 with `Retry-After: retryAfter` (`POST /_sim/faults/rate-limit`). */
  rateLimitNext(count: number, retryAfter: number | string, match?: FaultMatch): void;
  /** The next `count` matching API calls answer `status` (`POST /_sim/faults/fail`). */
  failNext(count: number, status: number, match?: FaultMatch): void;
  /** Drops pending faults and latency (`DELETE /_sim/faults`). */
  clearFaults(): void;
  /** Forgets recorded calls (`DELETE /_sim/calls`). */
  clearCalls(): void;
  /** Back to the initial state (`POST /_sim/reset`). */
  reset(): void;
  /** Entities, tokens, verdicts, module failures and pending faults (`GET /_sim/state`). */
  state(): XdrSimSnapshot;
  close(): Promise<void>;
}

const DEMO_CLIENT_ID = 'client-5eed5eed-0000-4000-8000-00000000a001';
const DEMO_CLIENT_SECRET = 'sim-xdr-demo-secret-not-for-production';
const TOKEN_PATH = '/iroh/oauth2/token';

/** Starts a simulator on 127.0.0.1. */
export async function startXdrSimulator(options: XdrSimulatorOptions = {}): Promise<XdrSimulator> {
  let url = '';
  const now = options.now ?? Date.now;
  const rateLimit = options.rateLimitPerHour ?? 8000;
  const maxBundleEntities = options.maxBundleEntities ?? 1000;
  const state = new XdrSimState({
    clientId: options.clientId ?? DEMO_CLIENT_ID,
    clientSecret: options.clientSecret ?? DEMO_CLIENT_SECRET,
    orgId: options.orgId ?? 'org-5eed5eed-0000-4000-8000-00000000b001',
    tokenTtlSeconds: options.tokenTtlSeconds ?? 600,
    defaultTlp: options.defaultTlp ?? 'green',
    now,
    idBaseUrl: () => options.idBaseUrl?.replace(/\/+$/, '') ?? url,
  });
  const relayKeys = new RelayKeys();
  await relayKeys.init();
  const info = (): SimInfo => ({
    url,
    irohUrl: url,
    privateIntelUrl: url,
    clientId: state.settings.clientId,
    clientSecret: state.settings.clientSecret,
    modules: MODULES.map((m) => m.name),
  });

  const answerApi = async (request: SimRequest): Promise<SimResponse> => {
    const latency = state.faults.latencyFor(request.method, request.path);
    if (latency > 0) await delay(latency);
    const fault = state.faults.take(request.method, request.path);
    if (fault) return fault;
    if (request.path === TOKEN_PATH && request.method === 'POST') return state.tokens.grant(request);
    if (request.path === JWKS_PATH && request.method === 'GET') return { status: 200, json: relayKeys.jwks() };
    if (FEED_VIEW_ROUTE.test(request.path) && request.method === 'GET') {
      return serveFeedView(state.store, request, now());
    }
    const isIroh = request.path.startsWith('/iroh/');
    if (!isIroh && !request.path.startsWith('/ctia/')) throw notFound(`route ${request.method} ${request.path}`);
    const principal = state.tokens.authenticate(request);
    if (isIroh) return handleIroh(request, { table: state.table, store: state.store, now: now() });
    return handleCtia(request, {
      store: state.store,
      principal,
      publicUrl: url,
      now: now(),
      maxBundleEntities,
    });
  };

  const respond = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://sim.invalid').pathname;
    const isControl = path.startsWith(CONTROL_PREFIX);
    let response: SimResponse;
    try {
      const request = await readRequest(req);
      response = isControl
        ? ((await relayControl(relayKeys, request)) ?? handleControl(state, request, info))
        : await answerApi(request);
    } catch (error) {
      response =
        error instanceof SimHttpError
          ? error.toResponse()
          : { status: 500, json: { type: 'unknown-exception', class: 'simulator', message: String(error) } };
    }
    if (!isControl) {
      const remaining = state.consumeQuota(rateLimit);
      response = {
        ...response,
        headers: {
          ...response.headers,
          'X-Ratelimit-Org-Limit': String(rateLimit),
          'X-Ratelimit-Org-Remaining': String(remaining),
        },
      };
      state.record({
        method: (req.method ?? 'GET').toUpperCase(),
        path,
        status: response.status,
        time: new Date(now()).toISOString(),
      });
    }
    writeResponse(res, response);
  };

  const server: Server = createServer((req, res) => {
    void respond(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;

  return {
    url,
    irohUrl: url,
    privateIntelUrl: url,
    port,
    clientId: state.settings.clientId,
    clientSecret: state.settings.clientSecret,
    modules: MODULES.map((m) => m.name),
    jwksUrl: `${url}${JWKS_PATH}`,
    get relayKid() {
      return relayKeys.currentKid;
    },
    mintRelayToken: (input) => relayKeys.mint(input),
    rotateRelayKey: (retire) => relayKeys.rotate(retire),
    get calls() {
      return [...state.calls];
    },
    expireTokens: () => state.tokens.expireAll(),
    setTokenTtl: (seconds) => {
      state.tokens.ttlSeconds = parseInput(tokenTtlInputSchema, { seconds }).seconds;
    },
    setVerdict: (observable, verdict) => state.setVerdict({ observable, ...verdict }),
    failModule: (module, message) => {
      const input = parseInput(failModuleInputSchema, { module, message });
      state.table.fail(input.module, input.message);
    },
    restoreModule: (module) => state.table.restore(module),
    setLatency: (ms, match) => {
      const input = parseInput(latencyInputSchema, { ms, match });
      state.faults.setLatency(input.ms, input.match);
    },
    rateLimitNext: (count, retryAfter, match) => {
      const input = parseInput(rateLimitInputSchema, { count, retryAfter, match });
      state.faults.rateLimitNext(input.count, input.retryAfter, input.match);
    },
    failNext: (count, status, match) => {
      const input = parseInput(failInputSchema, { count, status, match });
      state.faults.failNext(input.count, input.status, input.match);
    },
    clearFaults: () => state.faults.clear(),
    clearCalls: () => {
      state.calls = [];
    },
    reset: () => {
      state.reset();
      relayKeys.reset();
    },
    state: () => state.snapshot(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections from fetch would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

/** `POST /_sim/relay/tokens` and `POST /_sim/relay/rotate` (signing is asynchronous); others: undefined. */
async function relayControl(keys: RelayKeys, request: SimRequest): Promise<SimResponse | undefined> {
  const route = `${request.method} ${request.path.replace(/\/+$/, '')}`;
  if (route === 'POST /_sim/relay/tokens') {
    const input = parseInput(relayTokenInputSchema, request.body.trim() === '' ? {} : parseJsonBody(request.body));
    return { status: 200, json: { token: await keys.mint(input) } };
  }
  if (route === 'POST /_sim/relay/rotate') {
    const retire = request.query.get('retire') === 'true';
    return { status: 200, json: { kid: await keys.rotate(retire) } };
  }
  return undefined;
}
