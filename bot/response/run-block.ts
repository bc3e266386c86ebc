/**
 * Block, Unblock and Approve as the responder experiences them, shared by the commands and
 * the card buttons: guardrails, the two-person rule, the XDR calls, the audit trail, the
 * incident's card, and one short answer.
 *
 * The change in XDR and the bookkeeping after it are reported apart: when XDR refused, the
 * person is told nothing was changed and the audit says `failed`; once XDR changed, the answer
 * says so even if the audit or the card could not be written yet (they are retried), and the
 * audit records one true outcome.
 */
import { observableText, userText } from '../../cards/format.js';
import { UserInputError } from '../errors.js';
import { formatDuration } from '../duration.js';
import { formatUtc } from '../format-time.js';
import type { ActorRecord, BlockState } from '../incidents/types.js';
import { actorRecord } from '../incidents/workflow.js';
import type { Logger } from '../log.js';
import { type Observable, describeObservable } from '../observables/parse.js';
import type { ReplyContext } from '../router/types.js';
import type { Services } from '../services.js';
import type { BlockRequest } from './approvals.js';
import type { BlockRecord, BlockService } from './block.js';
import { NOT_YET_RECORDED, recordAfterChange } from './bookkeeping.js';
import type { BlockableType } from './guardrails.js';

export interface BlockAsk {
  observable: Observable;
  ttlMs?: number | undefined;
  reason?: string | undefined;
  incidentId?: string | undefined;
}

interface PerformAsk extends BlockAsk {
  ttlMs: number;
  requestedBy: ActorRecord;
  approvedBy?: ActorRecord | undefined;
}

const show = (o: Observable) => `${describeObservable({ ...o, value: '' }).trim()} ${observableText(o.type, o.value)}`;
const targetOf = (o: Observable) => `${o.type}:${o.value}`;

export async function runBlock(ctx: ReplyContext, ask: BlockAsk): Promise<void> {
  const { guardrails, audit, config } = ctx.services;
  const actor = actorRecord(ctx);
  const target = targetOf(ask.observable);
  const verdict = guardrails.check(ask.observable);
  if (!verdict.ok) {
    await audit.record({
      actor,
      action: 'block',
      target,
      outcome: 'refused',
      detail: verdict.reason,
      incidentId: ask.incidentId,
    });
    await ctx.reply(`Not blocked: ${userText(verdict.reason, 300)}.`);
    return;
  }
  const blocks = requireBlocks(ctx.services);
  const active = await blocks.active(ask.observable);
  if (active) {
    await audit.record({ actor, action: 'block', target, outcome: 'already', incidentId: ask.incidentId });
    await showOnIncident(ctx.services, ask.incidentId, blockedState(active));
    await ctx.reply(
      `${show(ask.observable)} is already blocked (by ${userText(active.by.name, 80)}, until ${formatUtc(active.until)}). Nothing changed.`,
    );
    return;
  }
  const ttlMs = ask.ttlMs ?? config.response.blockTtlMs;
  if (config.response.approval === 'two-person') {
    const request = await ctx.services.approvals.request(
      { observable: ask.observable, requestedBy: actor, ttlMs, reason: ask.reason ?? '', incidentId: ask.incidentId },
      ctx.services.now(),
    );
    await audit.record({
      actor,
      action: 'block',
      target,
      outcome: 'requested',
      detail: `request ${request.id}, ${formatDuration(ttlMs)}`,
      incidentId: ask.incidentId,
    });
    await showOnIncident(ctx.services, ask.incidentId, {
      state: 'pending',
      observable: ask.observable.value,
      requestId: request.id,
      requestedBy: actor,
      requestedAt: request.requestedAt,
      expiresAt: request.expiresAt,
    });
    await ctx.reply(
      `Block of ${show(ask.observable)} requested. A different responder approves it with ` +
        `${ask.incidentId ? '**Approve block** on the card or ' : ''}\`/approve ${request.id}\` before ${formatUtc(request.expiresAt)}.`,
    );
    return;
  }
  const outcome = await performBlock(ctx.services, ctx.log, { ...ask, ttlMs, requestedBy: actor });
  if (!ask.incidentId || !outcome.allRecorded) await ctx.reply(blockAnswer(outcome));
}

/** `/approve <id>` and the Approve button: a second responder lets a pending block through. */
export async function runApprove(ctx: ReplyContext, requestId: string): Promise<void> {
  const { approvals, audit } = ctx.services;
  const actor = actorRecord(ctx);
  const check = await approvals.claim(requestId, actor, ctx.services.now());
  const target = check.request ? targetOf(check.request.observable) : `request:${requestId}`;
  if (!check.ok) {
    const request = check.request;
    await audit.record({
      actor,
      action: 'approve-block',
      target,
      outcome: check.why === 'expired' ? 'expired' : 'refused',
      detail: check.why,
      incidentId: request?.incidentId,
    });
    if (check.why === 'expired' && request) {
      await showOnIncident(ctx.services, request.incidentId, {
        state: 'expired',
        observable: request.observable.value,
        requestedBy: request.requestedBy,
        expiredAt: request.expiresAt,
      });
    }
    const answers = {
      unknown: `There is no block request "${userText(requestId, 20)}".`,
      expired: `That block request expired at ${request ? formatUtc(request.expiresAt) : 'its deadline'}; nothing was blocked. Press Block again to ask anew.`,
      'own-request': 'You asked for this block; a different responder must approve it.',
      done: 'That block request was already approved.',
    } as const;
    await ctx.reply(answers[check.why]);
    return;
  }
  const outcome = await completeApproval(ctx.services, ctx.log, check.request);
  if (!check.request.incidentId || !outcome.allRecorded || check.resumed) await ctx.reply(blockAnswer(outcome));
}

/**
 * Runs the block of a claimed approval and marks the approval done. A block XDR refused puts the
 * request back, so it can be approved again; the card says so.
 */
async function completeApproval(services: Services, log: Logger, request: BlockRequest): Promise<BlockOutcome> {
  const approvedBy = request.approvedBy;
  let outcome: BlockOutcome;
  try {
    outcome = await performBlock(services, log, {
      observable: request.observable,
      ttlMs: request.ttlMs,
      reason: request.reason,
      incidentId: request.incidentId,
      requestedBy: request.requestedBy,
      approvedBy,
    });
  } catch (err) {
    await services.approvals.release(request).catch((releaseErr: unknown) => {
      log.error({ err: releaseErr, requestId: request.id }, 'could not put a failed approval back');
    });
    throw err;
  }
  const done = await recordAfterChange(log, [{ what: 'approval', run: () => services.approvals.complete(request) }]);
  return { ...outcome, allRecorded: outcome.allRecorded && done };
}

/**
 * Start-up sweep: approvals claimed whose block may not have run (the bot died between the
 * approval and XDR) are finished, exactly once (the block is idempotent by its external id).
 */
export async function resumeApprovals(services: Services, log: Logger): Promise<number> {
  const pending = await services.approvals.inFlight();
  for (const request of pending) {
    try {
      const outcome = await completeApproval(services, log, request);
      log.info({ requestId: request.id, status: outcome.status }, 'finished an approved block after a restart');
    } catch (err) {
      log.error(
        { err, requestId: request.id },
        'could not finish an approved block after a restart; it can be approved again',
      );
    }
  }
  return pending.length;
}

export async function runUnblock(
  ctx: ReplyContext,
  ask: { observable: Observable; incidentId?: string | undefined },
): Promise<void> {
  const blocks = requireBlocks(ctx.services);
  const actor = actorRecord(ctx);
  const target = targetOf(ask.observable);
  const reason = `Unblocked from Webex by ${actor.name}${actor.email ? ` <${actor.email}>` : ''}`;
  let result: Awaited<ReturnType<BlockService['unblock']>>;
  try {
    result = await blocks.unblock({ observable: ask.observable, by: actor, reason });
  } catch (err) {
    await auditQuietly(ctx, { action: 'unblock', target, outcome: 'failed', err, incidentId: ask.incidentId });
    throw err;
  }
  if (result.status === 'not-blocked') {
    await ctx.services.audit.record({
      actor,
      action: 'unblock',
      target,
      outcome: 'already',
      incidentId: ask.incidentId,
    });
    await ctx.reply(`${show(ask.observable)} is not blocked; nothing changed.`);
    return;
  }
  const { record } = result;
  const incidentId = ask.incidentId ?? record.incidentId;
  const at = record.unblocked?.at ?? ctx.services.now().toISOString();
  const allRecorded = await recordAfterChange(ctx.log, [
    {
      what: 'audit',
      run: () =>
        ctx.services.audit.record({
          actor,
          action: 'unblock',
          target,
          outcome: 'done',
          incidentId: ask.incidentId,
          upstreamIds: [record.judgementId],
          once: `unblock:${record.externalId}`,
        }),
    },
    {
      what: 'block record',
      run: () =>
        result.recorded ? Promise.resolve() : blocks.unblock({ observable: ask.observable, by: actor, reason }),
    },
    {
      what: 'incident card',
      run: () =>
        showOnIncident(ctx.services, incidentId, {
          state: 'unblocked',
          observable: ask.observable.value,
          by: actor,
          at,
        }),
    },
  ]);
  if (!ask.incidentId || !allRecorded) {
    await ctx.reply(`Unblocked ${show(ask.observable)}; the feed drops it now.${allRecorded ? '' : NOT_YET_RECORDED}`);
  }
}

interface BlockOutcome {
  status: 'blocked' | 'already';
  observable: Observable;
  record: BlockRecord;
  /** False when XDR changed but the audit, the record or the card could not be written yet. */
  allRecorded: boolean;
}

/** The block itself, then its bookkeeping; throws only when nothing was changed in XDR. */
async function performBlock(services: Services, log: Logger, ask: PerformAsk): Promise<BlockOutcome> {
  const blocks = requireBlocks(services);
  const observable = ask.observable as Observable & { type: BlockableType };
  const target = targetOf(observable);
  const actor = ask.approvedBy ?? ask.requestedBy;
  const incident = ask.incidentId ? await services.incidents.get(ask.incidentId) : undefined;
  const reason = [
    `Blocked from Webex by ${ask.requestedBy.name}${ask.requestedBy.email ? ` <${ask.requestedBy.email}>` : ''}`,
    ask.approvedBy ? `approved by ${ask.approvedBy.name}` : '',
    incident ? `for incident ${incident.id} (${incident.eventName} from ${incident.hostIp})` : '',
    ask.reason ?? '',
  ]
    .filter(Boolean)
    .join('; ');
  let result: Awaited<ReturnType<BlockService['block']>>;
  try {
    result = await blocks.block({
      observable,
      ttlMs: ask.ttlMs,
      reason,
      by: ask.requestedBy,
      approvedBy: ask.approvedBy,
      incidentId: ask.incidentId,
    });
  } catch (err) {
    await services.audit
      .record({ actor, action: 'block', target, outcome: 'failed', detail: describe(err), incidentId: ask.incidentId })
      .catch((auditErr: unknown) => log.error({ err: auditErr }, 'could not audit a failed block'));
    throw err;
  }
  const { record } = result;
  const allRecorded = await recordAfterChange(log, [
    {
      what: 'audit',
      run: () =>
        services.audit.record({
          actor,
          action: 'block',
          target,
          outcome: result.status === 'blocked' ? 'done' : 'already',
          detail: `until ${record.until}${ask.approvedBy ? `, requested by ${ask.requestedBy.name}` : ''}`,
          incidentId: ask.incidentId,
          upstreamIds: [record.judgementId],
          // One entry per block, however often the bookkeeping is retried.
          ...(result.status === 'blocked' ? { once: `block:${record.externalId}` } : {}),
        }),
    },
    ...(result.recorded ? [] : [{ what: 'block record', run: () => blocks.remember(record) }]),
    { what: 'incident card', run: () => showOnIncident(services, ask.incidentId, blockedState(record)) },
  ]);
  return { status: result.status, observable, record, allRecorded };
}

function blockAnswer(outcome: BlockOutcome): string {
  const what = show(outcome.observable);
  const until = formatUtc(outcome.record.until);
  const text =
    outcome.status === 'blocked'
      ? `Blocked ${what} until ${until} on the XDR blocking feed.`
      : `${what} is already blocked until ${until}. Nothing changed.`;
  return outcome.allRecorded ? text : `${text}${NOT_YET_RECORDED}`;
}

function blockedState(record: BlockRecord): BlockState {
  return {
    state: 'blocked',
    observable: record.observable.value,
    by: record.by,
    at: record.at,
    until: record.until,
    approvedBy: record.approvedBy,
  };
}

async function auditQuietly(
  ctx: ReplyContext,
  entry: { action: string; target: string; outcome: 'failed'; err: unknown; incidentId?: string | undefined },
): Promise<void> {
  const { err, ...rest } = entry;
  await ctx.services.audit
    .record({ actor: actorRecord(ctx), ...rest, detail: describe(err) })
    .catch((auditErr: unknown) => ctx.log.error({ err: auditErr }, 'could not audit a failed action'));
}

function describe(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 300);
}

function requireBlocks(services: Services): BlockService {
  const blocks = services.blocks;
  if (!blocks) throw new UserInputError('Blocking needs Cisco XDR: set XDR_CLIENT_ID and XDR_CLIENT_SECRET.');
  return blocks;
}

async function showOnIncident(services: Services, incidentId: string | undefined, block: BlockState): Promise<void> {
  if (!incidentId) return;
  const result = await services.incidents.change(incidentId, (incident) => {
    incident.block = block;
    return true;
  });
  if (result) await services.outbox.enqueueAlert(incidentId);
}
