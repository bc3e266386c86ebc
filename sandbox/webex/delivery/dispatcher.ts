/**
 * Delivers Webex events to webhooks the way Webex does: a POST of compact JSON
 * to `targetUrl`, signed with `X-Spark-Signature` when the webhook has a secret.
 * Every POST is recorded as a {@link Delivery} with the target's status.
 */
import type { WebexEvent } from '../model/context.js';
import { isRecord, stringOr } from '../model/guards.js';
import { trackingId } from '../model/ids.js';
import type { SimStore } from '../model/store.js';
import type { Delivery, WebexWebhook, WebhookEnvelope } from '../model/types.js';
import { webhookWants } from './filter.js';
import { sparkSignature } from './signature.js';

/** How long a webhook target may take to answer before the delivery counts as failed. */
const DELIVERY_TIMEOUT_MS = 5_000;

/** Builds the body Webex sends for an event to one webhook. */
export function buildEnvelope(webhook: WebexWebhook, event: WebexEvent): WebhookEnvelope {
  return {
    id: webhook.id,
    name: webhook.name,
    targetUrl: webhook.targetUrl,
    resource: event.resource,
    event: event.event,
    ...(webhook.filter ? { filter: webhook.filter } : {}),
    orgId: webhook.orgId,
    createdBy: webhook.createdBy,
    appId: webhook.appId,
    ownedBy: 'creator',
    status: 'active',
    created: webhook.created,
    actorId: event.actorId,
    data: event.data,
  };
}

/** `resource`, `event` and `data.id` of a raw body, when it is JSON that has them. */
function routingFieldsOf(rawBody: string): { resource: string; event: string; dataId: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    parsed = undefined; // a deliberately malformed body: record it with empty routing fields
  }
  if (!isRecord(parsed)) return { resource: '', event: '', dataId: '' };
  const data = isRecord(parsed.data) ? parsed.data : {};
  return { resource: stringOr(parsed.resource), event: stringOr(parsed.event), dataId: stringOr(data.id) };
}

interface SendOptions {
  webhook: WebexWebhook;
  rawBody: string;
  headers: Record<string, string>;
  resource: string;
  event: string;
  dataId: string;
  raw: boolean;
}

/** Sends events and raw bodies to webhook targets and records the outcome. */
export class WebhookDispatcher {
  private readonly inflight = new Set<AbortController>();

  constructor(private readonly store: SimStore) {}

  /** Delivers an event to every webhook that wants it, in parallel. Never rejects. */
  publish = (event: WebexEvent): Promise<Delivery[]> => {
    const targets = [...this.store.webhooks.values()].filter((w) => webhookWants(w, event));
    return Promise.all(
      targets.map((webhook) => {
        const rawBody = JSON.stringify(buildEnvelope(webhook, event));
        const headers: Record<string, string> = webhook.secret
          ? { 'x-spark-signature': sparkSignature(webhook.secret, rawBody) }
          : {};
        return this.send({
          webhook,
          rawBody,
          headers,
          resource: event.resource,
          event: event.event,
          dataId: event.data.id,
          raw: false,
        });
      }),
    );
  };

  /**
   * POSTs `rawBody` byte for byte, with exactly `headers` (plus a JSON content
   * type), to one webhook's target or to every active webhook's target. Nothing
   * is signed: pass `x-spark-signature` yourself to send a valid, forged or
   * missing signature.
   */
  deliverRaw(target: string, rawBody: string, headers: Record<string, string> = {}): Promise<Delivery[]> {
    const webhooks =
      target === 'all'
        ? [...this.store.webhooks.values()].filter((w) => w.status === 'active')
        : [this.store.webhooks.get(target)].filter((w): w is WebexWebhook => w !== undefined);
    const { resource, event, dataId } = routingFieldsOf(rawBody);
    return Promise.all(
      webhooks.map((webhook) => this.send({ webhook, rawBody, headers, resource, event, dataId, raw: true })),
    );
  }

  /** Aborts deliveries still waiting for their target. */
  close(): void {
    for (const controller of this.inflight) controller.abort();
    this.inflight.clear();
  }

  private async send(options: SendOptions): Promise<Delivery> {
    const controller = new AbortController();
    this.inflight.add(controller);
    const timer = setTimeout(() => controller.abort(), DELIVERY_TIMEOUT_MS);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'sna-chatops-webex-simulator',
      trackingid: trackingId(),
      ...options.headers,
    };
    let status: number | null = null;
    let error: string | undefined;
    try {
      const response = await fetch(options.webhook.targetUrl, {
        method: 'POST',
        headers,
        body: options.rawBody,
        signal: controller.signal,
      });
      await response.arrayBuffer();
      status = response.status;
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
    } finally {
      clearTimeout(timer);
      this.inflight.delete(controller);
    }
    const delivery: Delivery = {
      seq: this.store.nextSeq(),
      webhookId: options.webhook.id,
      targetUrl: options.webhook.targetUrl,
      resource: options.resource,
      event: options.event,
      dataId: options.dataId,
      status,
      ...(error !== undefined ? { error } : {}),
      signed: Object.keys(options.headers).some((h) => h.toLowerCase() === 'x-spark-signature'),
      raw: options.raw,
      body: options.rawBody,
      at: this.store.now(),
    };
    this.store.recordDelivery(delivery);
    return delivery;
  }
}
