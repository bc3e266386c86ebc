/** The asynchronous security-events query: start a search job, poll it, fetch its results. */
import { JobFailedError, NetworkError, WireError } from '../errors.js';
import { JsonSyntaxError, readJsonArray } from '../json-stream.js';
import { parseWire, wireIssues } from '../wire.js';
import { toSnaEvent } from './normalize.js';
import { PlainRecordReader } from './plain-record.js';
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

/**
 * Runs one query to completion and hands its events to `onEvent` one at a time, as the results
 * arrive; resolves with how many there were. The results are read as a stream and each record is
 * validated, normalized and let go on its own (`readJsonArray`): a burst of 100,000 records is
 * never held as one text nor as one parsed tree, only as the events `onEvent` keeps. A malformed
 * record is reported to `query.onInvalidRecord` and skipped or, without it, fails the query with a
 * WireError naming it (`data.results.<n>.…`). Records are reported, and the query fails, only once
 * the whole answer has been read and found to be JSON; when it fails, the events already handed
 * over came from an answer that was refused: discard them.
 */
export async function runEventQuery(
  session: SnaSession,
  tenantId: number,
  query: SnaEventQuery,
  timing: QueryTiming,
  onEvent: (event: SnaEvent) => void,
): Promise<number> {
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
  const ctx = { service: 'sna', method: 'GET', url: session.url(resultsPath) } as const;
  const records = new RecordReader(ctx, onEvent, query.onInvalidRecord !== undefined);
  const { envelope } = await session
    .stream({ method: 'GET', path: resultsPath, signal }, (chunks) =>
      readJsonArray(chunks, ['data', 'results'], (raw, n) => records.read(raw, n)),
    )
    .catch((error: unknown) => {
      if (!(error instanceof JsonSyntaxError)) throw error;
      throw new WireError({ ...ctx, issues: [error.empty ? '(root): empty body' : '(root): body is not JSON'] });
    });
  parseWire(queryResultsEnvelopeSchema, envelope, ctx);
  return records.finish(query.onInvalidRecord);
}

/** Validates and normalizes records one at a time; keeps what is wrong with the malformed ones. */
class RecordReader {
  private events = 0;
  private readonly rejected: RejectedRecord[] = [];
  /** Most records plainly fit and are read without zod, straight to events; the schema judges the others. */
  private readonly plain = new PlainRecordReader();

  constructor(
    private readonly ctx: { service: 'sna'; method: 'GET'; url: string },
    private readonly onEvent: (event: SnaEvent) => void,
    /** Without it, the first malformed record fails the query and the others are not looked at. */
    private readonly skipInvalid: boolean,
  ) {}

  read(raw: unknown, n: number): void {
    if (!this.skipInvalid && this.rejected.length > 0) return;
    const plain = this.plain.read(raw);
    if (plain) {
      this.events += 1;
      this.onEvent(plain);
      return;
    }
    const parsed = securityEventRecordSchema.safeParse(raw);
    if (parsed.success) {
      this.events += 1;
      this.onEvent(toSnaEvent(parsed.data));
      return;
    }
    const id = (raw as { id?: unknown } | null)?.id;
    this.rejected.push({
      index: n,
      ...(Number.isSafeInteger(id) ? { id: id as number } : {}),
      issues: wireIssues(parsed.error.issues, ['data', 'results', n]),
    });
  }

  /** Reports the malformed records (or fails on the first), once the whole answer was read. */
  finish(onInvalid: ((record: RejectedRecord) => void) | undefined): number {
    const [first] = this.rejected;
    if (first && !onInvalid) throw new WireError({ ...this.ctx, issues: first.issues });
    for (const record of this.rejected) onInvalid?.(record);
    return this.events;
  }
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
