/**
 * Auto-enrichment: a new incident's peer is enriched (from cache when fresh) and the verdict
 * goes on the incident, so the alert card carries it.
 */
import type { IncidentStore } from '../incidents/store.js';
import type { Incident } from '../incidents/types.js';
import type { Logger } from '../log.js';
import { parseObservable } from '../observables/parse.js';
import type { Outbox } from '../outbox/outbox.js';
import type { Enricher } from './enricher.js';

export function autoEnricher(opts: {
  enricher: Enricher;
  incidents: IncidentStore;
  outbox: Outbox;
  log: Logger;
}): (incident: Incident) => Promise<void> {
  return async (incident) => {
    const peer = incident.peers[0]?.ip;
    const observable = peer ? parseObservable(peer) : undefined;
    if (!observable) return;
    try {
      const { card } = await opts.enricher.enrich(observable);
      const answered = card.sources.filter((s) => s.verdict && s.verdict !== 'unknown');
      const summary = answered.length
        ? answered.map((s) => `${s.name}: ${s.verdict}`).join(' · ')
        : `no verdict from ${card.sources.filter((s) => s.status !== 'not-applicable').length} sources`;
      const result = await opts.incidents.change(incident.id, (i) => {
        i.peerVerdict = { ip: peer, disposition: card.overall, summary };
        return true;
      });
      // Usually the card is not posted yet and picks this up; if it is, it gets updated.
      if (result?.incident.card) await opts.outbox.enqueueAlert(incident.id);
    } catch (err) {
      opts.log.warn({ err, incidentId: incident.id }, 'auto-enrichment failed');
    }
  };
}
