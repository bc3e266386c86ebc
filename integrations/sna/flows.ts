/**
 * The asynchronous flow search of the SMC reporting API v2: start a query for one subject address
 * and a time window, poll it, read its records. Same session, XSRF and error handling as the
 * security-events query (the one exchange of `../http.ts` under `SnaSession`).
 */
import { JobFailedError, WireError } from '../errors.js';
import { wireIssues } from '../wire.js';
import {
  type FlowEndRecord,
  flowQueryStartSchema,
  flowQueryStatusSchema,
  flowRecordSchema,
  flowResultsEnvelopeSchema,
} from './flows-schemas.js';
import { isComplete, type QueryTiming, waitForJob } from './query.js';
import type { SnaSession } from './session.js';
import { toQueryTime } from './time.js';
import type { RejectedRecord } from './types.js';

/** Arguments of {@link SnaClient.queryFlows}. */
export interface SnaFlowQuery {
  /** The subject: flows this address took part in, either side. */
  ip: string;
  from: Date;
  to: Date;
  /** The SMC's hard cap on records (no paging): `recordLimit`. */
  recordLimit: number;
  signal?: AbortSignal;
  /** Called for each record that fails validation, which is then skipped; without it the query fails. */
  onInvalidRecord?: (record: RejectedRecord) => void;
}

/** One side of a flow. */
export interface SnaFlowEnd {
  ip: string;
  port?: number;
  protocol?: string;
  /** Bytes this side sent. */
  bytes: number;
  packets?: number;
  hostGroupIds: number[];
  countryCode?: string;
  /** `client` or `server`, as the SMC says. */
  orientation?: string;
}

/** A flow record, normalized: `subject` is the queried address. */
export interface SnaFlow {
  id: string;
  protocol?: string;
  subject: SnaFlowEnd;
  peer: SnaFlowEnd;
  /** ISO-8601 UTC with a `Z`. */
  firstActive: string;
  lastActive: string;
  /** Both directions. */
  byteCount: number;
}

export interface SnaFlowResult {
  flows: SnaFlow[];
  /** As many records as `recordLimit`: the SMC may hold more. */
  capped: boolean;
}

/**
 * The start body, as Cisco's Postman collection sends it: the window in `YYYY-MM-DDTHH:mm:ssZ`,
 * the subject's address, flows in both directions, no interface data.
 */
export function buildFlowQueryBody(query: Pick<SnaFlowQuery, 'ip' | 'from' | 'to' | 'recordLimit'>): object {
  if (query.from.getTime() > query.to.getTime())
    throw new RangeError('SNA flow query time range ends before it starts');
  if (!Number.isSafeInteger(query.recordLimit) || query.recordLimit < 1) {
    throw new RangeError(`invalid SNA flow record limit: ${query.recordLimit}`);
  }
  return {
    startDateTime: toQueryTime(query.from, 'down'),
    endDateTime: toQueryTime(query.to, 'up'),
    recordLimit: query.recordLimit,
    subject: { ipAddresses: { includes: [query.ip] } },
    flow: { flowDirection: 'BOTH', includeInterfaceData: false },
  };
}

/** Runs one flow query to completion and returns its normalized flows. */
export async function runFlowQuery(
  session: SnaSession,
  tenantId: number,
  query: SnaFlowQuery,
  timing: QueryTiming,
): Promise<SnaFlowResult> {
  const { signal } = query;
  const base = `/sw-reporting/v2/tenants/${tenantId}/flows/queries`;
  const started = await session.request(
    { method: 'POST', path: base, json: buildFlowQueryBody(query), signal },
    flowQueryStartSchema,
  );
  const { id, status = 'IN_PROGRESS', percentComplete = 0 } = started.data.query;
  const statusPath = `${base}/${id}`;
  if (status === 'FAILED') throw new JobFailedError({ service: 'sna', url: session.url(statusPath), jobId: id });
  if (!isComplete(status, percentComplete)) {
    const readStatus = async () =>
      (await session.request({ method: 'GET', path: statusPath, signal }, flowQueryStatusSchema)).data.query;
    await waitForJob({ session, statusPath, jobId: id, signal, readStatus }, timing);
  }
  const resultsPath = `${statusPath}/results`;
  const results = await session.request({ method: 'GET', path: resultsPath, signal }, flowResultsEnvelopeSchema);
  const records = results.data.flows;
  const flows = toFlows(records, session.url(resultsPath), query.onInvalidRecord);
  return { flows, capped: records.length >= query.recordLimit };
}

function toFlows(records: unknown[], url: string, onInvalid?: (record: RejectedRecord) => void): SnaFlow[] {
  const flows: SnaFlow[] = [];
  records.forEach((raw, n) => {
    const parsed = flowRecordSchema.safeParse(raw);
    if (parsed.success) {
      const { id, protocol, subject, peer, statistics } = parsed.data;
      flows.push({
        id,
        ...(protocol ? { protocol } : {}),
        subject: toEnd(subject),
        peer: toEnd(peer),
        firstActive: statistics.firstActiveTime,
        lastActive: statistics.lastActiveTime,
        byteCount: statistics.byteCount ?? subject.bytes + peer.bytes,
      });
      return;
    }
    const issues = wireIssues(parsed.error.issues, ['data', 'flows', n]);
    if (!onInvalid) throw new WireError({ service: 'sna', method: 'GET', url, issues });
    onInvalid({ index: n, issues });
  });
  return flows;
}

function toEnd(record: FlowEndRecord): SnaFlowEnd {
  const end: SnaFlowEnd = { ip: record.ipAddress, bytes: record.bytes, hostGroupIds: record.hostGroupIds };
  if (record.portProtocol) {
    end.port = record.portProtocol.port;
    if (record.portProtocol.protocol) end.protocol = record.portProtocol.protocol;
  }
  if (record.packets !== null && record.packets !== undefined) end.packets = record.packets;
  if (record.countryCode) end.countryCode = record.countryCode;
  if (record.orientation) end.orientation = record.orientation;
  return end;
}
