/** The asynchronous security-events query of the simulated SMC: start, status, results. */
import { z } from 'zod';
import { parseJsonBody, SimHttpError, type SimRequest, type SimResponse } from './http.js';
import { type SimEvent, toWireRecord } from './records.js';
import type { SimJob, SimState } from './state.js';

/**
 * `YYYY-MM-DDTHH:mm:ssZ` is the only format every Cisco sample sends. Stricter than an SMC may be,
 * on purpose: a client that drifts from it should fail here first.
 */
const queryTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'expected YYYY-MM-DDTHH:mm:ssZ');

/** The SMC rejects any key it does not know (e.g. `startTime`, `limit`), hence strict objects. */
const queryBodySchema = z.strictObject({
  timeRange: z.strictObject({ from: queryTime, to: queryTime }),
  securityEventTypeIds: z.array(z.int()).optional(),
  hosts: z.array(z.strictObject({ ipAddress: z.string(), type: z.enum(['source', 'target']).optional() })).optional(),
  alarmCategoryId: z.int().optional(),
});

type QueryBody = z.infer<typeof queryBodySchema>;

/** `POST …/security-events/queries`: matching events are snapshotted now. Answers 200, as the SMC does. */
export function startQuery(state: SimState, tenantId: number, req: SimRequest): SimResponse {
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.toLowerCase().startsWith('application/json')) {
    throw new SimHttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'expected Content-Type: application/json');
  }
  const parsed = queryBodySchema.safeParse(parseJsonBody(req.body));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new SimHttpError(400, 'BAD_REQUEST_UNMARSHALING_FAILED', issues);
  }
  const body = parsed.data;
  const from = new Date(body.timeRange.from);
  const to = new Date(body.timeRange.to);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from > to) {
    throw new SimHttpError(400, 'BAD_REQUEST', 'timeRange is not a valid range');
  }
  // A snapshot of each matching event as it is now (events change in place); wire records are
  // written from it while the results are sent.
  const snapshot: SimEvent[] = [];
  for (const e of state.events.values()) {
    if (e.tenantId !== tenantId || !matches(body, e.typeId, e.sourceIp, e.targetIp)) continue;
    if (e.lastActive >= from && e.firstActive <= to) snapshot.push({ ...e });
  }
  const job = state.startJob(tenantId, snapshot);
  return {
    status: 200,
    json: { data: { searchJob: { id: job.id, searchJobStatus: 'IN_PROGRESS', percentComplete: 0 } } },
  };
}

/** `GET …/security-events/queries/{id}`: IN_PROGRESS for `pollsUntilComplete` polls, then COMPLETED. */
export function queryStatus(state: SimState, tenantId: number, jobId: string, pollsUntilComplete: number): SimResponse {
  const job = findJob(state, tenantId, jobId);
  job.polls += 1;
  if (job.failed) return { status: 200, json: { data: { percentComplete: 0, status: 'FAILED' } } };
  if (!isComplete(job, pollsUntilComplete)) {
    const percentComplete = Math.min(99, Math.floor((100 * job.polls) / (pollsUntilComplete + 1)));
    return { status: 200, json: { data: { percentComplete, status: 'IN_PROGRESS' } } };
  }
  return { status: 200, json: { data: { percentComplete: 100.0, status: 'COMPLETED' } } };
}

/**
 * `GET …/security-events/results/{id}`. Asking before the job completed is answered 409: the SMC's
 * behaviour there is undocumented, and a client that skips polling should not pass unnoticed.
 */
export function queryResults(
  state: SimState,
  tenantId: number,
  jobId: string,
  pollsUntilComplete: number,
): SimResponse {
  const job = findJob(state, tenantId, jobId);
  if (job.failed || !isComplete(job, pollsUntilComplete)) {
    throw new SimHttpError(409, 'SEARCH_JOB_NOT_COMPLETED', `search job ${jobId} has not completed`);
  }
  return { status: 200, jsonText: resultsText(job.events, state.takeMalformedRecords()) };
}

/** Records serialized a few hundred at a time: a large answer starts at once and is read as it is written. */
const RECORDS_PER_PIECE = 500;

function* resultsText(events: readonly SimEvent[], malformed: readonly unknown[]): Iterable<string> {
  yield '{"data":{"results":[';
  let first = true;
  const piece = (records: readonly unknown[]) => {
    const text = records.map((r) => JSON.stringify(r)).join(',');
    const joined = first ? text : `,${text}`;
    first = false;
    return joined;
  };
  for (let i = 0; i < events.length; i += RECORDS_PER_PIECE) {
    yield piece(events.slice(i, i + RECORDS_PER_PIECE).map(toWireRecord));
  }
  if (malformed.length > 0) yield piece(malformed);
  yield ']}}';
}
function isComplete(job: SimJob, pollsUntilComplete: number): boolean {
  return job.polls > pollsUntilComplete;
}

function findJob(state: SimState, tenantId: number, jobId: string): SimJob {
  const job = state.jobs.get(jobId);
  if (!job || job.tenantId !== tenantId) throw new SimHttpError(404, 'NOT_FOUND', `no search job ${jobId}`);
  return job;
}

function matches(body: QueryBody, typeId: number, sourceIp: string, targetIp: string | undefined): boolean {
  const types = body.securityEventTypeIds ?? [];
  if (types.length > 0 && !types.includes(typeId)) return false;
  const hosts = body.hosts ?? [];
  if (hosts.length === 0) return true;
  return hosts.some(
    (h) => (h.type !== 'target' && h.ipAddress === sourceIp) || (h.type !== 'source' && h.ipAddress === targetIp),
  );
}
