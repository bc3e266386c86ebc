/** The asynchronous security-events query of the simulated SMC: start, status, results. */
import { z } from 'zod';
import { parseJsonBody, SimHttpError, type SimRequest, type SimResponse } from './http.js';
import { toWireRecord } from './records.js';
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
  const records = [...state.events.values()]
    .filter((e) => e.tenantId === tenantId && matches(body, e.typeId, e.sourceIp, e.targetIp))
    .filter((e) => e.lastActive >= from && e.firstActive <= to)
    .map(toWireRecord);
  const job = state.startJob(tenantId, records);
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
  return { status: 200, json: { data: { results: [...job.records, ...state.takeMalformedRecords()] } } };
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
