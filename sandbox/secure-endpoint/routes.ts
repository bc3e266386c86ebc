/** The Secure Endpoint v1 API of the simulator: Basic auth, the hourly budget, then one route per path. */
import { SimHttpError, type SimRequest, type SimResponse } from '../common/index.js';
import type { HourlyBudget } from './budget.js';
import type { SeState, SimComputer } from './model.js';
import { envelope, errorEnvelope, single, wireActivity, wireComputer, wireEvent, withBigIds } from './wire.js';

export interface ApiContext {
  state: SeState;
  budget: HourlyBudget;
  clientId: string;
  apiKey: string;
}

/** Answers one API call. Authenticated answers, errors included, carry the `X-RateLimit-*` headers. */
export function handleApi(ctx: ApiContext, req: SimRequest): SimResponse {
  if (basicCredentials(req.headers.authorization) !== `${ctx.clientId}:${ctx.apiKey}`) {
    throw new SimHttpError(401, 'Unknown API key or Client ID');
  }
  const headers = ctx.budget.take();
  try {
    if (req.method !== 'GET') throw new SimHttpError(405, `${req.method} is not supported on ${req.path}`);
    return { status: 200, rawJson: withBigIds(route(ctx.state, req)), headers };
  } catch (error) {
    if (error instanceof SimHttpError)
      throw new SimHttpError(error.status, error.message, error.code, { ...headers, ...error.headers });
    throw error;
  }
}

function route(state: SeState, req: SimRequest): unknown {
  const path = req.path.replace(/\/+$/, '');
  const computers = [...state.computers.values()];
  if (path === '/v1/computers')
    return envelope(
      req,
      filterComputers(computers, req).map((c) => wireComputer(req.origin, c)),
    );
  if (path === '/v1/computers/activity') {
    const q = req.query.get('q');
    if (!q) throw new SimHttpError(400, 'q is required');
    return envelope(
      req,
      seenBy(state, q).map((c) => wireActivity(req.origin, c)),
    );
  }
  const guid = /^\/v1\/computers\/([A-Za-z0-9-]+)$/.exec(path)?.[1];
  if (guid !== undefined) {
    const computer = state.computers.get(guid);
    if (!computer) throw new SimHttpError(404, `no computer ${guid}`);
    return single(req, wireComputer(req.origin, computer));
  }
  if (path === '/v1/events') return envelope(req, events(state, req));
  throw new SimHttpError(404, `no such path ${path}`);
}

/** `internal_ip`, `external_ip` and `hostname[]` filters, as the API combines them (all must hold). */
function filterComputers(computers: SimComputer[], req: SimRequest): SimComputer[] {
  const internal = req.query.get('internal_ip');
  const external = req.query.get('external_ip');
  const hostnames = [...req.query.getAll('hostname[]'), ...req.query.getAll('hostname')].map((h) => h.toLowerCase());
  return computers.filter(
    (c) =>
      (internal === null || c.internalIps.includes(internal)) &&
      (external === null || c.externalIp === external) &&
      (hostnames.length === 0 || hostnames.includes(c.hostname.toLowerCase())),
  );
}

function seenBy(state: SeState, observable: string): SimComputer[] {
  const verdict = state.verdict(observable);
  return (verdict?.guids ?? []).flatMap((guid) => state.computers.get(guid) ?? []);
}

/** Threat Detected events of SHA-256 verdicts with a detection, optionally for one SHA-256. */
function events(state: SeState, req: SimRequest): unknown[] {
  const wanted = req.query.get('detection_sha256')?.toLowerCase();
  const guids = req.query.getAll('connector_guid[]');
  return [...state.verdicts]
    .filter(
      ([observable, v]) =>
        /^[0-9a-f]{64}$/.test(observable) && v.detection && (wanted === undefined || observable === wanted),
    )
    .flatMap(([sha256, verdict]) =>
      verdict.guids.flatMap((guid, index) => {
        const computer = state.computers.get(guid);
        if (!computer || (guids.length > 0 && !guids.includes(guid))) return [];
        return [wireEvent(req.origin, sha256, verdict, computer, index)];
      }),
    );
}

function basicCredentials(header: string | undefined): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  return match?.[1] === undefined ? undefined : Buffer.from(match[1], 'base64').toString('utf8');
}

/** The error body of a thrown {@link SimHttpError}. */
export function errorResponse(error: SimHttpError): SimResponse {
  return { status: error.status, json: errorEnvelope(error.status, error.message), headers: error.headers ?? {} };
}
