/**
 * The VirusTotal v3 simulator: a real HTTP server on 127.0.0.1 speaking api-contracts.md §7
 * (`/api/v3/...`, `x-apikey`, `{error: {code, message}}`, 404 NotFoundError for unknown objects,
 * optional 4-a-minute quota answering 429 QuotaExceededError), with a control surface.
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
import { MinuteQuota } from './quota.js';
import { errorResponse, handleApi } from './routes.js';
import { DEMO_VERDICTS, type SimVtVerdict, VerdictTable, vtVerdictSchema } from './verdicts.js';

/** Options of {@link startVirusTotalSimulator}. */
export interface VirusTotalSimulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default `sim-vt-api-key`. */
  apiKey?: string;
  /** Requests a minute per key before 429 QuotaExceededError (the public API's is 4). Default `false`: off. */
  quotaPerMinute?: number | false;
  /** Verdicts present at start and after `reset()`. Default {@link DEMO_VERDICTS}; `{}` for none. */
  verdicts?: Readonly<Record<string, SimVtVerdict>>;
  /** Clock of the quota window, for tests. */
  now?: () => number;
}

/** A running simulator. Every control has an HTTP twin under `/_sim/`. */
export interface VirusTotalSimulator extends SimControls {
  readonly apiKey: string;
  /** `<url>/api/v3`: the client's `baseUrl`. */
  readonly baseUrl: string;
  /**
   * Sets the analysis of an observable: IP, domain, URL or file hash, told apart by shape
   * (`POST /_sim/verdicts` with `{observable, ...verdict}`).
   */
  setVerdict(observable: string, verdict: SimVtVerdict): void;
  /** Turns the per-minute quota on (`n` a minute) or off (`POST /_sim/quota` with `{perMinute: n | null}`). */
  setQuota(perMinute: number | false): void;
  /** Verdicts and quota (`GET /_sim/state`). */
  state(): Record<string, unknown>;
}

const verdictRequestSchema = vtVerdictSchema.extend({ observable: z.string().min(1).max(4096) });
const quotaRequestSchema = z.object({ perMinute: z.int().min(1).max(10_000).nullable() });

/** Starts a simulator on 127.0.0.1. */
export async function startVirusTotalSimulator(options: VirusTotalSimulatorOptions = {}): Promise<VirusTotalSimulator> {
  const apiKey = options.apiKey ?? 'sim-vt-api-key';
  const initialQuota = options.quotaPerMinute ?? false;
  const verdicts = new VerdictTable(options.verdicts ?? DEMO_VERDICTS);
  const quota = new MinuteQuota(initialQuota, options.now);
  const ctx = { verdicts, quota, apiKey };
  const state = (): Record<string, unknown> => ({ verdicts: verdicts.snapshot(), quotaPerMinute: quota.perMinute });
  const setQuota = (perMinute: number | false): void => {
    quota.perMinute = perMinute === false ? false : (parseInput(quotaRequestSchema, { perMinute }).perMinute ?? false);
    quota.reset();
  };

  function control(req: SimRequest): SimResponse | undefined {
    const route = `${req.method} ${req.path.replace(/\/+$/, '')}`;
    if (route === 'POST /_sim/verdicts') {
      const { observable, ...verdict } = parseInput(verdictRequestSchema, parseJsonBody(req.body));
      verdicts.set(observable, verdict);
      return { status: 204 };
    }
    if (route === 'POST /_sim/quota') {
      setQuota(parseInput(quotaRequestSchema, parseJsonBody(req.body)).perMinute ?? false);
      return { status: 204 };
    }
    return undefined;
  }

  const server = await startSimServer(
    {
      api: (req) => handleApi(ctx, req),
      control,
      errorResponse,
      faultResponse,
      reset: () => {
        verdicts.reset();
        quota.perMinute = initialQuota;
        quota.reset();
      },
      state,
    },
    options.port,
  );

  return extendControls(server, {
    apiKey,
    baseUrl: `${server.url}/api/v3`,
    setVerdict: (observable: string, verdict: SimVtVerdict) => verdicts.set(observable, verdict),
    setQuota,
    state,
  });
}

/** A 429 is QuotaExceededError; `Retry-After` only when the test asked for one (VirusTotal sends none). */
function faultResponse(fault: Fault): SimResponse {
  const headers: Record<string, string> =
    fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) };
  const message = fault.status === 429 ? 'Quota exceeded' : 'Simulated failure';
  return errorResponse(new SimHttpError(fault.status, message, undefined, headers));
}
