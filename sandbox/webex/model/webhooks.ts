/** Webhook registrations: each caller sees and manages only their own. */
import type { SimContext } from './context.js';
import { badRequest, notFound } from './errors.js';
import { webexId } from './ids.js';
import type { WebexWebhook, WebhookEvent, WebhookResource } from './types.js';

const RESOURCES: readonly WebhookResource[] = ['all', 'messages', 'memberships', 'rooms', 'attachmentActions'];
const EVENTS: readonly WebhookEvent[] = ['all', 'created', 'updated', 'deleted'];

/** The body of `POST /webhooks`. */
export interface NewWebhookInput {
  name?: string | undefined;
  targetUrl?: string | undefined;
  resource?: string | undefined;
  event?: string | undefined;
  filter?: string | undefined;
  secret?: string | undefined;
}

/** The body of `PUT /webhooks/{id}`. */
export interface UpdateWebhookInput {
  name?: string | undefined;
  targetUrl?: string | undefined;
  secret?: string | undefined;
  status?: string | undefined;
}

function assertTargetUrl(targetUrl: string | undefined): string {
  if (!targetUrl || !URL.canParse(targetUrl) || !/^https?:$/.test(new URL(targetUrl).protocol)) {
    throw badRequest('targetUrl must be an http(s) URL.');
  }
  return targetUrl;
}

function isResource(value: string | undefined): value is WebhookResource {
  return RESOURCES.some((r) => r === value);
}

function isEvent(value: string | undefined): value is WebhookEvent {
  return EVENTS.some((e) => e === value);
}

/** `POST /webhooks`: registers a webhook owned by the caller; echoes `name` and `secret`. */
export function createWebhook(ctx: SimContext, ownerId: string, input: NewWebhookInput): WebexWebhook {
  if (!input.name) throw badRequest('name is required.');
  const targetUrl = assertTargetUrl(input.targetUrl);
  if (!isResource(input.resource)) throw badRequest(`resource must be one of ${RESOURCES.join(', ')}.`);
  if (!isEvent(input.event)) throw badRequest(`event must be one of ${EVENTS.join(', ')}.`);
  const webhook: WebexWebhook = {
    id: webexId('WEBHOOK'),
    name: input.name,
    targetUrl,
    resource: input.resource,
    event: input.event,
    ...(input.filter ? { filter: input.filter } : {}),
    ...(input.secret ? { secret: input.secret } : {}),
    status: 'active',
    orgId: ctx.store.orgId,
    createdBy: ownerId,
    appId: ctx.store.appId,
    ownedBy: 'creator',
    created: ctx.store.now(),
  };
  ctx.store.webhooks.set(webhook.id, webhook);
  ctx.store.changed({ kind: 'webhook', action: 'created', id: webhook.id });
  return webhook;
}

/** `GET /webhooks`: the caller's webhooks. */
export function listWebhooks(ctx: SimContext, ownerId: string): WebexWebhook[] {
  return [...ctx.store.webhooks.values()].filter((w) => w.createdBy === ownerId);
}

/** `GET /webhooks/{id}`: one of the caller's webhooks. */
export function getWebhook(ctx: SimContext, ownerId: string, id: string): WebexWebhook {
  const webhook = ctx.store.webhooks.get(id);
  if (!webhook || webhook.createdBy !== ownerId) throw notFound('Could not find a webhook with provided ID.');
  return webhook;
}

/** `PUT /webhooks/{id}`: renames, retargets, re-keys or (de)activates a webhook. */
export function updateWebhook(ctx: SimContext, ownerId: string, id: string, input: UpdateWebhookInput): WebexWebhook {
  const webhook = getWebhook(ctx, ownerId, id);
  if (!input.name) throw badRequest('name is required.');
  if (input.status !== undefined && input.status !== 'active' && input.status !== 'inactive') {
    throw badRequest('status must be active or inactive.');
  }
  const updated: WebexWebhook = {
    ...webhook,
    name: input.name,
    targetUrl: assertTargetUrl(input.targetUrl),
    ...(input.status ? { status: input.status } : {}),
  };
  if (input.secret !== undefined) updated.secret = input.secret;
  ctx.store.webhooks.set(id, updated);
  ctx.store.changed({ kind: 'webhook', action: 'updated', id });
  return updated;
}

/** `DELETE /webhooks/{id}`. */
export function deleteWebhook(ctx: SimContext, ownerId: string, id: string): void {
  getWebhook(ctx, ownerId, id);
  ctx.store.webhooks.delete(id);
  ctx.store.changed({ kind: 'webhook', action: 'deleted', id });
}
