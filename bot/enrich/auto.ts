/**
 * Auto-enrichment: a new incident's peer is enriched (from cache when fresh) and the verdict
 * goes on the incident, so the alert card carries it. Only the sources that give verdicts are
 * asked (`EnrichmentSource.forAlerts`): the card shows the verdict, and the SNA source's flow query would spend the
 * SMC flow budget that the card's top talkers need.
 */
import type { IncidentStore } from '../incidents/store.js';
import type { Logger } from '../log.js';
import { parseObservable } from '../observables/parse.js';
import type { AlertHook } from '../pipeline/alert-hold.js';
import type { VerdictSource } from '../../cards/types.js';
import type { Enricher } from './enricher.js';

export function autoEnricher(opts: { enricher: Enricher; incidents: IncidentStore; log: Logger }): AlertHook {
  return async (incident) => {
    const peer = incident.peers[0]?.ip;
    const observable = peer ? parseObservable(peer) : undefined;
    if (!observable) return false;
    try {
      const { card } = await opts.enricher.enrich(observable, { forAlert: true });
      const summary = verdictSummary(card.sources);
      const result = await opts.incidents.change(incident.id, (i) => {
        i.peerVerdict = { ip: peer, disposition: card.overall, summary };
        return true;
      });
      return result?.changed === true;
    } catch (err) {
      opts.log.warn({ err, incidentId: incident.id }, 'auto-enrichment failed');
      return false;
    }
  };
}

/**
 * "Cisco XDR: malicious · Umbrella: clean", then what could not be asked: a source that was
 * unavailable or out of budget reads as such, never as "no verdict" (a peer XDR knows as
 * Malicious must not read "Unknown — no verdict" because the budget ran out).
 */
export function verdictSummary(sources: readonly VerdictSource[]): string {
  const answered = sources.filter((s) => s.status === 'ok' || s.status === 'partial');
  const withVerdict = answered.filter((s) => s.verdict && s.verdict !== 'unknown');
  const unavailable = sources.filter((s) => s.status === 'unavailable');
  const parts = withVerdict.map((s) => `${s.name}: ${s.verdict}`);
  const silent = answered.length - withVerdict.length;
  if (withVerdict.length === 0 && silent > 0) parts.push(`no verdict from ${silent} source${silent === 1 ? '' : 's'}`);
  for (const s of unavailable) parts.push(`${s.name} unavailable${s.note ? ` (${s.note})` : ''}`);
  return parts.join(' · ') || 'no source could look it up';
}
