/**
 * The Secure Endpoint (AMP) v1 simulator: a real HTTP server on 127.0.0.1 speaking api-contracts.md §6
 * (Basic auth, the `{version, metadata, data}` envelope with `limit`/`offset` and `links.next`,
 * `X-RateLimit-*` headers, gzip), with a control surface for tests and demos.
 */
import { z } from 'zod';
import {
  extendControls,
  type Fault,
  parseInput,
  parseJsonBody,
  type SimControls,
  SimHttpError,
  type SimRequest,
  type SimResponse,
  startSimServer,
} from '../common/index.js';
import { HourlyBudget, headers } from './budget.js';
import {
  DEMO_COMPUTERS,
  DEMO_VERDICTS,
  SeState,
  type SimComputerInput,
  type SimSeVerdict,
  seVerdictSchema,
  simComputerSchema,
} from './model.js';
import { errorResponse, handleApi } from './routes.js';

/** Options of {@link startSecureEndpointSimulator}. */
export interface SecureEndpointSimulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default `sim-se-client-id`. */
  clientId?: string;
  /** Default `sim-se-api-key`. */
  apiKey?: string;
  /** Requests per hour before 429. Default 3000 (the real quota is UNVERIFIED). */
  hourlyLimit?: number;
  /** Computers present at start and after `reset()`. Default {@link DEMO_COMPUTERS}. */
  computers?: readonly SimComputerInput[];
  /** Verdicts present at start and after `reset()`. Default {@link DEMO_VERDICTS}; `{}` for none. */
  verdicts?: Readonly<Record<string, SimSeVerdict>>;
}

/** A running simulator. Every control has an HTTP twin under `/_sim/`. */
export interface SecureEndpointSimulator extends SimControls {
  readonly clientId: string;
  readonly apiKey: string;
  /** Adds or replaces (same hostname) a computer, returning its guid (`POST /_sim/computers`). */
  addComputer(computer: SimComputerInput): string;
  /**
   * Sets which computers saw an observable: a SHA-256, IP, URL or file name (`POST /_sim/verdicts` with
   * `{observable, ...verdict}`). A SHA-256 with a `detection` also gets one "Threat Detected" event per computer.
   */
  setVerdict(observable: string, verdict: SimSeVerdict): void;
  /** Computers, verdicts and the remaining hourly budget (`GET /_sim/state`). */
  state(): Record<string, unknown>;
}

const verdictRequestSchema = seVerdictSchema.extend({ observable: z.string().min(1).max(4096) });

/** Starts a simulator on 127.0.0.1. */
export async function startSecureEndpointSimulator(
  options: SecureEndpointSimulatorOptions = {},
): Promise<SecureEndpointSimulator> {
  const clientId = options.clientId ?? 'sim-se-client-id';
  const apiKey = options.apiKey ?? 'sim-se-api-key';
  const state = new SeState({
    computers: options.computers ?? DEMO_COMPUTERS,
    verdicts: options.verdicts ?? DEMO_VERDICTS,
  });
  const hourlyLimit = options.hourlyLimit ?? 3000;
  const budget = new HourlyBudget(hourlyLimit);
  const ctx = { state, budget, clientId, apiKey };
  const snapshot = (): Record<string, unknown> => ({
    computers: [...state.computers.values()],
    verdicts: Object.fromEntries(state.verdicts),
    remaining: budget.remaining,
  });

  function control(req: SimRequest): SimResponse | undefined {
    const route = `${req.method} ${req.path.replace(/\/+$/, '')}`;
    if (route === 'POST /_sim/computers') {
      const computer = state.addComputer(parseInput(simComputerSchema, parseJsonBody(req.body)));
      return { status: 201, json: { connectorGuid: computer.connectorGuid } };
    }
    if (route === 'POST /_sim/verdicts') {
      const { observable, ...verdict } = parseInput(verdictRequestSchema, parseJsonBody(req.body));
      state.setVerdict(observable, verdict);
      return { status: 204 };
    }
    return undefined;
  }

  const server = await startSimServer(
    {
      api: (req) => handleApi(ctx, req),
      control,
      errorResponse,
      faultResponse: (fault) => faultResponse(fault, hourlyLimit),
      reset: () => {
        state.reset();
        budget.reset();
      },
      state: snapshot,
      gzip: true,
    },
    options.port,
  );

  return extendControls(server, {
    clientId,
    apiKey,
    addComputer: (computer: SimComputerInput) => state.addComputer(computer).connectorGuid,
    setVerdict: (observable: string, verdict: SimSeVerdict) => state.setVerdict(observable, verdict),
    state: snapshot,
  });
}

/** An injected 429 empties the budget; `retryAfter` becomes `X-RateLimit-Reset` (default 60). */
function faultResponse(fault: Fault, hourlyLimit: number): SimResponse {
  const extra = fault.status === 429 ? headers(hourlyLimit, 0, fault.retryAfter ?? 60) : {};
  const message = fault.status === 429 ? 'API rate limit exceeded' : 'Simulated failure';
  return errorResponse(new SimHttpError(fault.status, message, undefined, extra));
}
