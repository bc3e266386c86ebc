import { alertCard } from '../../cards/alert.js';
import type { IncidentStore } from '../incidents/store.js';
import { type CardContext, alertCardInput } from '../incidents/to-card.js';
import type { Logger } from '../log.js';
import type { AlertSink } from '../webex/alert-sink.js';
import { createDigestDelivery } from './deliver-digest.js';
import type { Deliver } from './outbox.js';

/**
 * Delivers an outbox entry. Alerts: renders the incident as it is now, posts its card the
 * first time and updates it afterwards, then remembers which message shows it. An incident
 * a digest named, or one that is snoozed, gets no card of its own until it is wanted (new
 * activity clears `digested`; an operator asking for it sets `cardRequested`). Digests and
 * their list pages: see `deliver-digest.ts`.
 */
export function createAlertDelivery(opts: {
  incidents: IncidentStore;
  sink: AlertSink;
  card: Omit<CardContext, 'now'>;
  log: Logger;
  now?: () => Date;
  onPosted?: (kind: 'alert' | 'digest') => void;
}): Deliver {
  const now = opts.now ?? (() => new Date());
  const digest = createDigestDelivery({
    incidents: opts.incidents,
    sink: opts.sink,
    log: opts.log,
    onPosted: (kind) => (kind === 'digest' ? opts.onPosted?.('digest') : undefined),
  });
  return async (entry) => {
    if (entry.kind === 'digest' || entry.kind === 'digest-page') return digest(entry);
    const incident = await opts.incidents.get(entry.incidentId);
    if (!incident) {
      opts.log.warn({ incidentId: entry.incidentId }, 'outbox entry for an incident that no longer exists; dropped');
      return;
    }
    const wanted = incident.card !== undefined || incident.cardRequested !== undefined;
    if (!wanted && (incident.digested || isSnoozed(incident.snoozedUntil, now()))) return;
    const rendered = alertCard(alertCardInput(incident, { ...opts.card, now: now() }));
    const posted = incident.card
      ? await opts.sink.update(incident.card.messageId, rendered)
      : await opts.sink.post(rendered);
    // Webex shows the card now: recording its id is bookkeeping, retried here rather than thrown
    // (a throw would make the outbox post the card a second time).
    await recordCard(() => opts.incidents.setCard(incident.id, posted.messageId, now()), opts.log, incident.id);
    if (!incident.card) opts.onPosted?.('alert');
    opts.log.info(
      { incidentId: incident.id, messageId: posted.messageId, replaced: posted.replaced, first: !incident.card },
      incident.card ? 'alert card updated' : 'alert card posted',
    );
  };
}

/** How long the card's id is retried while the state store is away, before giving up (then the outbox retries). */
const RECORD_RETRY_MS = [200, 500, 1000, 2000, 5000, 10_000, 20_000, 30_000, 60_000];

async function recordCard(write: () => Promise<unknown>, log: Logger, incidentId: string): Promise<void> {
  for (const delayMs of [0, ...RECORD_RETRY_MS]) {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    try {
      await write();
      return;
    } catch (err) {
      if (delayMs === RECORD_RETRY_MS.at(-1)) throw err;
      log.warn({ err, incidentId }, 'could not record the posted card yet (state store away?); retrying');
    }
  }
}

function isSnoozed(until: string | undefined, now: Date): boolean {
  return until !== undefined && Date.parse(until) > now.getTime();
}
