/**
 * After a digest: the incidents it named stay quiet until something new happens to them. Batch by
 * batch (every poll and push), this decides which get a card of their own now. New activity (see
 * `incidents/activity.ts`) on an awake incident promotes it, once: it stops being `digested` and
 * its card is queued like any alert. Activity while the incident or its host is snoozed is held,
 * and released as one card by the first batch after the snooze ends (so within one poll interval,
 * even if the host stays silent).
 */
import { z } from 'zod';
import { activitySinceDigest } from '../incidents/activity.js';
import type { IncidentStore } from '../incidents/store.js';
import type { Incident } from '../incidents/types.js';
import type { Outbox } from '../outbox/outbox.js';
import { Repository } from '../state/repository.js';
import type { StateStore } from '../state/store.js';

/** Incident id → end of the snooze its activity waits for. */
type Held = Record<string, string>;

const HELD_TTL_MS = 31 * 24 * 3600 * 1000;
const heldSchema = z.record(z.string(), z.string());

export interface DigestFollowUpOptions {
  state: StateStore;
  incidents: IncidentStore;
  outbox: Outbox;
  now: () => Date;
  /** Gives the hooks (auto-enrichment, flow context) their hold before the cards are queued. */
  prepare: (incidents: Incident[]) => Promise<void>;
}

export class DigestFollowUp {
  /** One record: activity held by snoozes, by incident. */
  private readonly held: Repository<typeof heldSchema>;

  constructor(private readonly opts: DigestFollowUpOptions) {
    this.held = new Repository(opts.state, {
      prefix: 'digest:held',
      schema: heldSchema,
      version: 1,
      ttlMs: HELD_TTL_MS,
    });
  }

  /** Incidents of this batch that a digest named: promoted on new activity, held while snoozed. */
  async follow(touched: readonly Incident[]): Promise<void> {
    const now = this.opts.now();
    const wanted: Array<{ incident: Incident; why: string[] }> = [];
    const held: Held = {};
    for (const incident of new Map(touched.map((i) => [i.id, i])).values()) {
      if (incident.card !== undefined) continue;
      if (!incident.digested) {
        // Promoted (or asked for) earlier, its card still on its way: the entry takes the change.
        const due =
          incident.cardRequested !== undefined ||
          (await snoozedUntil(this.opts.incidents, incident, now)) === undefined;
        if (incident.digest !== undefined && due) await this.opts.outbox.enqueueAlert(incident.id);
        continue;
      }
      const why = activitySinceDigest(incident);
      if (why.length === 0) continue;
      const until = await snoozedUntil(this.opts.incidents, incident, now);
      if (until === undefined) wanted.push({ incident, why });
      else held[incident.id] = until;
    }
    if (Object.keys(held).length > 0) await this.updateHeld((all) => Object.assign(all, held));
    await this.promote(wanted);
  }

  /** Releases activity held by snoozes that have ended; cheap when none did (one read). */
  async releaseEnded(): Promise<void> {
    const now = this.opts.now();
    const due = Object.entries((await this.held.get()) ?? {}).filter(([, until]) => Date.parse(until) <= now.getTime());
    if (due.length === 0) return;
    const wanted: Array<{ incident: Incident; why: string[] }> = [];
    const extended: Held = {};
    for (const [id] of due) {
      const incident = await this.opts.incidents.get(id);
      if (!incident || incident.card !== undefined || !incident.digested) continue;
      // The snooze may have been extended (or the host snoozed) since.
      const until = await snoozedUntil(this.opts.incidents, incident, now);
      if (until !== undefined) extended[id] = until;
      else wanted.push({ incident, why: [...activitySinceDigest(incident), 'held while snoozed'] });
    }
    await this.updateHeld((all) => {
      for (const [id, until] of due) if (all[id] === until) delete all[id];
      return Object.assign(all, extended);
    });
    await this.promote(wanted);
  }

  /** Each incident stops being only digested, once (a concurrent promotion or card wins), and its card is queued. */
  private async promote(wanted: ReadonlyArray<{ incident: Incident; why: string[] }>): Promise<void> {
    if (wanted.length === 0) return;
    const at = this.opts.now().toISOString();
    const promoted: Incident[] = [];
    for (const { incident, why } of wanted) {
      const result = await this.opts.incidents.change(incident.id, (i) => {
        if (i.card !== undefined || !i.digested) return false;
        i.digested = false;
        if (i.digest) i.digest.promoted = { at, why };
        return true;
      });
      if (result?.changed) promoted.push(result.incident);
    }
    await this.opts.prepare(promoted);
    for (const incident of promoted) await this.opts.outbox.enqueueAlert(incident.id);
  }

  private async updateHeld(change: (held: Held) => Held): Promise<void> {
    await this.held.withLock('', async () => {
      const next = change((await this.held.get()) ?? {});
      if (Object.keys(next).length === 0) await this.held.delete();
      else await this.held.set('', next);
    });
  }
}

/** When the incident's or its host's snooze ends, if one is on now. */
export async function snoozedUntil(
  incidents: IncidentStore,
  incident: Incident,
  now: Date,
): Promise<string | undefined> {
  const host = await incidents.hostSnoozes.until(incident.hostIp, now);
  const ends = [incident.snoozedUntil, host].filter(
    (until): until is string => until !== undefined && Date.parse(until) > now.getTime(),
  );
  return ends.sort().at(-1);
}
