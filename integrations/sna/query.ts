/** The asynchronous security-events query: start a search job, poll it, fetch its results. */
import { JobFailedError, NetworkError, WireError } from '../errors.js';
import { wireIssues } from '../wire.js';
import { toSnaEvent } from './normalize.js';
import {
  queryResultsEnvelopeSchema,
  queryStartSchema,
  queryStatusSchema,
  securityEventRecordSchema,
} from './schemas.js';
import { toQueryTime } from './time.js';
import type { SnaSession } from './session.js';
import type { RejectedRecord, SnaEvent, SnaEventQuery } from './types.js';

/** How long and how often to poll. */
export interface QueryTiming {
  /** The longest pause between two status checks. */
  pollIntervalMs: number;
  /** The first pause; each later one doubles, up to `pollIntervalMs`. */
  firstPollMs: number;
  maxWaitMs: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * The start body. Only `timeRange`, `securityEventTypeIds` and `hosts` (Cisco's sample
 * get_security_events.py) are sent: the SMC answers 400 to any key it does not know. An empty id
 * list is left out rather than relying on `[]` meaning "all".
 */
export function buildQueryBody(
  query: Pick<SnaEventQuery, 'from' | 'to' | 'typeIds' | 'hosts'>,
): Record<string, unknown> {
  if (query.from.getTime() > query.to.getTime()) throw new RangeError('SNA query time range ends before it starts');
  for (const id of query.typeIds) {
    if (!Number.isSafeInteger(id)) throw new RangeError(`invalid SNA security event type id: ${id}`);
  }
  const body: Record<string, unknown> = {
    timeRange: { from: toQueryTime(query.from, 'down'), to: toQueryTime(query.to, 'up') },
  };
  if (query.typeIds.length > 0) body.securityEventTypeIds = [...query.typeIds];
  if (query.hosts && query.hosts.length > 0) {
    body.hosts = query.hosts.map((h) => (h.type ? { ipAddress: h.ip, type: h.type } : { ipAddress: h.ip }));
  }
  return body;
}

/** Runs one query to completion and returns its normalized events. */
export async function runEventQuery(
  session: SnaSession,
  tenantId: number,
  query: SnaEventQuery,
  timing: QueryTiming,
): Promise<SnaEvent[]> {
  const { signal } = query;
  const base = `/sw-reporting/v1/tenants/${tenantId}/security-events`;
  const started = await session.request(
    { method: 'POST', path: `${base}/queries`, json: buildQueryBody(query), signal },
    queryStartSchema,
  );
  const job = started.data.searchJob;
  const statusPath = `${base}/queries/${job.id}`;
  if (job.searchJobStatus === 'FAILED')
    throw new JobFailedError({ service: 'sna', url: session.url(statusPath), jobId: job.id });
  if (!isComplete(job.searchJobStatus, job.percentComplete)) {
    const readStatus = async () =>
      (await session.request({ method: 'GET', path: statusPath, signal }, queryStatusSchema)).data;
    await waitForJob({ session, statusPath, jobId: job.id, signal, readStatus }, timing);
  }
  const resultsPath = `${base}/results/${job.id}`;
  const results = await session.request({ method: 'GET', path: resultsPath, signal }, queryResultsEnvelopeSchema);
  return toEvents(results.data.results, session.url(resultsPath), query.onInvalidRecord);
}

/**
 * Validates and normalizes the records one at a time, letting go of each raw record as it goes:
 * a burst of 10,000 records never holds the raw, the validated and the normalized copies of all
 * of them at once. A malformed record is reported to `onInvalid` and skipped or, without it,
 * fails the query with a WireError naming it (`data.results.<n>.…`).
 */
function toEvents(records: unknown[], url: string, onInvalid?: (record: RejectedRecord) => void): SnaEvent[] {
  const events: SnaEvent[] = [];
  for (let n = 0; n < records.length; n += 1) {
    const raw = records[n];
    records[n] = undefined;
    const parsed = securityEventRecordSchema.safeParse(raw);
    if (parsed.success) {
      events.push(toSnaEvent(parsed.data));
      continue;
    }
    const issues = wireIssues(parsed.error.issues, ['data', 'results', n]);
    if (!onInvalid) throw new WireError({ service: 'sna', method: 'GET', url, issues });
    const id = (raw as { id?: unknown } | null)?.id;
    onInvalid({ index: n, ...(Number.isSafeInteger(id) ? { id: id as number } : {}), issues });
  }
  return events;
}

export function isComplete(status: string, percentComplete: number): boolean {
  return status === 'COMPLETED' || percentComplete >= 100;
}

/**
 * Polls until the job completes, soon at first and then less often. The wait is capped by both the clock and the total time slept, so
 * an injected instant `sleep` still bounds the number of polls. Past the cap it throws a
 * `NetworkError` with `timedOut: true`: to the caller, a job that never finishes is an SMC that
 * did not answer in time, and the poller's usual retry-next-cycle handling applies.
 */
export async function waitForJob(
  job: {
    session: SnaSession;
    statusPath: string;
    jobId: string;
    signal: AbortSignal | undefined;
    /** One status check (the security-event and flow queries answer it in different envelopes). */
    readStatus: () => Promise<{ status: string; percentComplete: number }>;
  },
  { pollIntervalMs, firstPollMs, maxWaitMs, sleep }: QueryTiming,
): Promise<void> {
  const { session, statusPath, jobId, signal } = job;
  const startedAt = Date.now();
  let slept = 0;
  let interval = Math.min(firstPollMs, pollIntervalMs);
  for (;;) {
    const remaining = maxWaitMs - Math.max(Date.now() - startedAt, slept);
    if (remaining <= 0) {
      throw new NetworkError({
        service: 'sna',
        method: 'GET',
        url: session.url(statusPath),
        cause: new Error(`search job ${jobId} not complete after ${maxWaitMs} ms`),
        timedOut: true,
      });
    }
    const pause = Math.min(interval, remaining);
    await sleep(pause, signal);
    slept += pause;
    interval = Math.min(interval * 2, pollIntervalMs);
    signal?.throwIfAborted();
    const data = await job.readStatus();
    if (data.status === 'FAILED') throw new JobFailedError({ service: 'sna', url: session.url(statusPath), jobId });
    if (isComplete(data.status, data.percentComplete)) return;
  }
}
