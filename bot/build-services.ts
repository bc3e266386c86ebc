/**
 * The services commands, card actions and the event pipeline share, built over one state store
 * and one clock: the part of the composition root that needs neither the Webex framework nor the
 * HTTP server. Webex comes in through two seams, where alert cards go (`sink`) and who is in the
 * alert space (`listMembers`). `bot/app.ts` calls this; nothing here is started.
 */
import type { FetchLike } from '../integrations/http.js';
import { SnaClient } from '../integrations/sna/client.js';
import { createTlsFetch } from '../integrations/tls-fetch.js';
import { XdrClient } from '../integrations/xdr/index.js';
import { AuditLog } from './audit/audit-log.js';
import { AlertSpaceMembers, type SpaceMember } from './auth/alert-space.js';
import { Roles } from './auth/roles.js';
import { commands } from './commands/index.js';
import type { Config } from './config.js';
import { autoEnricher } from './enrich/auto.js';
import { buildEnricher } from './enrich/build.js';
import { flowContext } from './flows/context.js';
import { FlowGate } from './flows/gate.js';
import { FlowService } from './flows/service.js';
import { IncidentStore } from './incidents/store.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import { createAlertDelivery } from './outbox/deliver-alert.js';
import { Outbox } from './outbox/outbox.js';
import { EventPipeline } from './pipeline/event-pipeline.js';
import { SnaPoller } from './poller/sna-poller.js';
import { BlockApprovals } from './response/approvals.js';
import { BlockService } from './response/block.js';
import { Guardrails } from './response/guardrails.js';
import { TagService } from './response/tag.js';
import type { Services } from './services.js';
import { Leadership } from './state/leadership.js';
import type { StateStore } from './state/store.js';
import type { AlertSink } from './webex/alert-sink.js';

export interface ServiceDeps {
  log: Logger;
  metrics: Metrics;
  /** Where alert and digest cards are posted and replaced (the alert space). */
  sink: AlertSink;
  /** The alert space's members (Webex memberships): the operators when BOT_OPERATORS is empty. */
  listMembers: (roomId: string) => Promise<SpaceMember[]>;
  /** Transport for the SMC; defaults to one honouring SNA_TLS_VERIFY / SNA_CA_FILE. */
  snaFetch?: FetchLike | undefined;
}

export interface BuiltServices {
  services: Services;
  members: AlertSpaceMembers;
  pipeline: EventPipeline;
  /** Absent when SNA_URL is not configured. */
  sna: SnaClient | undefined;
  /** The SMC tenant, resolved once it answers (absent without SNA_URL). */
  tenantId: (() => Promise<number>) | undefined;
  /** Stops the flow gate, then the outbox (neither is started here, both must stop). */
  stop(): Promise<void>;
}

export function buildServices(
  config: Readonly<Config>,
  deps: ServiceDeps,
  state: StateStore,
  now: () => Date,
): BuiltServices {
  const { log, metrics } = deps;
  const incidents = new IncidentStore(state, { windowMinutes: config.incidentWindowMinutes, now });
  const leadership = new Leadership(state.lease('leader', config.leaderLeaseSeconds * 1000), {
    ttlMs: config.leaderLeaseSeconds * 1000,
    log: log.child({ part: 'leadership' }),
  });
  const members = new AlertSpaceMembers({ roomId: config.webex.alertRoomId, list: deps.listMembers, state, now });
  const outbox = new Outbox({
    state,
    now,
    baseBackoffMs: config.outboxBackoffMs,
    isLeader: () => leadership.isLeader,
    log: log.child({ part: 'outbox' }),
    deliver: createAlertDelivery({
      incidents,
      sink: deps.sink,
      card: {
        hostUrlTemplate: config.sna?.hostUrlTemplate,
        canBlock: Boolean(config.xdr),
        canTag: Boolean(config.sna),
        canEscalate: Boolean(config.xdr),
      },
      log: log.child({ part: 'delivery' }),
      now,
      onPosted: (kind) =>
        metrics.inc(kind === 'digest' ? 'sna_chatops_digests_posted_total' : 'sna_chatops_alerts_posted_total'),
    }),
  });

  const sna = config.sna
    ? new SnaClient({
        baseUrl: config.sna.url,
        username: config.sna.username,
        password: config.sna.password,
        fetch: metrics.instrument(
          'sna',
          deps.snaFetch ?? createTlsFetch({ verify: config.sna.tlsVerify, caFile: config.sna.caFile }),
        ),
        queryMaxWaitMs: config.sna.queryTimeoutSeconds * 1000,
        queryPollIntervalMs: 500,
      })
    : undefined;
  const xdr = config.xdr
    ? new XdrClient({
        clientId: config.xdr.clientId,
        clientSecret: config.xdr.clientSecret,
        region: config.xdr.region,
        fetch: metrics.instrument('xdr'),
        ...(config.xdr.apiUrl ? { apiUrl: config.xdr.apiUrl } : {}),
        ...(config.xdr.privateIntelUrl ? { privateIntelUrl: config.xdr.privateIntelUrl } : {}),
      })
    : undefined;
  const tenantId = sna ? memoizeRetryable(() => sna.resolveTenantId(config.sna?.tenantId)) : undefined;
  const tags =
    sna && config.sna && tenantId
      ? new TagService({
          sna,
          tenantId,
          defaultGroup: config.response.tagName,
          parentId: config.response.tagParentId,
          state,
        })
      : undefined;
  const flowGate = new FlowGate({ perMinute: config.flows.queriesPerMinute, now: () => now().getTime() });
  const flows =
    sna && tenantId
      ? new FlowService({
          sna,
          tenantId,
          state,
          gate: flowGate,
          recordLimit: config.flows.recordLimit,
          log: log.child({ part: 'flows' }),
          now,
        })
      : undefined;
  const enricher = buildEnricher(config, {
    xdr,
    flows,
    incidents,
    state,
    log: log.child({ part: 'enrich' }),
    now,
    fetchFor: (service) => metrics.instrument(service),
  });
  const pipeline = new EventPipeline({
    state,
    incidents,
    outbox,
    minPoints: config.minPoints,
    digestThreshold: config.digestThreshold,
    seenWindowMs: ((config.sna?.lookbackMinutes ?? 60) * 60 + (config.sna?.overlapSeconds ?? 120)) * 1000,
    beforeAlert: [
      ...(config.enrich.auto ? [autoEnricher({ enricher, incidents, log: log.child({ part: 'auto-enrich' }) })] : []),
      ...(flows && config.flows.context
        ? [flowContext({ flows, incidents, log: log.child({ part: 'flow-context' }) })]
        : []),
    ],
    beforeAlertWaitMs: config.alertHoldMs,
    now,
    log: log.child({ part: 'pipeline' }),
  });
  const poller =
    sna && config.sna
      ? new SnaPoller({
          sna,
          state,
          pipeline,
          config: config.sna,
          log: log.child({ part: 'poller' }),
          isLeader: () => leadership.isLeader,
          onPoll: (seconds, events, malformed) => {
            metrics.observePoll(seconds);
            if (events > 0) metrics.inc('sna_chatops_events_total', { path: 'poll' }, events);
            if (malformed > 0) metrics.inc('sna_chatops_sna_records_malformed_total', {}, malformed);
          },
          now,
        })
      : undefined;

  const services: Services = {
    config,
    state,
    incidents,
    outbox,
    poller,
    snaSession: sna ? () => sna.session() : undefined,
    roles: new Roles({
      operators: config.response.operators,
      responders: config.response.responders,
      members,
    }),
    audit: new AuditLog(state, {
      now,
      onRecord: (e) => metrics.inc('sna_chatops_actions_total', { action: e.action, outcome: e.outcome }),
    }),
    guardrails: new Guardrails({
      protectedRanges: config.response.protectedRanges,
      protectedDomains: config.response.protectedDomains,
    }),
    tags,
    blocks: xdr
      ? new BlockService({ xdr, state, feedName: config.xdr?.blockFeedName ?? 'SNA ChatOps Block List', now })
      : undefined,
    approvals: new BlockApprovals(state, config.response.approvalTtlMs),
    enricher,
    flows,
    xdr,
    commands,
    leadership,
    startedAt: now(),
    now,
  };
  return {
    services,
    members,
    pipeline,
    sna,
    tenantId,
    async stop() {
      try {
        flowGate.stop();
      } finally {
        await outbox.stop();
      }
    },
  };
}

/** Caches a successful result; a failure is retried on the next call. */
function memoizeRetryable<T>(load: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => {
    cached ??= load().catch((err: unknown) => {
      cached = undefined;
      throw err;
    });
    return cached;
  };
}
