/**
 * Client of the Cisco Secure Network Analytics Manager (SMC) REST API (api-contracts.md §1).
 *
 * Every method logs in lazily, re-logs in once on a 401, and throws the shared errors of
 * `../errors.ts` (`ApiError`, `NetworkError`, `WireError`, `LookupError`, `JobFailedError`) or `SnaLoginError`.
 */
import { LookupError } from '../errors.js';
import { checkBaseUrl } from '../wire.js';
import { sleep as defaultSleep } from '../retry.js';
import { resolveEventTypeSpecs } from './event-types.js';
import { runFlowQuery, type SnaFlowQuery, type SnaFlowResult } from './flows.js';
import { type QueryTiming, runEventQuery } from './query.js';
import {
  eventTemplateListSchema,
  hostGroupListSchema,
  hostGroupResponseSchema,
  hostGroupCreateResponseSchema,
  type SnaHostGroup,
  tenantListSchema,
} from './schemas.js';
import { SnaSession } from './session.js';
import type {
  SnaClientOptions,
  SnaEvent,
  SnaEventQuery,
  SnaEventTemplate,
  SnaEventType,
  SnaHostGroupSummary,
  SnaSessionInfo,
  SnaTenant,
} from './types.js';

export { JobFailedError, LookupError } from '../errors.js';
export { SnaLoginError } from './errors.js';
export type { SnaHostGroup } from './schemas.js';
export type { SnaFlow, SnaFlowEnd, SnaFlowQuery, SnaFlowResult } from './flows.js';
export type * from './types.js';

/** Options every call accepts. */
export interface CallOptions {
  signal?: AbortSignal;
}

const DEFAULTS = { timeoutMs: 15_000, queryPollIntervalMs: 1_000, queryFirstPollMs: 100, queryMaxWaitMs: 60_000 };

/** The SMC client. One instance holds one session; share it. */
export class SnaClient {
  private readonly smc: SnaSession;
  private readonly timing: QueryTiming;

  /** @throws TypeError when the base URL or the credentials are unusable. */
  constructor(options: SnaClientOptions) {
    this.smc = new SnaSession({
      baseUrl: checkBaseUrl(options.baseUrl, 'SNA base URL'),
      username: checkPresent(options.username, 'username'),
      password: checkPresent(options.password, 'password'),
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs: checkPositive(options.timeoutMs ?? DEFAULTS.timeoutMs, 'timeoutMs'),
      ...(options.now ? { now: options.now } : {}),
    });
    this.timing = {
      pollIntervalMs: checkPositive(options.queryPollIntervalMs ?? DEFAULTS.queryPollIntervalMs, 'queryPollIntervalMs'),
      firstPollMs: checkPositive(options.queryFirstPollMs ?? DEFAULTS.queryFirstPollMs, 'queryFirstPollMs'),
      maxWaitMs: checkPositive(options.queryMaxWaitMs ?? DEFAULTS.queryMaxWaitMs, 'queryMaxWaitMs'),
      sleep: options.sleep ?? defaultSleep,
    };
  }

  /** The session as `/status` shows it. */
  session(): SnaSessionInfo {
    return this.smc.info();
  }

  /** Ends the SMC session (`DELETE /token`). Never throws; safe to call when not logged in. */
  logout(): Promise<void> {
    return this.smc.logout();
  }

  /** `GET /sw-reporting/v1/tenants/`, without `Accept: application/json` (some SMCs answer 406 to it). */
  async listTenants(options: CallOptions = {}): Promise<SnaTenant[]> {
    const { data } = await this.smc.request(
      { method: 'GET', path: '/sw-reporting/v1/tenants/', acceptJson: false, signal: options.signal },
      tenantListSchema,
    );
    return data.map((t) => ({ id: t.id, displayName: t.displayName }));
  }

  /**
   * The configured tenant id after checking that it exists, or the first tenant when none is configured.
   * @throws LookupError when the configured tenant is not on the SMC, or the SMC lists no tenant.
   */
  async resolveTenantId(configured?: number, options: CallOptions = {}): Promise<number> {
    const tenants = await this.listTenants(options);
    const available = tenants.map((t) => `${t.id} (${t.displayName})`).join(', ');
    if (configured !== undefined) {
      if (tenants.some((t) => t.id === configured)) return configured;
      throw new LookupError({
        service: 'sna',
        message: `SNA tenant ${configured} does not exist on the SMC; available: ${available || 'none'}`,
        unknown: [String(configured)],
      });
    }
    const first = tenants[0];
    if (!first)
      throw new LookupError({ service: 'sna', message: 'the SMC lists no tenant (domain) for this user', unknown: [] });
    return first.id;
  }

  /** The security-event type catalogue of a tenant. */
  async listEventTemplates(tenantId: number, options: CallOptions = {}): Promise<SnaEventTemplate[]> {
    const { data } = await this.smc.request(
      { method: 'GET', path: `${tenantPath(tenantId)}/security-events/templates`, signal: options.signal },
      eventTemplateListSchema,
    );
    return data.map((t) => ({ id: t.id, name: t.name, description: t.description }));
  }

  /**
   * Resolves configured event types, each a numeric id or a name (case-insensitive), to `{id, name}`.
   * @throws LookupError naming every unknown spec, with close names as suggestions.
   */
  async resolveEventTypes(
    tenantId: number,
    specs: readonly string[],
    options: CallOptions = {},
  ): Promise<SnaEventType[]> {
    return resolveEventTypeSpecs(await this.listEventTemplates(tenantId, options), specs);
  }

  /**
   * Security events of the given types active during `[from, to]`: starts a search job, polls it
   * (soon at first, then backing off to every `queryPollIntervalMs`), then reads its results. The range is widened to whole seconds.
   * @throws JobFailedError when the SMC reports the job as FAILED.
   * @throws NetworkError with `timedOut: true` when the job is not complete after `queryMaxWaitMs`.
   * Rejects with `signal.reason` as soon as `signal` aborts.
   */
  async querySecurityEvents(tenantId: number, query: SnaEventQuery): Promise<SnaEvent[]> {
    const events: SnaEvent[] = [];
    await this.forEachSecurityEvent(tenantId, query, (event) => events.push(event));
    return events;
  }

  /**
   * The same query, its events handed to `onEvent` one at a time as the results arrive (the
   * results are read as a stream, never whole): for a caller that keeps less of each event than
   * {@link SnaEvent} holds. Resolves with how many events there were. When it rejects, the events
   * already handed over came from an answer that was refused: discard them.
   */
  forEachSecurityEvent(tenantId: number, query: SnaEventQuery, onEvent: (event: SnaEvent) => void): Promise<number> {
    return runEventQuery(this.smc, checkId(tenantId, 'tenant id'), query, this.timing, onEvent);
  }

  /**
   * Flows of one address during `[from, to]` (reporting API v2): starts a flow query, polls it as
   * {@link querySecurityEvents} does, then reads at most `recordLimit` records.
   * @throws JobFailedError when the SMC reports the query as FAILED.
   */
  queryFlows(tenantId: number, query: SnaFlowQuery): Promise<SnaFlowResult> {
    return runFlowQuery(this.smc, checkId(tenantId, 'tenant id'), query, this.timing);
  }

  /** Host groups ("tags") of a tenant, as listed. */
  async listHostGroups(tenantId: number, options: CallOptions = {}): Promise<SnaHostGroupSummary[]> {
    const { data } = await this.smc.request(
      { method: 'GET', path: `${configPath(tenantId)}/tags`, signal: options.signal },
      hostGroupListSchema,
    );
    return data.map((g) => {
      const summary: SnaHostGroupSummary = { id: g.id, name: g.name };
      if (g.parentId !== null && g.parentId !== undefined) summary.parentId = g.parentId;
      if (g.location) summary.location = g.location;
      return summary;
    });
  }

  /** One host group with every field the SMC sent, ready for a read-modify-write update. */
  async getHostGroup(tenantId: number, hostGroupId: number, options: CallOptions = {}): Promise<SnaHostGroup> {
    const { data } = await this.smc.request(
      {
        method: 'GET',
        path: `${configPath(tenantId)}/tags/${checkId(hostGroupId, 'host group id')}`,
        signal: options.signal,
      },
      hostGroupResponseSchema,
    );
    return data;
  }

  /**
   * Creates a host group (the SMC takes an array) and returns it with its new id.
   * `parentId` 0 puts it at the top level, as Cisco's samples do.
   */
  async createHostGroup(
    tenantId: number,
    group: { name: string; location: 'INSIDE' | 'OUTSIDE'; parentId: number; description?: string; ranges?: string[] },
    options: CallOptions = {},
  ): Promise<SnaHostGroup> {
    const body = [{ ...group, ranges: group.ranges ?? [] }];
    const { data } = await this.smc.request(
      { method: 'POST', path: `${configPath(tenantId)}/tags`, json: body, signal: options.signal },
      hostGroupCreateResponseSchema,
    );
    const [created] = data;
    if (!created) throw new RangeError('the SMC created no host group');
    return created;
  }

  /**
   * Replaces a whole host group (`PUT …/tags/{id}`), the second half of a read-modify-write:
   * pass the object from {@link getHostGroup} with its changes. Returns what the SMC stored.
   */
  async replaceHostGroup(tenantId: number, group: SnaHostGroup, options: CallOptions = {}): Promise<SnaHostGroup> {
    const { data } = await this.smc.request(
      {
        method: 'PUT',
        path: `${configPath(tenantId)}/tags/${checkId(group.id, 'host group id')}`,
        json: group,
        signal: options.signal,
      },
      hostGroupResponseSchema,
    );
    return data;
  }
}

function tenantPath(tenantId: number): string {
  return `/sw-reporting/v1/tenants/${checkId(tenantId, 'tenant id')}`;
}

function configPath(tenantId: number): string {
  return `/smc-configuration/rest/v1/tenants/${checkId(tenantId, 'tenant id')}`;
}

/** Ids become path segments: only plain integers may get there. */
function checkId(id: number, what: string): number {
  if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`invalid SNA ${what}: ${id}`);
  return id;
}

function checkPresent(value: string, what: string): string {
  if (!value) throw new TypeError(`SNA ${what} is required`);
  return value;
}

function checkPositive(value: number, what: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`SNA ${what} must be a positive number`);
  return value;
}
