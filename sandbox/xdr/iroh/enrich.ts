/**
 * Deliberate, observe and refer answers (api-contracts.md §3.2), built per module from the verdict
 * table and the simulator's CTIA store. A failed module is left out of `data` and reported in `errors`.
 */
import { randomUUID } from 'node:crypto';
import type { CtiaStore, StoredEntity } from '../ctia/store.js';
import { isValidAt } from '../ctia/store.js';
import { DISPOSITION_NAMES, MODULES, type SimDisposition, type SimModule, type VerdictTable } from './modules.js';

/** An observable to enrich. */
export interface SimObservable {
  type: string;
  value: string;
}

/** What the enrich answers are built from. */
export interface EnrichContext {
  table: VerdictTable;
  store: CtiaStore;
  now: number;
}

type Docs = Record<string, { count: number; docs: unknown[] }>;

interface ModuleAnswer<T> {
  data: T[];
  errors: Record<string, unknown>[];
}

const DAY_MS = 86_400_000;
const SIGHTING_HOSTS = ['sim-win10-042', 'sim-mac-007'];

/** `POST /iroh/iroh-enrich/deliberate/observables` */
export function deliberate(observables: readonly SimObservable[], ctx: EnrichContext): ModuleAnswer<unknown> {
  return perModule(observables, ctx, (m) => docsOf({ verdicts: judge(m, observables, ctx).map((j) => j.verdict) }));
}

/** `POST /iroh/iroh-enrich/observe/observables` */
export function observe(observables: readonly SimObservable[], ctx: EnrichContext): ModuleAnswer<unknown> {
  return perModule(observables, ctx, (m) => {
    const judged = judge(m, observables, ctx);
    return docsOf({
      verdicts: judged.map((j) => j.verdict),
      judgements: judged.flatMap((j) => j.judgements),
      sightings: sightingsFrom(m, observables, ctx),
    });
  });
}

/** `POST /iroh/iroh-enrich/refer/observables` */
export function refer(observables: readonly SimObservable[], ctx: EnrichContext): ModuleAnswer<unknown> {
  const data: unknown[] = [];
  const errors: Record<string, unknown>[] = [];
  for (const m of MODULES) {
    if (!observables.some((o) => m.types.has(o.type))) continue;
    const failure = ctx.table.failure(m.name);
    if (failure !== undefined) {
      errors.push(moduleError(m, failure));
      continue;
    }
    for (const observable of observables) {
      const link = m.types.has(observable.type) ? pivotLink(m, observable) : undefined;
      if (link) data.push({ ...header(m), ...link });
    }
  }
  return { data, errors };
}

function perModule(
  observables: readonly SimObservable[],
  ctx: EnrichContext,
  answer: (m: SimModule) => Docs,
): ModuleAnswer<unknown> {
  const data: unknown[] = [];
  const errors: Record<string, unknown>[] = [];
  for (const m of MODULES) {
    const asked = observables.some((o) => m.types.has(o.type) || ctx.table.get(m.name, o) !== undefined);
    if (!asked) continue;
    const failure = ctx.table.failure(m.name);
    if (failure !== undefined) {
      errors.push(moduleError(m, failure));
      continue;
    }
    const docs = answer(m);
    if (Object.keys(docs).length > 0) data.push({ ...header(m), data: docs });
  }
  return { data, errors };
}

interface Judged {
  verdict: Record<string, unknown>;
  judgements: unknown[];
}

/** The module's verdict (and the judgements behind it) on each observable it has something to say about. */
function judge(m: SimModule, observables: readonly SimObservable[], ctx: EnrichContext): Judged[] {
  return observables.flatMap((observable): Judged[] => {
    const stored = m.name === 'Private Intelligence' ? storedJudgements(observable, ctx) : [];
    const entry = ctx.table.get(m.name, observable);
    const judgements: Record<string, unknown>[] = [...stored];
    if (entry) judgements.unshift(transientJudgement(m, observable, entry.disposition, entry.reason, ctx.now));
    const top = judgements[0];
    if (top) return [{ verdict: verdict(observable, top.disposition as SimDisposition, top), judgements }];
    if (!m.unknownByDefault || !m.types.has(observable.type)) return [];
    const unknownWindow = { valid_time: { start_time: iso(ctx.now), end_time: iso(ctx.now + DAY_MS) } };
    return [{ verdict: verdict(observable, 5, unknownWindow), judgements: [] }];
  });
}

/** Valid CTIA judgements of the observable, highest priority first, newest first among equals. */
function storedJudgements(observable: SimObservable, ctx: EnrichContext): StoredEntity[] {
  return ctx.store
    .all('judgement')
    .filter((j) => sameObservable(j.observable, observable) && isValidAt(j.valid_time, ctx.now))
    .sort((a, b) => Number(b.priority) - Number(a.priority) || String(b.created).localeCompare(String(a.created)));
}

function transientJudgement(
  m: SimModule,
  observable: SimObservable,
  disposition: SimDisposition,
  reason: string | undefined,
  now: number,
): Record<string, unknown> {
  return {
    id: `transient:${randomUUID()}`,
    type: 'judgement',
    schema_version: '1.3.28',
    observable: { ...observable },
    disposition,
    disposition_name: DISPOSITION_NAMES[disposition],
    source: m.name,
    reason: reason ?? `${DISPOSITION_NAMES[disposition]} according to ${m.name}`,
    priority: 90,
    severity: disposition === 2 ? 'High' : disposition === 3 ? 'Medium' : 'Info',
    confidence: 'High',
    tlp: 'amber',
    valid_time: { start_time: iso(now - DAY_MS), end_time: iso(now + 30 * DAY_MS) },
  };
}

function verdict(observable: SimObservable, disposition: SimDisposition, judgement?: Record<string, unknown>) {
  return {
    type: 'verdict',
    disposition,
    disposition_name: DISPOSITION_NAMES[disposition],
    observable: { ...observable },
    valid_time: judgement?.valid_time ?? {},
    ...(typeof judgement?.id === 'string' ? { judgement_id: judgement.id } : {}),
  };
}

/** Secure Endpoint saw what someone judged Malicious (twice) or Suspicious (once); Private Intelligence serves stored sightings. */
function sightingsFrom(m: SimModule, observables: readonly SimObservable[], ctx: EnrichContext): unknown[] {
  if (m.name === 'Private Intelligence') {
    return ctx.store
      .all('sighting')
      .filter(
        (s) => Array.isArray(s.observables) && s.observables.some((o) => observables.some((x) => sameObservable(o, x))),
      );
  }
  if (!m.sightings) return [];
  return observables.flatMap((observable) => {
    const worst = worstDisposition(observable, ctx);
    const hosts = worst === 2 ? SIGHTING_HOSTS : worst === 3 ? SIGHTING_HOSTS.slice(0, 1) : [];
    return hosts.map((host, index) => endpointSighting(m, observable, host, index === 0 ? 3 : 1, ctx.now));
  });
}

function worstDisposition(observable: SimObservable, ctx: EnrichContext): number | undefined {
  const fromTable = MODULES.flatMap((m): number[] => {
    const entry = ctx.table.get(m.name, observable);
    return entry ? [entry.disposition] : [];
  });
  const fromStore = storedJudgements(observable, ctx).map((j) => Number(j.disposition));
  const bad = [...fromTable, ...fromStore].filter((d) => d === 2 || d === 3);
  return bad.length > 0 ? Math.min(...bad) : undefined;
}

function endpointSighting(m: SimModule, observable: SimObservable, host: string, count: number, now: number) {
  const observedTime = { start_time: iso(now - 3_600_000), end_time: iso(now - 60_000) };
  return {
    id: `transient:sighting-${randomUUID()}`,
    type: 'sighting',
    schema_version: '1.3.28',
    source: m.name,
    title: `${observable.type} seen on ${host}`,
    description: `${m.name} saw ${observable.value} on ${host}`,
    confidence: 'High',
    count,
    observables: [{ ...observable }],
    observed_time: observedTime,
    targets: [{ type: 'endpoint', observables: [{ type: 'hostname', value: host }], observed_time: observedTime }],
  };
}

function pivotLink(m: SimModule, observable: SimObservable): Record<string, unknown> | undefined {
  const value = encodeURIComponent(observable.value);
  const id = `ref-${m.name.toLowerCase().replace(/\W+/g, '-')}-${observable.type}-${observable.value}`;
  const categories = [m.name, 'Search'];
  switch (m.name) {
    case 'Talos Intelligence':
      return {
        id,
        title: `Search for this ${observable.type}`,
        description: `Lookup this ${observable.type} on Talos Intelligence`,
        categories,
        url: `https://talosintelligence.com/reputation_center/lookup?search=${value}`,
      };
    case 'AMP File Reputation':
      return {
        id,
        title: 'File reputation',
        description: 'Lookup this file on Talos File Reputation',
        categories,
        url: `https://talosintelligence.com/talos_file_reputation?s=${value}`,
      };
    case 'Private Intelligence':
      return {
        id,
        title: `Investigate this ${observable.type}`,
        description: 'Investigate in Cisco XDR',
        categories: [m.name, 'Investigate'],
        url: `https://visibility.amp.cisco.com/investigate?q=${value}`,
      };
    default:
      return undefined;
  }
}

function moduleError(m: SimModule, message: string): Record<string, unknown> {
  return { ...header(m), module_instance_state: 'failed', code: 'module-failure', message, type: 'fatal' };
}

function header(m: SimModule): Record<string, string> {
  return { module: m.name, module_instance_id: m.instanceId, module_type_id: m.typeId };
}

function docsOf(lists: Record<string, unknown[]>): Docs {
  const docs: Docs = {};
  for (const [name, list] of Object.entries(lists))
    if (list.length > 0) docs[name] = { count: list.length, docs: list };
  return docs;
}

function sameObservable(candidate: unknown, observable: SimObservable): boolean {
  if (typeof candidate !== 'object' || candidate === null) return false;
  const { type, value } = candidate as { type?: unknown; value?: unknown };
  return type === observable.type && value === observable.value;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
