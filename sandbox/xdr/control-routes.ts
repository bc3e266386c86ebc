/** `/_sim/...`: the simulator's control surface over HTTP (JSON, no auth), mirroring the in-process one. */
import { notFound, parseJsonBody, type SimRequest, type SimResponse } from './http.js';
import {
  failInputSchema,
  failModuleInputSchema,
  latencyInputSchema,
  parseInput,
  rateLimitInputSchema,
  restoreModuleInputSchema,
  tokenTtlInputSchema,
  type VerdictInput,
} from './inputs.js';
import { MODULES } from './iroh/modules.js';
import type { XdrSimState } from './state.js';

/** The path prefix of control calls; they are never recorded in `calls` nor subject to faults. */
export const CONTROL_PREFIX = '/_sim/';

/** Demo connection details, as `GET /_sim/info` serves them. */
export interface SimInfo {
  url: string;
  irohUrl: string;
  privateIntelUrl: string;
  clientId: string;
  clientSecret: string;
  modules: string[];
}

/** Answers one control request. */
export function handleControl(state: XdrSimState, req: SimRequest, info: () => SimInfo): SimResponse {
  const route = `${req.method} ${req.path.replace(/\/+$/, '')}`;
  switch (route) {
    case 'GET /_sim/state':
      return { status: 200, json: state.snapshot() };
    case 'GET /_sim/info':
      return { status: 200, json: info() };
    case 'GET /_sim/calls':
      return { status: 200, json: { calls: state.calls } };
    case 'DELETE /_sim/calls':
      state.calls = [];
      return { status: 204 };
    case 'POST /_sim/reset':
      state.reset();
      return { status: 204 };
    case 'POST /_sim/tokens/expire':
      return { status: 200, json: { expired: state.tokens.expireAll() } };
    case 'PUT /_sim/tokens/ttl':
      state.tokens.ttlSeconds = parseInput(tokenTtlInputSchema, body(req)).seconds;
      return { status: 204 };
    case 'POST /_sim/verdicts':
      // setVerdict validates its input with the same schema.
      state.setVerdict(body(req) as VerdictInput);
      return { status: 204 };
    case 'POST /_sim/modules/fail': {
      const { module, message } = parseInput(failModuleInputSchema, body(req));
      state.table.fail(module, message);
      return { status: 204 };
    }
    case 'POST /_sim/modules/restore':
      state.table.restore(parseInput(restoreModuleInputSchema, body(req)).module);
      return { status: 204 };
    case 'GET /_sim/modules':
      return { status: 200, json: { modules: MODULES.map((m) => m.name) } };
    case 'POST /_sim/faults/rate-limit': {
      const { count, retryAfter, match } = parseInput(rateLimitInputSchema, body(req));
      state.faults.rateLimitNext(count, retryAfter, match);
      return { status: 204 };
    }
    case 'POST /_sim/faults/fail': {
      const { count, status, match } = parseInput(failInputSchema, body(req));
      state.faults.failNext(count, status, match);
      return { status: 204 };
    }
    case 'DELETE /_sim/faults':
      state.faults.clear();
      return { status: 204 };
    case 'POST /_sim/latency': {
      const { ms, match } = parseInput(latencyInputSchema, body(req));
      state.faults.setLatency(ms, match);
      return { status: 204 };
    }
    default:
      throw notFound(`control route ${route}`);
  }
}

function body(req: SimRequest): unknown {
  return req.body.trim() === '' ? {} : parseJsonBody(req.body);
}
