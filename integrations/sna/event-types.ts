/** Resolution of configured security-event types (ids or names) against the SMC's catalogue. */
import { LookupError } from '../errors.js';
import type { SnaEventTemplate, SnaEventType } from './types.js';

const MAX_SUGGESTIONS = 3;

/**
 * Resolves each spec, a numeric id or a name (case- and spacing-insensitive), to a catalogue entry.
 * Blank specs are skipped and duplicates collapse. Throws {@link LookupError} naming every spec
 * that matched nothing, with close names from the catalogue.
 */
export function resolveEventTypeSpecs(
  templates: readonly SnaEventTemplate[],
  specs: readonly string[],
): SnaEventType[] {
  const byId = new Map(templates.map((t) => [t.id, t]));
  const byName = new Map(templates.map((t) => [normalizeName(t.name), t]));
  const resolved = new Map<number, SnaEventType>();
  const unknown: string[] = [];
  for (const raw of specs) {
    const spec = raw.trim();
    if (spec === '') continue;
    const template = /^\d+$/.test(spec) ? byId.get(Number(spec)) : byName.get(normalizeName(spec));
    if (template) resolved.set(template.id, { id: template.id, name: template.name });
    else unknown.push(spec);
  }
  if (unknown.length > 0) {
    const names = templates.map((t) => t.name);
    const described = unknown.map((spec) => {
      const close = closeNames(spec, names);
      return close.length > 0 ? `"${spec}" (did you mean ${close.map((n) => `"${n}"`).join(' or ')}?)` : `"${spec}"`;
    });
    throw new LookupError({
      service: 'sna',
      message:
        `unknown SNA security event type${unknown.length > 1 ? 's' : ''}: ${described.join(', ')}. ` +
        'Use an id or a name from the SMC catalogue.',
      unknown,
    });
  }
  return [...resolved.values()];
}

/** Catalogue names closest to `spec`: small edit distance, or one containing the other. */
export function closeNames(spec: string, names: readonly string[]): string[] {
  const wanted = normalizeName(spec);
  const budget = Math.max(2, Math.floor(wanted.length / 4));
  return names
    .map((name) => {
      const candidate = normalizeName(name);
      const contains = wanted.length >= 3 && (candidate.includes(wanted) || wanted.includes(candidate));
      return { name, distance: contains ? 0 : editDistance(wanted, candidate) };
    })
    .filter((c) => c.distance <= budget)
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, MAX_SUGGESTIONS)
    .map((c) => c.name);
}

function normalizeName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, ' ');
}

/** Levenshtein distance, two rows at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
