/**
 * Block, Unblock and Approve as the responder experiences them, shared by the commands and
 * the card buttons: guardrails, the two-person rule, the XDR calls, the audit trail, the
 * incident's card, and one short answer.
 */
import { observableText, userText } from '../../cards/format.js';
import { UserInputError } from '../errors.js';
import { formatDuration } from '../duration.js';
import { formatUtc } from '../format-time.js';
import type { ActorRecord, BlockState } from '../incidents/types.js';
import { type Observable, describeObservable } from '../observables/parse.js';
import { actorRecord } from '../incidents/workflow.js';
import type { ReplyContext } from '../router/types.js';
import type { BlockRequest } from './approvals.js';
import type { BlockableType } from './guardrails.js';

export interface BlockAsk {
  observable: Observable;
  ttlMs?: number | undefined;
  reason?: string | undefined;
  incidentId?: string | undefined;
}

const show = (o: Observable) => `${describeObservable({ ...o, value: '' }).trim()} ${observableText(o.type, o.value)}`;

export async function runBlock(ctx: ReplyContext, ask: BlockAsk): Promise<void> {
  const { guardrails, audit, config } = ctx.services;
  const actor = actorRecord(ctx);
  const target = `${ask.observable.type}:${ask.observable.value}`;
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
  const blocks = requireBlocks(ctx);
  const active = await blocks.active(ask.observable);
  if (active) {
    await audit.record({ actor, action: 'block', target, outcome: 'already', incidentId: ask.incidentId });
    await showOnIncident(ctx, ask.incidentId, {
      state: 'blocked',
      observable: ask.observable.value,
      by: active.by,
      at: active.at,
      until: active.until,
      approvedBy: active.approvedBy,
    });
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
    await showOnIncident(ctx, ask.incidentId, {
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
  await performBlock(ctx, { ...ask, ttlMs, requestedBy: actor });
}

/** `/approve <id>` and the Approve button: a second responder lets a pending block through. */
export async function runApprove(ctx: ReplyContext, requestId: string): Promise<void> {
  const { approvals, audit } = ctx.services;
  const actor = actorRecord(ctx);
  const check = await approvals.claim(requestId, actor, ctx.services.now());
  const target = check.request
    ? `${check.request.observable.type}:${check.request.observable.value}`
    : `request:${requestId}`;
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
      await showOnIncident(ctx, request.incidentId, {
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
  const request: BlockRequest = check.request;
  try {
    await performBlock(ctx, {
      observable: request.observable,
      ttlMs: request.ttlMs,
      reason: request.reason,
      incidentId: request.incidentId,
      requestedBy: request.requestedBy,
      approvedBy: actor,
    });
  } catch (err) {
    await approvals.release(request);
    throw err;
  }
}

export async function runUnblock(
  ctx: ReplyContext,
  ask: { observable: Observable; incidentId?: string | undefined },
): Promise<void> {
  const blocks = requireBlocks(ctx);
  const actor = actorRecord(ctx);
  const target = `${ask.observable.type}:${ask.observable.value}`;
  const reason = `Unblocked from Webex by ${actor.name}${actor.email ? ` <${actor.email}>` : ''}`;
  try {
    const result = await blocks.unblock({ observable: ask.observable, by: actor, reason });
    const changed = result.status === 'unblocked';
    await ctx.services.audit.record({
      actor,
      action: 'unblock',
      target,
      outcome: changed ? 'done' : 'already',
      incidentId: ask.incidentId,
      upstreamIds: result.record ? [result.record.judgementId] : undefined,
    });
    if (changed) {
      const at = ctx.services.now().toISOString();
      await showOnIncident(ctx, ask.incidentId ?? result.record?.incidentId, {
        state: 'unblocked',
        observable: ask.observable.value,
        by: actor,
        at,
      });
    }
    if (!changed || !ask.incidentId) {
      await ctx.reply(
        changed
          ? `Unblocked ${show(ask.observable)}; the feed drops it now.`
          : `${show(ask.observable)} is not blocked; nothing changed.`,
      );
    }
  } catch (err) {
    await ctx.services.audit.record({
      actor,
      action: 'unblock',
      target,
      outcome: 'failed',
      detail: (err as Error).message.slice(0, 300),
      incidentId: ask.incidentId,
    });
    throw err;
  }
}

async function performBlock(
  ctx: ReplyContext,
  ask: BlockAsk & { ttlMs: number; requestedBy: ActorRecord; approvedBy?: ActorRecord | undefined },
): Promise<void> {
  const blocks = requireBlocks(ctx);
  const observable = ask.observable as Observable & { type: BlockableType };
  const target = `${observable.type}:${observable.value}`;
  const incident = ask.incidentId ? await ctx.services.incidents.get(ask.incidentId) : undefined;
  const reason = [
    `Blocked from Webex by ${ask.requestedBy.name}${ask.requestedBy.email ? ` <${ask.requestedBy.email}>` : ''}`,
    ask.approvedBy ? `approved by ${ask.approvedBy.name}` : '',
    incident ? `for incident ${incident.id} (${incident.eventName} from ${incident.hostIp})` : '',
    ask.reason ?? '',
  ]
    .filter(Boolean)
    .join('; ');
  try {
    const result = await blocks.block({
      observable,
      ttlMs: ask.ttlMs,
      reason,
      by: ask.requestedBy,
      approvedBy: ask.approvedBy,
      incidentId: ask.incidentId,
    });
    const { record } = result;
    await ctx.services.audit.record({
      actor: ask.approvedBy ?? ask.requestedBy,
      action: 'block',
      target,
      outcome: result.status === 'blocked' ? 'done' : 'already',
      detail: `until ${record.until}${ask.approvedBy ? `, requested by ${ask.requestedBy.name}` : ''}`,
      incidentId: ask.incidentId,
      upstreamIds: [record.judgementId],
    });
    await showOnIncident(ctx, ask.incidentId, {
      state: 'blocked',
      observable: observable.value,
      by: record.by,
      at: record.at,
      until: record.until,
      approvedBy: record.approvedBy,
    });
    if (!ask.incidentId) {
      await ctx.reply(
        result.status === 'blocked'
          ? `Blocked ${show(observable)} until ${formatUtc(record.until)} on the XDR blocking feed.`
          : `${show(observable)} is already blocked until ${formatUtc(record.until)}. Nothing changed.`,
      );
    }
  } catch (err) {
    await ctx.services.audit.record({
      actor: ask.approvedBy ?? ask.requestedBy,
      action: 'block',
      target,
      outcome: 'failed',
      detail: (err as Error).message.slice(0, 300),
      incidentId: ask.incidentId,
    });
    throw err;
  }
}

function requireBlocks(ctx: ReplyContext) {
  const blocks = ctx.services.blocks;
  if (!blocks) throw new UserInputError('Blocking needs Cisco XDR: set XDR_CLIENT_ID and XDR_CLIENT_SECRET.');
  return blocks;
}

async function showOnIncident(ctx: ReplyContext, incidentId: string | undefined, block: BlockState): Promise<void> {
  if (!incidentId) return;
  const result = await ctx.services.incidents.change(incidentId, (incident) => {
    incident.block = block;
    return true;
  });
  if (result) await ctx.services.outbox.enqueueAlert(incidentId);
}
