import { alertCard } from '../../cards/alert.js';
import type { IncidentStore } from '../incidents/store.js';
import { type CardContext, alertCardInput } from '../incidents/to-card.js';
import type { Logger } from '../log.js';
import type { AlertSink } from '../webex/alert-sink.js';
import type { Deliver } from './outbox.js';

/**
 * Delivers an outbox entry: renders the incident as it is now, posts its card the first
 * time and updates it afterwards, then remembers which message shows it.
 */
export function createAlertDelivery(opts: {
  incidents: IncidentStore;
  sink: AlertSink;
  card: Omit<CardContext, 'now'>;
  log: Logger;
  now?: () => Date;
}): Deliver {
  const now = opts.now ?? (() => new Date());
  return async (entry) => {
    const incident = await opts.incidents.get(entry.incidentId);
    if (!incident) {
      opts.log.warn({ incidentId: entry.incidentId }, 'outbox entry for an incident that no longer exists; dropped');
      return;
    }
    const rendered = alertCard(alertCardInput(incident, { ...opts.card, now: now() }));
    const posted = incident.card
      ? await opts.sink.update(incident.card.messageId, rendered, incident.card.edits)
      : await opts.sink.post(rendered);
    await opts.incidents.setCard(incident.id, posted.messageId, now());
    opts.log.info(
      { incidentId: incident.id, messageId: posted.messageId, replaced: posted.replaced, first: !incident.card },
      incident.card ? 'alert card updated' : 'alert card posted',
    );
  };
}
