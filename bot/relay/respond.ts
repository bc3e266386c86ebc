/**
 * `/respond/observables` and `/respond/trigger`: "Add to / Remove from SNA quarantine host group"
 * for IPs, run by the same Tag/Untag code as the card's button (guardrails, the host-group lock,
 * the audit), with the XDR user named by the token as the actor ("XDR: <user>").
 */
import { randomUUID } from 'node:crypto';
import { UserInputError } from '../errors.js';
import { canonicalIp } from '../observables/ip.js';
import { runTag } from '../response/run-tag.js';
import type { ReplyContext } from '../router/types.js';
import type { RelayIdentity } from './auth.js';
import type { CtimObservable } from './ctim.js';
import { RelayError, safeReason } from './errors.js';
import type { TriggerRequest } from './observables.js';
import type { RelayDeps } from './types.js';

export const ACTIONS = {
  add: 'sna-quarantine-add',
  remove: 'sna-quarantine-remove',
} as const;

export interface ResponseAction {
  id: string;
  title: string;
  description: string;
  categories: string[];
  'query-params': { observable_type: string; observable_value: string };
}

/** The actions offered for each IP: add (unless a guardrail refuses the address) and remove. */
export function respondActions(observables: readonly CtimObservable[], deps: RelayDeps): ResponseAction[] {
  const { tags, guardrails } = deps.services;
  if (!tags) return [];
  const group = tags.defaultGroup;
  return observables.flatMap((o) => {
    const params = { observable_type: o.type, observable_value: o.value };
    const categories = ['Secure Network Analytics', 'Quarantine'];
    const remove: ResponseAction = {
      id: ACTIONS.remove,
      title: 'Remove from SNA quarantine host group',
      description: `Remove ${o.value} from the SMC host group “${group}”`,
      categories,
      'query-params': params,
    };
    if (!guardrails.checkTag(o.value).ok) return [remove];
    return [
      {
        id: ACTIONS.add,
        title: 'Add to SNA quarantine host group',
        description: `Add ${o.value} to the SMC host group “${group}”`,
        categories,
        'query-params': params,
      },
      remove,
    ];
  });
}

/** Runs an action; resolves with what was done, throws a {@link RelayError} when nothing was. */
export async function trigger(request: TriggerRequest, identity: RelayIdentity, deps: RelayDeps): Promise<string> {
  const op = request.actionId === ACTIONS.add ? 'tag' : request.actionId === ACTIONS.remove ? 'untag' : undefined;
  if (!op) throw new RelayError(400, 'invalid request', 'Unsupported action.');
  const ip =
    request.observableType === 'ip' || request.observableType === 'ipv6'
      ? canonicalIp(request.observableValue)
      : undefined;
  if (!ip) throw new RelayError(400, 'invalid request', 'The SNA quarantine takes IP addresses only.');
  if (!deps.services.tags) throw new RelayError(503, 'unknown', 'The SMC is not configured.');
  const ctx = relayContext(identity, deps);
  try {
    const outcome = await runTag(ctx, { op, ip: ip.value });
    if (outcome.status === 'refused') throw new RelayError(403, 'refused', plain(outcome.message));
    return plain(outcome.message);
  } catch (err) {
    if (err instanceof RelayError) throw err;
    if (err instanceof UserInputError) throw new RelayError(400, 'invalid request', plain(err.detail));
    deps.log.error({ err, action: request.actionId }, 'relay: response action failed');
    throw new RelayError(502, 'unknown', `Nothing was changed: ${safeReason(err)}.`);
  }
}

/** A context like a chat command's, whose actor is the XDR user and whose replies are kept. */
function relayContext(identity: RelayIdentity, deps: RelayDeps): ReplyContext {
  const user = identity.user ?? 'unidentified user';
  return {
    actor: {
      id: `xdr:${user}`,
      email: /^[^\s@]+@[^\s@]+$/.test(user) ? user : undefined,
      displayName: `XDR: ${user}`,
    },
    triggerId: `relay:${identity.tokenId ?? randomUUID()}`,
    roomId: '',
    isDirect: false,
    reply: () => Promise.resolve(),
    replyCard: () => Promise.resolve(),
    log: deps.log,
    services: deps.services,
  };
}

/** The chat answer without its Markdown escapes (XDR shows the message as text). */
function plain(markdown: string): string {
  return markdown.replace(/(?<!\\)\*\*/g, '').replace(/\\([\\`*_~[\]<>{}()#+\-.!&])/g, '$1');
}
