/**
 * The HTTP server under each enrichment simulator: 127.0.0.1 only, a call log that never holds
 * secrets, injected faults and latency, and the shared part of the `/_sim/*` control surface.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Fault,
  type FaultMatch,
  FaultPlan,
  failSchema,
  latencySchema,
  parseInput,
  rateLimitSchema,
} from './faults.js';
import { parseJsonBody, readRequest, SimHttpError, type SimRequest, type SimResponse, writeResponse } from './http.js';

/** One API call answered (control calls under `/_sim/` are not recorded). No headers, query or body. */
export interface SimCall {
  method: string;
  path: string;
  status: number;
  /** ISO-8601. */
  time: string;
}

/** What a product simulator plugs into the server. */
export interface SimProduct {
  /** Answers an API call; may throw {@link SimHttpError}. */
  api(req: SimRequest): SimResponse | Promise<SimResponse>;
  /** Answers a product control call under `/_sim/`, or `undefined` when there is no such route. */
  control(req: SimRequest): SimResponse | undefined;
  /** The product's error body for a thrown {@link SimHttpError}. */
  errorResponse(error: SimHttpError): SimResponse;
  /** The product's answer to an injected fault: a 429 or another error status. */
  faultResponse(fault: Fault): SimResponse;
  /** Back to the product's initial state. */
  reset(): void;
  /** A JSON view for `GET /_sim/state`. */
  state(): Record<string, unknown>;
  /** Gzip answers when the client accepts it. */
  gzip?: boolean;
}

/** The controls every simulator has. Each has an HTTP twin under `/_sim/`. */
export interface SimControls {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Every API call answered, oldest first (`GET /_sim/calls`). */
  readonly calls: readonly SimCall[];
  /** Forgets recorded calls (`DELETE /_sim/calls`). */
  clearCalls(): void;
  /** Answers the next `count` matching API calls with `status` (`POST /_sim/fail`). */
  failNext(count: number, status: number, match?: FaultMatch): void;
  /** Answers the next `count` matching API calls with 429, telling to retry after `retryAfter` seconds when given (`POST /_sim/rate-limit`). */
  rateLimitNext(count: number, retryAfter?: number, match?: FaultMatch): void;
  /** Delays every API answer by `ms` (`POST /_sim/latency`). */
  setLatency(ms: number): void;
  /** Back to the initial state: no calls, faults or latency; seeded verdicts (`POST /_sim/reset`). */
  reset(): void;
  close(): Promise<void>;
}

const MAX_CALLS = 10_000;
const CONTROL_PREFIX = '/_sim/';

/** Starts a server for `product` on 127.0.0.1 (`port` 0: a free one). */
export async function startSimServer(product: SimProduct, port = 0): Promise<SimControls> {
  let calls: SimCall[] = [];
  const faults = new FaultPlan();
  let latencyMs = 0;

  const controls = {
    clearCalls: (): void => {
      calls = [];
    },
    failNext: (count: number, status: number, match?: FaultMatch): void => faults.add(count, { status }, match),
    rateLimitNext: (count: number, retryAfter?: number, match?: FaultMatch): void =>
      faults.add(count, { status: 429, retryAfter }, match),
    setLatency: (ms: number): void => {
      latencyMs = parseInput(latencySchema, { ms }).ms;
    },
    reset: (): void => {
      calls = [];
      faults.clear();
      latencyMs = 0;
      product.reset();
    },
  };

  const control = (req: SimRequest): SimResponse => {
    const route = `${req.method} ${req.path.replace(/\/+$/, '')}`;
    switch (route) {
      case 'GET /_sim/calls':
        return { status: 200, json: { calls } };
      case 'DELETE /_sim/calls':
        controls.clearCalls();
        return { status: 204 };
      case 'POST /_sim/fail': {
        const { count, status, ...match } = parseInput(failSchema, parseJsonBody(req.body));
        controls.failNext(count, status, match);
        return { status: 204 };
      }
      case 'POST /_sim/rate-limit': {
        const { count, retryAfter, ...match } = parseInput(rateLimitSchema, parseJsonBody(req.body));
        controls.rateLimitNext(count, retryAfter, match);
        return { status: 204 };
      }
      case 'POST /_sim/latency':
        controls.setLatency(parseInput(latencySchema, parseJsonBody(req.body)).ms);
        return { status: 204 };
      case 'POST /_sim/reset':
        controls.reset();
        return { status: 204 };
      case 'GET /_sim/state':
        return { status: 200, json: { ...product.state(), pendingFaults: faults.pending, latencyMs } };
      default:
        return product.control(req) ?? { status: 404, json: { error: `no control route ${route}` } };
    }
  };

  /** `undefined` when the client left during the latency: such a call consumes no fault and is not recorded. */
  const answerApi = async (req: SimRequest, res: ServerResponse): Promise<SimResponse | undefined> => {
    if (latencyMs > 0) await delay(latencyMs, res);
    if (res.destroyed) return undefined;
    const fault = faults.take(req.method, req.path);
    return fault ? product.faultResponse(fault) : await product.api(req);
  };

  const respond = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const isControl = (req.url ?? '/').startsWith(CONTROL_PREFIX);
    let request: SimRequest | undefined;
    let response: SimResponse | undefined;
    try {
      request = await readRequest(req);
      response = isControl ? control(request) : await answerApi(request, res);
      if (response === undefined) return;
    } catch (error) {
      const simError = error instanceof SimHttpError ? error : new SimHttpError(500, 'simulator error');
      response = isControl
        ? { status: simError.status, json: { error: simError.message } }
        : product.errorResponse(simError);
    }
    if (!isControl) {
      const path = request?.path ?? new URL(req.url ?? '/', 'http://sim.invalid').pathname;
      calls.push({
        method: (req.method ?? 'GET').toUpperCase(),
        path,
        status: response.status,
        time: new Date().toISOString(),
      });
      if (calls.length > MAX_CALLS) calls.splice(0, calls.length - MAX_CALLS);
    }
    writeResponse(req, res, response, !isControl && product.gzip === true);
  };

  const server = createServer((req, res) => {
    void respond(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    get calls() {
      return [...calls];
    },
    ...controls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections from fetch would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

/** Waits `ms`, or less when the client goes away first. */
function delay(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}

/** `base` with the members of `extra` added; unlike a spread, this keeps `base.calls` live. */
export function extendControls<T extends object>(base: SimControls, extra: T): SimControls & T {
  return Object.defineProperties(base, Object.getOwnPropertyDescriptors(extra)) as SimControls & T;
}
