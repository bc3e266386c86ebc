/**
 * The dependencies commands and actions reach through their context. Built once, by
 * `buildServices` (`bot/build-services.ts`) for `bot/app.ts`; handlers never import clients or
 * stores directly.
 */
import type { AuditLog } from './audit/audit-log.js';
import type { Roles } from './auth/roles.js';
import type { XdrClient } from '../integrations/xdr/index.js';
import type { Config } from './config.js';
import type { Enricher } from './enrich/enricher.js';
import type { FlowService } from './flows/service.js';
import type { IncidentStore } from './incidents/store.js';
import type { Outbox } from './outbox/outbox.js';
import type { SnaPoller } from './poller/sna-poller.js';
import type { Command } from './router/types.js';
import type { BlockApprovals } from './response/approvals.js';
import type { BlockService } from './response/block.js';
import type { Guardrails } from './response/guardrails.js';
import type { TagService } from './response/tag.js';
import type { Leadership } from './state/leadership.js';
import type { StateStore } from './state/store.js';

export interface SnaSessionInfo {
  loggedIn: boolean;
  since?: Date | undefined;
  logins: number;
}

export interface Services {
  config: Readonly<Config>;
  state: StateStore;
  incidents: IncidentStore;
  outbox: Outbox;
  /** Absent when SNA_URL is not configured. */
  poller: SnaPoller | undefined;
  snaSession: (() => SnaSessionInfo) | undefined;
  roles: Roles;
  audit: AuditLog;
  guardrails: Guardrails;
  /** Absent when SNA is not configured. */
  tags: TagService | undefined;
  /** Absent when XDR is not configured. */
  blocks: BlockService | undefined;
  approvals: BlockApprovals;
  enricher: Enricher;
  /** Absent when SNA is not configured: the SMC's flow search (`/flows`, flow context). */
  flows: FlowService | undefined;
  /** Absent when XDR is not configured (used by /enrich's observable extraction and /escalate). */
  xdr: XdrClient | undefined;
  /** The registered commands, for `/help`. */
  commands: readonly Command[];
  leadership: Leadership;
  startedAt: Date;
  now(): Date;
}
