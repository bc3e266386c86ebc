/**
 * Tag and Untag as the operator experiences them, shared by the commands and the card
 * buttons: do it, audit it, show it on the incident's card, and say what happened.
 */
import { userText } from '../../cards/format.js';
import { UserInputError } from '../errors.js';
import { actorRecord } from '../incidents/workflow.js';
import { NOT_YET_RECORDED, recordAfterChange } from './bookkeeping.js';
import type { ReplyContext } from '../router/types.js';
import type { TagResult } from './tag.js';

/** What happened, for callers that answer in another shape than chat (the XDR relay). */
export interface TagOutcome {
  status: 'refused' | TagResult['status'];
  /** What the person was (or would have been) told. */
  message: string;
}

export async function runTag(
  ctx: ReplyContext,
  request: { op: 'tag' | 'untag'; ip: string; group?: string | undefined; incidentId?: string | undefined },
): Promise<TagOutcome> {
  const { tags, audit, incidents, outbox, guardrails } = ctx.services;
  if (!tags) throw new UserInputError('Tagging needs the SMC: set SNA_URL, SNA_USERNAME and SNA_PASSWORD.');
  const actor = actorRecord(ctx);
  const base = { actor, action: request.op, target: `host:${request.ip}`, incidentId: request.incidentId };
  // Quarantining a protected host (a domain controller, the SMC itself) is refused; untag always works.
  const verdict = request.op === 'tag' ? guardrails.checkTag(request.ip) : { ok: true as const };
  if (!verdict.ok) {
    await audit.record({ ...base, outcome: 'refused', detail: verdict.reason });
    const message = `Not tagged: ${userText(verdict.reason, 200)}.`;
    await ctx.reply(message);
    return { status: 'refused', message };
  }
  let result: TagResult;
  try {
    result =
      request.op === 'tag' ? await tags.tag(request.ip, request.group) : await tags.untag(request.ip, request.group);
  } catch (err) {
    // The SMC was not changed: that is what the audit and the person are told.
    await audit
      .record({
        ...base,
        outcome: err instanceof UserInputError ? 'refused' : 'failed',
        detail: (err instanceof UserInputError ? err.detail : String((err as Error).message)).slice(0, 300),
      })
      .catch((auditErr: unknown) => ctx.log.error({ err: auditErr }, 'could not audit a failed tag'));
    throw err;
  }
  const changed = result.status === 'tagged' || result.status === 'untagged';
  const at = ctx.services.now().toISOString();
  const incidentId = request.incidentId;
  // The SMC changed (or already held the host): the rest is bookkeeping, retried, never "nothing changed".
  const allRecorded = await recordAfterChange(ctx.log, [
    {
      what: 'audit',
      run: () =>
        audit.record({
          ...base,
          outcome: changed ? 'done' : 'already',
          detail: `${result.status} in host group ${result.group.name} (${result.group.id})`,
          upstreamIds: [`sna-tag:${result.group.id}`],
          once: `${request.op}:${ctx.triggerId}:${request.ip}`,
        }),
    },
    ...(incidentId
      ? [
          {
            what: 'incident card',
            run: async () => {
              await incidents.change(incidentId, (incident) => {
                incident.tag = {
                  state: request.op === 'tag' ? 'tagged' : 'untagged',
                  hostGroup: result.group.name,
                  by: actor,
                  at,
                };
                return true;
              });
              await outbox.enqueueAlert(incidentId);
            },
          },
        ]
      : []),
  ]);
  const ip = userText(request.ip, 64);
  const group = `**${userText(result.group.name, 120)}**`;
  const messages: Record<TagResult['status'], string> = {
    tagged: `Tagged ${ip} in ${group}.`,
    'already-tagged': `${ip} is already in ${group}; nothing changed.`,
    untagged: `Removed ${ip} from ${group}.`,
    'not-tagged': `${ip} is not in ${group}; nothing changed.`,
  };
  const message = `${messages[result.status]}${allRecorded ? '' : NOT_YET_RECORDED}`;
  if (!request.incidentId || !changed || !allRecorded) await ctx.reply(message);
  return { status: result.status, message };
}
