/** Everything the SMC simulator holds, and the control operations on it. */
import { randomBytes, randomUUID } from 'node:crypto';
import { type SimHostGroup, seedHostGroups, TEMPLATES } from './catalogue.js';
import { SimHttpError, type SimResponse } from './http.js';
import {
  type FailMatch,
  failMatchSchema,
  type LatencyMatch,
  latencyRequestSchema,
  parseInput,
  type SimEventInput,
  type SimEventUpdate,
  simEventInputSchema,
  simEventUpdateSchema,
} from './inputs.js';
import { hostGroupsOf, type SimEvent, type SimTag, toWireRecord, type WireEventRecord } from './records.js';
import { type SimFlow, type SimFlowInput, SimFlows, simFlowInputSchema } from './flows.js';

/** A tenant (domain) of the simulated SMC. */
export interface SimTenant {
  id: number;
  displayName: string;
}

/** One request the simulator answered (control calls under `/_sim` are not recorded). */
export interface SimCall {
  method: string;
  path: string;
  status: number;
  /** ISO-8601. */
  time: string;
}

/** A security-events search job; its results were fixed when it started. */
export interface SimJob {
  id: string;
  tenantId: number;
  polls: number;
  failed: boolean;
  /** The matching events as they were when the query started. */
  events: SimEvent[];
}

interface Session {
  xsrf: string;
  /** Epoch ms after which the SMC answers 401 to this session. */
  expiresAt: number;
}

interface FailRule {
  remaining: number;
  status: number;
  method?: string | undefined;
  pathPrefix?: string | undefined;
  retryAfter?: number | string | undefined;
}

const FIRST_EVENT_ID = 5201;
/** Long demos start a job per poll cycle; old ones are dropped past these. */
const MAX_JOBS = 1000;
const MAX_CALLS = 10_000;

export class SimState {
  readonly sessions = new Map<string, Session>();
  readonly events = new Map<number, SimEvent>();
  readonly jobs = new Map<string, SimJob>();
  /** Flows added through the control surface, and flow queries (flows of events are derived). */
  readonly flows = new SimFlows();
  /** Host groups per tenant id. */
  hostGroups = new Map<number, Map<number, SimHostGroup>>();
  calls: SimCall[] = [];
  private failRules: FailRule[] = [];
  private latencyRules: Array<{ ms: number } & LatencyMatch> = [];
  private queriesToFail = 0;
  /** Records appended to the next results answers, as a broken SMC might send them. */
  private malformedResults: Array<{ remaining: number; record: unknown }> = [];
  private nextEventId = FIRST_EVENT_ID;
  nextHostGroupId = 60_000;

  constructor(
    readonly tenants: readonly SimTenant[],
    /** The SMC's session lifetime (`tokenTtlInSeconds`): 20 minutes. */
    readonly sessionTtlSeconds = 1200,
    readonly now: () => number = Date.now,
  ) {
    this.reset();
  }

  /** Back to the start: no sessions, events, jobs, calls or pending failures; seeded host groups. */
  reset(): void {
    this.sessions.clear();
    this.events.clear();
    this.jobs.clear();
    this.flows.reset();
    this.calls = [];
    this.failRules = [];
    this.latencyRules = [];
    this.queriesToFail = 0;
    this.malformedResults = [];
    this.nextEventId = FIRST_EVENT_ID;
    this.nextHostGroupId = 60_000;
    this.hostGroups = new Map(this.tenants.map((t) => [t.id, new Map(seedHostGroups().map((g) => [g.id, g]))]));
  }

  tenant(id: number): SimTenant | undefined {
    return this.tenants.find((t) => t.id === id);
  }

  openSession(): { jwt: string; xsrf: string } {
    const jwt = randomBytes(24).toString('hex');
    const xsrf = randomUUID();
    this.sessions.set(jwt, { xsrf, expiresAt: this.now() + this.sessionTtlSeconds * 1000 });
    return { jwt, xsrf };
  }

  /** The live session of a `stealthwatch.jwt` cookie; an expired one is ended on the way. */
  session(jwt: string | undefined): Session | undefined {
    const session = jwt === undefined ? undefined : this.sessions.get(jwt);
    if (!session || jwt === undefined) return undefined;
    if (this.now() < session.expiresAt) return session;
    this.sessions.delete(jwt);
    return undefined;
  }

  /** Adds a security event; returns its wire record. */
  addEvent(input: SimEventInput): WireEventRecord {
    const parsed = parseInput(simEventInputSchema, input);
    const tenantId = parsed.tenantId ?? this.tenants[0]?.id;
    const groups = tenantId === undefined ? undefined : this.hostGroups.get(tenantId);
    if (tenantId === undefined || !groups) throw new SimHttpError(400, 'INVALID_SIM_INPUT', `no tenant ${tenantId}`);
    if (!TEMPLATES.some((t) => t.id === parsed.typeId)) {
      throw new SimHttpError(400, 'INVALID_SIM_INPUT', `no security event type ${parsed.typeId} in the catalogue`);
    }
    const firstActive = parsed.firstActive ?? parsed.lastActive ?? new Date();
    const lastActive = parsed.lastActive ?? firstActive;
    if (lastActive < firstActive) throw new SimHttpError(400, 'INVALID_SIM_INPUT', 'lastActive is before firstActive');
    const groupList = [...groups.values()];
    const event: SimEvent = {
      id: this.nextEventId++,
      tenantId,
      typeId: parsed.typeId,
      sourceIp: parsed.sourceIp,
      sourcePort: parsed.sourcePort ?? 0,
      targetIp: parsed.targetIp,
      targetPort: parsed.targetPort ?? 0,
      protocol: parsed.protocol ?? 'tcp',
      points: parsed.points ?? 50,
      hitCount: parsed.hitCount ?? 1,
      firstActive,
      lastActive,
      sourceTags: resolveTags(parsed.sourceTags, parsed.sourceIp, groups, groupList),
      targetTags: parsed.targetIp ? resolveTags(parsed.targetTags, parsed.targetIp, groups, groupList) : [],
    };
    this.events.set(event.id, event);
    return toWireRecord(event);
  }

  /** Advances an ongoing event; it keeps its id and `firstActiveTime`. */
  updateEvent(id: number, update: SimEventUpdate): WireEventRecord {
    const event = this.events.get(id);
    if (!event) throw new SimHttpError(404, 'NOT_FOUND', `no event ${id}`);
    const parsed = parseInput(simEventUpdateSchema, update);
    if (parsed.lastActive && parsed.lastActive < event.firstActive) {
      throw new SimHttpError(400, 'INVALID_SIM_INPUT', 'lastActive is before firstActive');
    }
    if (parsed.hitCount !== undefined) event.hitCount = parsed.hitCount;
    if (parsed.lastActive) event.lastActive = parsed.lastActive;
    if (parsed.points !== undefined) event.points = parsed.points;
    return toWireRecord(event);
  }

  /** Adds a flow beside those the events imply (`POST /_sim/flows`). */
  addFlow(input: SimFlowInput): SimFlow {
    const parsed = parseInput(simFlowInputSchema, input);
    const tenantId = parsed.tenantId ?? this.tenants[0]?.id;
    if (tenantId === undefined || !this.tenant(tenantId)) {
      throw new SimHttpError(400, 'INVALID_SIM_INPUT', `no tenant ${tenantId}`);
    }
    const lastActive = parsed.lastActive ?? parsed.firstActive;
    if (lastActive < parsed.firstActive) {
      throw new SimHttpError(400, 'INVALID_SIM_INPUT', 'lastActive is before firstActive');
    }
    return this.flows.add({
      tenantId,
      protocol: (parsed.protocol ?? 'tcp').toUpperCase(),
      client: {
        ip: parsed.clientIp,
        port: parsed.clientPort ?? 50_000,
        bytes: parsed.clientBytes,
        orientation: 'client',
      },
      server: { ip: parsed.serverIp, port: parsed.serverPort, bytes: parsed.serverBytes, orientation: 'server' },
      firstActive: parsed.firstActive,
      lastActive,
    });
  }

  /** The host groups of a tenant, as a list. */
  groupsOf(tenantId: number): SimHostGroup[] {
    return [...(this.hostGroups.get(tenantId)?.values() ?? [])];
  }

  /** Ends every session, as an SMC does when they time out; returns how many there were. */
  expireSessions(): number {
    const expired = this.sessions.size;
    this.sessions.clear();
    return expired;
  }

  /** Answers the next `count` matching calls with `status` instead of handling them. */
  failNext(count: number, status: number, match: FailMatch = {}): void {
    if (!Number.isInteger(count) || count < 1) throw new SimHttpError(400, 'INVALID_SIM_INPUT', 'count must be >= 1');
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new SimHttpError(400, 'INVALID_SIM_INPUT', 'status must be 4xx or 5xx');
    }
    const parsed = parseInput(failMatchSchema, match);
    this.failRules.push({ remaining: count, status, ...parsed, method: parsed.method?.toUpperCase() });
  }

  /** Answers matching API calls `ms` later, until set to 0 (a slow SMC). */
  setLatency(ms: number, match: LatencyMatch = {}): void {
    const parsed = parseInput(latencyRequestSchema, { ms, ...match });
    const same = (r: LatencyMatch) =>
      r.method === parsed.method?.toUpperCase() &&
      r.pathPrefix === parsed.pathPrefix &&
      r.pathPattern === parsed.pathPattern;
    this.latencyRules = this.latencyRules.filter((r) => !same(r));
    if (parsed.ms > 0) this.latencyRules.push({ ...parsed, method: parsed.method?.toUpperCase() });
  }

  /** How long to hold this call before answering it. */
  latencyFor(method: string, path: string): number {
    const rule = this.latencyRules.find(
      (r) =>
        (!r.method || r.method === method) &&
        (!r.pathPrefix || path.startsWith(r.pathPrefix)) &&
        (!r.pathPattern || new RegExp(r.pathPattern).test(path)),
    );
    return rule?.ms ?? 0;
  }

  /** Makes the next `count` security-event queries end in status FAILED. */
  failNextQueries(count: number): void {
    this.queriesToFail += count;
  }

  /** Appends `record` (any JSON, on purpose off the documented shape) to the next `count` results answers. */
  addMalformedRecord(record: unknown, count = 1): void {
    if (!Number.isInteger(count) || count < 1) throw new SimHttpError(400, 'INVALID_SIM_INPUT', 'count must be >= 1');
    this.malformedResults.push({ remaining: count, record });
  }

  /** The malformed records due in this results answer. */
  takeMalformedRecords(): unknown[] {
    const due = this.malformedResults.map((m) => m.record);
    for (const m of this.malformedResults) m.remaining -= 1;
    this.malformedResults = this.malformedResults.filter((m) => m.remaining > 0);
    return due;
  }

  /** Consumes a pending failure for this call, if one matches. */
  takeFailure(method: string, path: string): SimResponse | undefined {
    const rule = this.failRules.find(
      (r) => (!r.method || r.method === method) && (!r.pathPrefix || path.startsWith(r.pathPrefix)),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining === 0) this.failRules = this.failRules.filter((r) => r !== rule);
    const headers = rule.retryAfter === undefined ? undefined : { 'Retry-After': String(rule.retryAfter) };
    return {
      status: rule.status,
      json: { errorCode: 'SIMULATED_FAILURE', message: 'failure injected by the simulator' },
      headers,
    };
  }

  /** Starts a job over a snapshot of the given events. */
  startJob(tenantId: number, events: SimEvent[]): SimJob {
    const job: SimJob = { id: randomBytes(12).toString('hex'), tenantId, polls: 0, failed: false, events };
    if (this.queriesToFail > 0) {
      this.queriesToFail -= 1;
      job.failed = true;
    }
    this.jobs.set(job.id, job);
    if (this.jobs.size > MAX_JOBS) {
      const oldest = this.jobs.keys().next().value;
      if (oldest !== undefined) this.jobs.delete(oldest);
    }
    return job;
  }

  record(call: SimCall): void {
    this.calls.push(call);
    if (this.calls.length > MAX_CALLS) this.calls.splice(0, this.calls.length - MAX_CALLS);
  }

  /** A JSON-friendly view for `GET /_sim/state` and demos. */
  snapshot(): Record<string, unknown> {
    return {
      tenants: this.tenants,
      sessions: this.sessions.size,
      events: [...this.events.values()].map(toWireRecord),
      jobs: this.jobs.size,
      pendingFailures: this.failRules.map((r) => ({ ...r })),
      pendingQueryFailures: this.queriesToFail,
      hostGroups: Object.fromEntries(
        [...this.hostGroups].map(([tenantId, groups]) => [
          tenantId,
          [...groups.values()].map((g) => ({ id: g.id, name: g.name, ranges: g.ranges })),
        ]),
      ),
    };
  }
}

function resolveTags(
  refs: (number | SimTag)[] | undefined,
  ip: string,
  groups: ReadonlyMap<number, SimHostGroup>,
  groupList: readonly SimHostGroup[],
): SimTag[] {
  if (!refs) return hostGroupsOf(ip, groupList);
  return refs.map((ref) => {
    if (typeof ref !== 'number') return { name: ref.name, id: ref.id };
    const group = groups.get(ref);
    if (!group) throw new SimHttpError(400, 'INVALID_SIM_INPUT', `no host group ${ref}`);
    return { name: group.name, id: group.id };
  });
}
