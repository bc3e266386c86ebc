/**
 * The SMC simulator: a real HTTP(S) server on 127.0.0.1 speaking the SMC contract of
 * api-contracts.md §1, with a control surface for tests and demos.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { handleApi } from './api-routes.js';
import { CONTROL_PREFIX, handleControl } from './control-routes.js';
import { readRequest, SimHttpError, type SimResponse, writeResponse } from './http.js';
import type { FailMatch, LatencyMatch, SimEventInput, SimEventUpdate } from './inputs.js';
import type { WireEventRecord } from './records.js';
import type { SimFlow, SimFlowInput } from './flows.js';
import { type SimCall, SimState, type SimTenant } from './state.js';

/** Options of {@link startSmcSimulator}. */
export interface SmcSimulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default `admin`. */
  username?: string;
  /** Default `sim-password`. */
  password?: string;
  /** Default one tenant, `{ id: 102, displayName: 'Sim Corp' }`. */
  tenants?: SimTenant[];
  /** Status polls answered IN_PROGRESS before COMPLETED. Default 2. */
  pollsUntilComplete?: number;
  /** Default true: the tenants endpoints answer 406 to `Accept: application/json`, like some SMCs. */
  acceptQuirk406?: boolean;
  /** Serve HTTPS with this PEM key and certificate. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** How long a session lasts before the SMC answers 401 (`tokenTtlInSeconds`). Default 1200: 20 minutes. */
  sessionTtlSeconds?: number;
  /** The simulator's clock, for sessions that expire. Default `Date.now`. */
  now?: () => number;
}

/** A running simulator. Every control method has an HTTP twin under `/_sim/`. */
export interface SmcSimulator {
  /** `http://127.0.0.1:<port>` (or `https://`). */
  readonly url: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  /** Every API request answered, oldest first (`GET /_sim/calls`). */
  readonly calls: readonly SimCall[];
  /** Adds a security event, returning its wire record (`POST /_sim/events`). */
  addEvent(input: SimEventInput): WireEventRecord;
  /** Adds a flow beside those its events imply (`POST /_sim/flows`). */
  addFlow(input: SimFlowInput): SimFlow;
  /** Advances an ongoing event; it keeps its id and firstActiveTime (`PATCH /_sim/events/:id`). */
  updateEvent(id: number, update: SimEventUpdate): WireEventRecord;
  /** Ends every session, so the next API call gets a 401 (`POST /_sim/expire-sessions`). */
  expireSessions(): number;
  /** Answers the next `count` matching API calls with `status` (`POST /_sim/fail`). */
  failNext(count: number, status: number, match?: FailMatch): void;
  /** The next `count` security-event queries end in status FAILED (`POST /_sim/fail-queries`). */
  failNextQueries(count: number): void;
  /** Answers matching API calls `ms` later; 0 removes the rule (`POST /_sim/latency {ms, method?, pathPrefix?, pathPattern?}`). */
  setLatency(ms: number, match?: LatencyMatch): void;
  /**
   * Appends `record` to the next `count` (default 1) query results, as a broken SMC might
   * (`POST /_sim/malformed-records` with `{ record, count? }`).
   */
  addMalformedRecord(record: unknown, count?: number): void;
  /** Forgets recorded calls (`DELETE /_sim/calls`). */
  clearCalls(): void;
  /** Back to the initial state (`POST /_sim/reset`). */
  reset(): void;
  /** A JSON view of sessions, events, jobs, pending failures and host groups (`GET /_sim/state`). */
  state(): Record<string, unknown>;
  close(): Promise<void>;
}

/** Starts a simulator on 127.0.0.1. */
export async function startSmcSimulator(options: SmcSimulatorOptions = {}): Promise<SmcSimulator> {
  const username = options.username ?? 'admin';
  const password = options.password ?? 'sim-password';
  const state = new SimState(
    options.tenants ?? [{ id: 102, displayName: 'Sim Corp' }],
    options.sessionTtlSeconds,
    options.now,
  );
  const config = {
    username,
    password,
    pollsUntilComplete: options.pollsUntilComplete ?? 2,
    acceptQuirk406: options.acceptQuirk406 ?? true,
    secureCookies: options.tls !== undefined,
  };
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    void respond(req, res);
  };
  const respond = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://sim.invalid').pathname;
    const isControl = path.startsWith(CONTROL_PREFIX);
    let response: SimResponse;
    try {
      const request = await readRequest(req);
      const delay = isControl ? 0 : state.latencyFor(request.method, request.path);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      const failure = isControl ? undefined : state.takeFailure(request.method, request.path);
      response = failure ?? (isControl ? handleControl(state, request) : handleApi(state, config, request));
    } catch (error) {
      response =
        error instanceof SimHttpError ? error.toResponse() : { status: 500, json: { errorCode: 'INTERNAL_ERROR' } };
    }
    if (!isControl) {
      state.record({
        method: (req.method ?? 'GET').toUpperCase(),
        path,
        status: response.status,
        time: new Date().toISOString(),
      });
    }
    await writeResponse(res, response);
  };

  const server: Server = options.tls ? createHttpsServer(options.tls, listener) : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    username,
    password,
    get calls() {
      return [...state.calls];
    },
    addEvent: (input) => state.addEvent(input),
    addFlow: (input) => state.addFlow(input),
    updateEvent: (id, update) => state.updateEvent(id, update),
    expireSessions: () => state.expireSessions(),
    failNext: (count, status, match) => state.failNext(count, status, match),
    failNextQueries: (count) => state.failNextQueries(count),
    setLatency: (ms, match) => state.setLatency(ms, match),
    addMalformedRecord: (record, count) => state.addMalformedRecord(record, count),
    clearCalls: () => {
      state.calls = [];
    },
    reset: () => state.reset(),
    state: () => state.snapshot(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections from fetch would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
