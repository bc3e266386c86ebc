/**
 * `/observe/observables`: for each IP, one sighting per SNA incident and per recent SMC security
 * event involving it (within RELAY_LOOKBACK_HOURS, newest first, at most the entities limit), and
 * the bot's block judgement when it has one. A failing SMC leaves the incidents' sightings and
 * adds a warning beside `data`, as Cisco's modules report partial failures.
 */
import { blockJudgement, blockVerdict, type CtimObservable, eventSighting, incidentSighting } from './ctim.js';
import { type RelayErrorEntry, safeReason } from './errors.js';
import type { RelayIdentity } from './auth.js';
import type { RelayDeps } from './types.js';

export interface ObserveAnswer {
  data: Record<string, { count: number; docs: object[] }>;
  errors?: RelayErrorEntry[];
}

export async function observe(
  observables: readonly CtimObservable[],
  identity: RelayIdentity,
  deps: RelayDeps,
): Promise<ObserveAnswer> {
  const { services, config, smc } = deps;
  const now = services.now();
  const from = new Date(now.getTime() - config.lookbackHours * 3_600_000);
  const limit = Math.min(identity.entitiesLimit ?? config.entitiesLimit, config.entitiesLimit);
  const ctx = { hostUrl: deps.hostUrl, now };
  const sightings: object[] = [];
  const judgements: object[] = [];
  const verdicts: object[] = [];
  const errors: RelayErrorEntry[] = [];
  for (const observable of observables) {
    const dated: Array<{ at: string; doc: object }> = [];
    const incidents = (await services.incidents.involving(observable.value, 200)).filter(
      (i) => Date.parse(i.lastActive) >= from.getTime(),
    );
    for (const incident of incidents)
      dated.push({ at: incident.lastActive, doc: incidentSighting(incident, observable, ctx) });
    try {
      for (const event of await smc.eventsOf(observable.value, from, now)) {
        dated.push({
          at: event.lastActive,
          doc: eventSighting(event, await smc.eventName(event.typeId), observable, ctx),
        });
      }
    } catch (err) {
      deps.log.warn({ err, observable: observable.value }, 'relay: SMC security events unavailable');
      errors.push({ code: 'unknown', message: `SMC security events unavailable: ${safeReason(err)}`, type: 'warning' });
    }
    dated.sort((a, b) => b.at.localeCompare(a.at));
    sightings.push(...dated.slice(0, limit).map((d) => d.doc));
    const block = await services.blocks?.active({ type: observable.type, value: observable.value });
    if (block) {
      judgements.push(blockJudgement(block, observable));
      verdicts.push(blockVerdict(block, observable));
    }
  }
  const data: ObserveAnswer['data'] = {};
  if (sightings.length > 0) data.sightings = docs(sightings);
  if (judgements.length > 0) data.judgements = docs(judgements);
  if (verdicts.length > 0) data.verdicts = docs(verdicts);
  return errors.length > 0 ? { data, errors } : { data };
}

function docs(list: object[]): { count: number; docs: object[] } {
  return { count: list.length, docs: list };
}
