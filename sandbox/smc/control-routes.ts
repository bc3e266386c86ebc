/** `/_sim/...`: the simulator's control surface over HTTP (JSON, no auth), mirroring the in-process one. */
import { parseJsonBody, SimHttpError, type SimRequest, type SimResponse } from './http.js';
import {
  failQueriesRequestSchema,
  malformedRecordRequestSchema,
  failRequestSchema,
  latencyRequestSchema,
  parseInput,
  type SimEventInput,
  type SimEventUpdate,
} from './inputs.js';
import type { SimState } from './state.js';
import type { SimFlow, SimFlowInput } from './flows.js';

/** A flow as the control surface answers it (dates as ISO strings). */
export function flowView(flow: SimFlow): Record<string, unknown> {
  return { ...flow, firstActive: flow.firstActive.toISOString(), lastActive: flow.lastActive.toISOString() };
}

/** The path prefix of control calls; they are never recorded in `calls` nor subject to `failNext`. */
export const CONTROL_PREFIX = '/_sim/';

/** Answers one control request. */
export function handleControl(state: SimState, req: SimRequest): SimResponse {
  const route = `${req.method} ${req.path.replace(/\/+$/, '')}`;
  const eventMatch = /^PATCH \/_sim\/events\/(\d+)$/.exec(route);
  // The casts are safe: addEvent and updateEvent validate their input with the same schemas.
  if (eventMatch) return { status: 200, json: state.updateEvent(Number(eventMatch[1]), body(req) as SimEventUpdate) };
  switch (route) {
    case 'POST /_sim/events':
      return { status: 201, json: state.addEvent(body(req) as SimEventInput) };
    case 'POST /_sim/flows':
      // addFlow validates its input.
      return { status: 201, json: flowView(state.addFlow(body(req) as SimFlowInput)) };
    case 'POST /_sim/expire-sessions':
      return { status: 200, json: { expired: state.expireSessions() } };
    case 'POST /_sim/fail': {
      const { count, status, ...match } = parseInput(failRequestSchema, body(req));
      state.failNext(count, status, match);
      return { status: 204 };
    }
    case 'POST /_sim/latency': {
      const { ms, ...match } = parseInput(latencyRequestSchema, body(req));
      state.setLatency(ms, match);
      return { status: 204 };
    }
    case 'POST /_sim/fail-queries':
      state.failNextQueries(parseInput(failQueriesRequestSchema, body(req)).count);
      return { status: 204 };
    case 'POST /_sim/malformed-records': {
      const { record, count } = parseInput(malformedRecordRequestSchema, body(req));
      state.addMalformedRecord(record, count);
      return { status: 204 };
    }
    case 'GET /_sim/calls':
      return { status: 200, json: { calls: state.calls } };
    case 'DELETE /_sim/calls':
      state.calls = [];
      return { status: 204 };
    case 'POST /_sim/reset':
      state.reset();
      return { status: 204 };
    case 'GET /_sim/state':
      return { status: 200, json: state.snapshot() };
    default:
      throw new SimHttpError(404, 'NOT_FOUND', `no control route ${route}`);
  }
}

function body(req: SimRequest): unknown {
  return req.body.trim() === '' ? {} : parseJsonBody(req.body);
}
