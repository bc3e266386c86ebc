/**
 * The SMC simulator's flow search (reporting API v2): flows derived from the security events it
 * holds (an event's source talked to its target on the target's port, so the peers and ports of
 * every event show up in its flows), plus flows added through the control surface. The query
 * body is checked against the keys of Cisco's Postman collection; the start answers 201, as
 * Cisco's sample expects; records have the shape of the XSOAR integration's captured answer.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SimHostGroup } from './catalogue.js';
import { parseJsonBody, SimHttpError, type SimRequest, type SimResponse } from './http.js';
import { hostGroupsOf, type SimEvent, toSmcTime } from './records.js';

/** One side of a simulated flow. */
export interface SimFlowEnd {
  ip: string;
  port: number;
  /** Bytes this side sent. */
  bytes: number;
  orientation: 'client' | 'server';
}

/** A flow the simulator holds (`client` opened it to `server`). */
export interface SimFlow {
  id: number;
  tenantId: number;
  protocol: string;
  client: SimFlowEnd;
  server: SimFlowEnd;
  firstActive: Date;
  lastActive: Date;
}

interface FlowJob {
  id: string;
  tenantId: number;
  polls: number;
  records: unknown[];
}

const filter = z.strictObject({ includes: z.array(z.string()).optional(), excludes: z.array(z.string()).optional() });
const hostFilter = z.strictObject({
  ipAddresses: filter.optional(),
  hostGroups: filter.optional(),
  username: filter.optional(),
  macAddress: filter.optional(),
});
const queryTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'expected YYYY-MM-DDTHH:mm:ssZ');

/** The keys of Cisco's Postman "Get Flows (Query)" body; anything else is refused, as the v1 queries do. */
const flowQuerySchema = z.strictObject({
  startDateTime: queryTime,
  endDateTime: queryTime,
  recordLimit: z.int().min(1).max(100_000).optional(),
  subject: hostFilter.optional(),
  peer: hostFilter.optional(),
  flow: z
    .strictObject({
      tcpUdpPorts: filter.optional(),
      applications: filter.optional(),
      flowDirection: z.enum(['BOTH', 'INBOUND', 'OUTBOUND']).optional(),
      byteCount: z.array(z.unknown()).optional(),
      packetCount: z.array(z.unknown()).optional(),
      payload: filter.optional(),
      flowDataSource: z.array(z.unknown()).optional(),
      protocol: z.array(z.unknown()).optional(),
      includeInterfaceData: z.boolean().optional(),
    })
    .optional(),
});

/** `addFlow` / `POST /_sim/flows`. */
export const simFlowInputSchema = z.object({
  clientIp: z.union([z.ipv4(), z.ipv6()]),
  clientPort: z.int().min(0).max(65_535).optional(),
  serverIp: z.union([z.ipv4(), z.ipv6()]),
  serverPort: z.int().min(0).max(65_535),
  protocol: z.string().min(1).max(16).optional(),
  /** Bytes the client sent, and the server. */
  clientBytes: z.int().min(0),
  serverBytes: z.int().min(0),
  firstActive: z.union([z.date(), z.iso.datetime({ offset: true })]).transform((v) => new Date(v)),
  lastActive: z
    .union([z.date(), z.iso.datetime({ offset: true })])
    .transform((v) => new Date(v))
    .optional(),
  tenantId: z.int().optional(),
});

export type SimFlowInput = z.input<typeof simFlowInputSchema>;

const DEFAULT_RECORD_LIMIT = 2000;
const MAX_JOBS = 1000;

/** The flows and flow queries of the simulator. */
export class SimFlows {
  private added: SimFlow[] = [];
  private jobs = new Map<string, FlowJob>();
  private nextId = 876_700;

  reset(): void {
    this.added = [];
    this.jobs.clear();
    this.nextId = 876_700;
  }

  /** Adds an explicit flow (beside those derived from events). */
  add(input: Omit<SimFlow, 'id'>): SimFlow {
    const flow = { ...input, id: this.nextId++ };
    this.added.push(flow);
    return flow;
  }

  /** `POST …/flows/queries`: the matching flows are snapshotted now. */
  start(
    tenantId: number,
    req: SimRequest,
    source: { events: Iterable<SimEvent>; groups: readonly SimHostGroup[] },
  ): SimResponse {
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      throw new SimHttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'expected Content-Type: application/json');
    }
    const parsed = flowQuerySchema.safeParse(parseJsonBody(req.body));
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new SimHttpError(400, 'BAD_REQUEST_UNMARSHALING_FAILED', issues);
    }
    const body = parsed.data;
    const from = new Date(body.startDateTime);
    const to = new Date(body.endDateTime);
    if (from > to) throw new SimHttpError(400, 'BAD_REQUEST', 'startDateTime is after endDateTime');
    const subjects = body.subject?.ipAddresses?.includes ?? [];
    const flows = [...this.added, ...[...source.events].flatMap(flowsOfEvent)]
      .filter((f) => f.tenantId === tenantId && f.lastActive >= from && f.firstActive <= to)
      .sort((a, b) => a.firstActive.getTime() - b.firstActive.getTime());
    const records = flows
      .flatMap((flow) =>
        [flow.client, flow.server]
          .filter((end) => subjects.length === 0 || subjects.includes(end.ip))
          .map((end) => toRecord(flow, end === flow.client ? 'client' : 'server', source.groups)),
      )
      .slice(0, body.recordLimit ?? DEFAULT_RECORD_LIMIT);
    const job: FlowJob = { id: randomBytes(12).toString('hex'), tenantId, polls: 0, records };
    this.jobs.set(job.id, job);
    if (this.jobs.size > MAX_JOBS) {
      const oldest = this.jobs.keys().next().value;
      if (oldest !== undefined) this.jobs.delete(oldest);
    }
    return { status: 201, json: { data: { query: queryView(job, 'IN_PROGRESS', 0) } } };
  }

  /** `GET …/flows/queries/{id}`: IN_PROGRESS for `pollsUntilComplete` polls, then COMPLETED. */
  status(tenantId: number, jobId: string, pollsUntilComplete: number): SimResponse {
    const job = this.find(tenantId, jobId);
    job.polls += 1;
    if (job.polls <= pollsUntilComplete) {
      const percent = Math.min(99, Math.floor((100 * job.polls) / (pollsUntilComplete + 1)));
      return { status: 200, json: { data: { query: queryView(job, 'IN_PROGRESS', percent) } } };
    }
    return { status: 200, json: { data: { query: queryView(job, 'COMPLETED', 100) } } };
  }

  /** `GET …/flows/queries/{id}/results`; before completion 409, as the v1 results are answered. */
  results(tenantId: number, jobId: string, pollsUntilComplete: number): SimResponse {
    const job = this.find(tenantId, jobId);
    if (job.polls <= pollsUntilComplete) {
      throw new SimHttpError(409, 'SEARCH_JOB_NOT_COMPLETED', `flow query ${jobId} has not completed`);
    }
    return { status: 200, json: { data: { flows: job.records } } };
  }

  private find(tenantId: number, jobId: string): FlowJob {
    const job = this.jobs.get(jobId);
    if (!job || job.tenantId !== tenantId) throw new SimHttpError(404, 'NOT_FOUND', `no flow query ${jobId}`);
    return job;
  }
}

function queryView(job: FlowJob, status: string, percentComplete: number): Record<string, unknown> {
  return { domainId: String(job.tenantId), id: job.id, percentComplete, status };
}

/**
 * The flow behind a security event: its source opened a connection to its target's port, the
 * source sending most of the bytes (the events are about traffic volume), growing with the hits.
 */
export function flowsOfEvent(event: SimEvent): SimFlow[] {
  if (!event.targetIp) return [];
  const scale = Math.max(1, event.points) * Math.max(1, event.hitCount);
  return [
    {
      id: event.id,
      tenantId: event.tenantId,
      protocol: event.protocol.toUpperCase(),
      client: {
        ip: event.sourceIp,
        port: event.sourcePort > 0 ? event.sourcePort : 49_152 + (event.id % 16_000),
        bytes: scale * 40_000,
        orientation: 'client',
      },
      server: { ip: event.targetIp, port: event.targetPort, bytes: scale * 2_000, orientation: 'server' },
      firstActive: event.firstActive,
      lastActive: event.lastActive,
    },
  ];
}

/** A flow as the SMC reports it for one subject (XSOAR capture's fields, the ones that matter). */
function toRecord(flow: SimFlow, subjectSide: 'client' | 'server', groups: readonly SimHostGroup[]): unknown {
  const subject = flow[subjectSide];
  const peer = subjectSide === 'client' ? flow.server : flow.client;
  const seconds = Math.max(1, (flow.lastActive.getTime() - flow.firstActive.getTime()) / 1000);
  const byteCount = subject.bytes + peer.bytes;
  return {
    id: flow.id,
    tenantId: flow.tenantId,
    flowCollectorId: 121,
    protocol: flow.protocol,
    subject: endRecord(subject, flow.protocol, byteCount, seconds, groups),
    peer: endRecord(peer, flow.protocol, byteCount, seconds, groups),
    statistics: {
      activeDuration: Math.round(seconds * 1000),
      byteCount,
      byteRate: byteCount / seconds,
      firstActiveTime: toSmcTime(flow.firstActive),
      lastActiveTime: toSmcTime(flow.lastActive),
      numCombinedFlowRecords: 1,
    },
    vlanId: -1,
    mplsLabel: -1,
  };
}

function endRecord(
  end: SimFlowEnd,
  protocol: string,
  byteCount: number,
  seconds: number,
  groups: readonly SimHostGroup[],
): Record<string, unknown> {
  const tags = hostGroupsOf(end.ip, groups);
  const outside = tags.some((t) => groups.find((g) => g.id === t.id)?.location === 'OUTSIDE');
  return {
    ipAddress: end.ip,
    bytes: end.bytes,
    byteRate: end.bytes / seconds,
    packets: Math.ceil(end.bytes / 1200),
    percentBytes: byteCount === 0 ? 0 : Math.round((100 * end.bytes) / byteCount),
    countryCode: outside ? 'US' : 'XR',
    hostGroupIds: tags.map((t) => t.id),
    orientation: end.orientation,
    natPort: -1,
    portProtocol: { port: end.port, protocol, serviceId: 0 },
    trustSecId: -1,
  };
}
