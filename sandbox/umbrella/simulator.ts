/**
 * The Umbrella Investigate simulator: a real HTTP server on 127.0.0.1 speaking api-contracts.md §5
 * (token endpoint, `/investigate/v2/...`, legacy root paths, `{message}` errors, 429 without
 * `Retry-After` unless asked), with a control surface for tests and demos.
 */
import { z } from 'zod';
import {
  type Fault,
  parseInput,
  parseJsonBody,
  type SimControls,
  SimHttpError,
  type SimRequest,
  type SimResponse,
  extendControls,
  startSimServer,
} from '../common/index.js';
import { handleApi, TOKEN_PATH, V2_PREFIX } from './routes.js';
import { TokenStore } from './tokens.js';
import { DEMO_VERDICTS, domainVerdictSchema, type SimDomainVerdict, VerdictTable } from './verdicts.js';

/** Options of {@link startUmbrellaSimulator}. */
export interface UmbrellaSimulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default `sim-umbrella-key`. */
  apiKey?: string;
  /** Default `sim-umbrella-secret`. */
  apiSecret?: string;
  /** The legacy Investigate token. Default `sim-umbrella-legacy-token`. */
  legacyToken?: string;
  /** Lifetime of issued OAuth2 tokens. Default 3600. */
  tokenTtlSeconds?: number;
  /** Verdicts present at start and after `reset()`. Default {@link DEMO_VERDICTS}; `{}` for none. */
  verdicts?: Readonly<Record<string, SimDomainVerdict>>;
}

/** A running simulator. Every control has an HTTP twin under `/_sim/`. */
export interface UmbrellaSimulator extends SimControls {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly legacyToken: string;
  /** `<url>/investigate/v2`: the client's `baseUrl` with OAuth2. */
  readonly baseUrl: string;
  /** `<url>/auth/v2/token` */
  readonly tokenUrl: string;
  /** `<url>`: the client's `baseUrl` with the legacy token. */
  readonly legacyBaseUrl: string;
  /** Sets the answer for a domain (`POST /_sim/verdicts` with `{domain, ...verdict}`). */
  setVerdict(domain: string, verdict: SimDomainVerdict): void;
  /** Expires every OAuth2 token, so the next API call gets a 401 (`POST /_sim/expire-tokens`). */
  expireTokens(): number;
  /** Verdicts, live tokens and tokens issued (`GET /_sim/state`). */
  state(): Record<string, unknown>;
}

/** `POST /_sim/verdicts` */
const verdictRequestSchema = domainVerdictSchema.extend({ domain: z.string().min(1).max(253) });

/** Starts a simulator on 127.0.0.1. */
export async function startUmbrellaSimulator(options: UmbrellaSimulatorOptions = {}): Promise<UmbrellaSimulator> {
  const apiKey = options.apiKey ?? 'sim-umbrella-key';
  const apiSecret = options.apiSecret ?? 'sim-umbrella-secret';
  const legacyToken = options.legacyToken ?? 'sim-umbrella-legacy-token';
  const tokens = new TokenStore({ apiKey, apiSecret, ttlSeconds: options.tokenTtlSeconds ?? 3600 });
  const verdicts = new VerdictTable(options.verdicts ?? DEMO_VERDICTS);
  const ctx = { tokens, verdicts, legacyToken };
  const state = (): Record<string, unknown> => ({
    verdicts: Object.fromEntries(verdicts.domains().map((d) => [d, verdicts.get(d)])),
    tokensIssued: tokens.issued,
  });

  const server = await startSimServer(
    {
      api: (req) => handleApi(ctx, req),
      control: (req) => control(req),
      errorResponse,
      faultResponse,
      reset: () => {
        tokens.reset();
        verdicts.reset();
      },
      state,
    },
    options.port,
  );

  function control(req: SimRequest): SimResponse | undefined {
    const route = `${req.method} ${req.path.replace(/\/+$/, '')}`;
    if (route === 'POST /_sim/verdicts') {
      const { domain, ...verdict } = parseInput(verdictRequestSchema, parseJsonBody(req.body));
      verdicts.set(domain, verdict);
      return { status: 204 };
    }
    if (route === 'POST /_sim/expire-tokens') return { status: 200, json: { expired: tokens.expireAll() } };
    return undefined;
  }

  return extendControls(server, {
    apiKey,
    apiSecret,
    legacyToken,
    baseUrl: `${server.url}${V2_PREFIX}`,
    tokenUrl: `${server.url}${TOKEN_PATH}`,
    legacyBaseUrl: server.url,
    setVerdict: (domain: string, verdict: SimDomainVerdict) => verdicts.set(domain, verdict),
    expireTokens: () => tokens.expireAll(),
    state,
  });
}

/** Investigate's documented error body: `{"message": "…"}`. */
function errorResponse(error: SimHttpError): SimResponse {
  return { status: error.status, json: { message: error.message }, headers: error.headers ?? {} };
}

/** A 429 carries `Retry-After` only when the test asked for one: Umbrella documents none. */
function faultResponse(fault: Fault): SimResponse {
  const message = fault.status === 429 ? 'Too Many Requests' : 'Simulated failure';
  const headers: Record<string, string> =
    fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) };
  return errorResponse(new SimHttpError(fault.status, message, undefined, headers));
}
