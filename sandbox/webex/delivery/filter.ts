/** Which webhooks an event goes to: resource, event, audience and `filter`. */
import type { WebexEvent } from '../model/context.js';
import type { WebexWebhook } from '../model/types.js';

/**
 * Whether a webhook `filter` (`roomId=…&personId=…`) accepts the event.
 * `mentionedPeople=me` means the webhook's owner. Keys the simulator does not
 * know are ignored (the event is delivered).
 */
export function filterAccepts(webhook: WebexWebhook, event: WebexEvent): boolean {
  if (!webhook.filter) return true;
  for (const pair of webhook.filter.split('&')) {
    const [rawKey = '', ...rest] = pair.split('=');
    const key = decodeURIComponent(rawKey);
    let wanted = decodeURIComponent(rest.join('='));
    if (key === 'mentionedPeople' && wanted === 'me') wanted = webhook.createdBy;
    const actual = event.filterable[key];
    if (actual === undefined) continue;
    const matches = typeof actual === 'string' ? actual === wanted : actual.includes(wanted);
    if (!matches) return false;
  }
  return true;
}

/**
 * Whether Webex would send this event to this webhook: it is active, owned by
 * someone in the event's audience, its resource and event match, and its filter
 * accepts it. `attachmentActions` only reach webhooks registered for exactly
 * that resource; the `all` firehose does not carry them.
 */
export function webhookWants(webhook: WebexWebhook, event: WebexEvent): boolean {
  if (webhook.status !== 'active') return false;
  if (!event.audience.includes(webhook.createdBy)) return false;
  const resourceMatches =
    event.resource === 'attachmentActions'
      ? webhook.resource === 'attachmentActions'
      : webhook.resource === 'all' || webhook.resource === event.resource;
  if (!resourceMatches) return false;
  if (webhook.event !== 'all' && webhook.event !== event.event) return false;
  return filterAccepts(webhook, event);
}
