/**
 * `/refer/observables`: pivot links for IPs. "Open in SNA" (the SMC's host report) and the cards
 * of the newest incidents involving the address, in the refer shape of Cisco's modules
 * (`{id, title, description, categories, url}`).
 */
import type { Incident } from '../incidents/types.js';
import type { CtimObservable } from './ctim.js';
import type { RelayDeps } from './types.js';

const MAX_CARDS = 3;

export interface Reference {
  id: string;
  title: string;
  description: string;
  categories: string[];
  url: string;
}

export async function refer(observables: readonly CtimObservable[], deps: RelayDeps): Promise<Reference[]> {
  const refs: Reference[] = [];
  for (const { value: ip } of observables) {
    const host = deps.hostUrl(ip);
    if (host) {
      refs.push({
        id: `ref-sna-host-${ip}`,
        title: 'Open in SNA',
        description: `Open the host report of ${ip} in Secure Network Analytics`,
        categories: ['Secure Network Analytics', 'Host report'],
        url: host,
      });
    }
    const incidents = (await deps.services.incidents.involving(ip, 50)).filter((i) => i.card).slice(0, MAX_CARDS);
    for (const incident of incidents) {
      const url = cardUrl(incident, deps);
      if (!url) continue;
      refs.push({
        id: `ref-sna-chatops-incident-${incident.id}`,
        title: `Open the SNA ChatOps card of incident ${incident.id}`,
        description: `The Webex card of incident ${incident.id} (${incident.hostIp}), where the SOC works it`,
        categories: ['SNA ChatOps', 'Incident'],
        url,
      });
    }
  }
  return refs;
}

/**
 * Where a card can be opened: RELAY_CARD_URL_TEMPLATE (`{roomId}`, `{roomUuid}`, `{messageId}`,
 * `{incidentId}`), or by default the Webex app link to the alert space, `webexteams://im?space=<uuid>`
 * (the space's UUID is the last part of its decoded API id). Webex publishes no link to one
 * message; the default is documented as unverified.
 */
export function cardUrl(incident: Incident, deps: RelayDeps): string | undefined {
  const messageId = incident.card?.messageId;
  if (!messageId) return undefined;
  const roomId = deps.services.config.webex.alertRoomId;
  const roomUuid = uuidOf(roomId);
  const template = deps.config.cardUrlTemplate ?? (roomUuid ? 'webexteams://im?space={roomUuid}' : undefined);
  if (!template) return undefined;
  return template
    .replaceAll('{roomId}', encodeURIComponent(roomId))
    .replaceAll('{roomUuid}', encodeURIComponent(roomUuid ?? roomId))
    .replaceAll('{messageId}', encodeURIComponent(messageId))
    .replaceAll('{incidentId}', encodeURIComponent(incident.id));
}

/** `Y2lzY29zcGFyazovL3VzL1JPT00v<…>` decodes to `ciscospark://us/ROOM/<uuid>`. */
function uuidOf(apiId: string): string | undefined {
  const decoded = Buffer.from(apiId, 'base64url').toString('utf8');
  const uuid = /^ciscospark:\/\/[a-z0-9-]+\/ROOM\/([0-9a-f-]{36})$/i.exec(decoded)?.[1];
  return uuid?.toLowerCase();
}
