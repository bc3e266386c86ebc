/**
 * The subset of Lucene `query_string` syntax the simulator understands: `field:"phrase"` or
 * `field:token` terms joined by `AND`, or `*` for everything. Anything else (OR, NOT, wildcards,
 * ranges, parentheses, unbalanced quotes) is a 400, so a query that escaped its quoting is caught
 * instead of silently matching more. Matching is exact on the field's value, any element of an array.
 */
import { badRequest } from '../http.js';

/** One parsed term. */
export interface QueryTerm {
  /** Dotted path, e.g. `observable.value`. */
  field: string;
  value: string;
}

const FIELD = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
const BARE_VALUE = /[^\s"()[\]{}:*?\\~^!]+/y;
const AND = /\s+AND\s+/y;

/**
 * Parses a query; `undefined` or `*` means every entity.
 * @throws SimHttpError 400 when the query is outside the subset.
 */
export function parseQuery(query: string | null | undefined): QueryTerm[] {
  const text = (query ?? '').trim();
  if (text === '' || text === '*' || text === '*:*') return [];
  const terms: QueryTerm[] = [];
  let at = 0;
  for (;;) {
    const field = sticky(FIELD, text, at);
    if (!field || text[field.end] !== ':') throw unsupported(text, at);
    at = field.end + 1;
    if (text[at] === '"') {
      const phrase = readPhrase(text, at);
      if (!phrase) throw unsupported(text, at);
      terms.push({ field: field.match, value: phrase.value });
      at = phrase.end;
    } else {
      const value = sticky(BARE_VALUE, text, at);
      if (!value || value.match === 'AND' || value.match === 'OR' || value.match === 'NOT') throw unsupported(text, at);
      terms.push({ field: field.match, value: value.match });
      at = value.end;
    }
    if (at === text.length) return terms;
    const and = sticky(AND, text, at);
    if (!and) throw unsupported(text, at);
    at = and.end;
  }
}

/** Whether an entity satisfies every term. */
export function matchesQuery(entity: unknown, terms: readonly QueryTerm[]): boolean {
  return terms.every((term) => valuesAt(entity, term.field.split('.')).some((value) => value === term.value));
}

/** The scalar values at a dotted path, descending into arrays; numbers and booleans as strings. */
function valuesAt(node: unknown, path: readonly string[]): string[] {
  if (Array.isArray(node)) return node.flatMap((item) => valuesAt(item, path));
  const [head, ...rest] = path;
  if (head === undefined) {
    return typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean' ? [String(node)] : [];
  }
  if (typeof node !== 'object' || node === null || !Object.hasOwn(node, head)) return [];
  return valuesAt((node as Record<string, unknown>)[head], rest);
}

/** Reads `"…"` starting at `start` (on the quote), unescaping `\"` and `\\`. */
function readPhrase(text: string, start: number): { value: string; end: number } | undefined {
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') {
      const next = text[i + 1];
      if (next === undefined) return undefined;
      value += next;
      i += 1;
    } else if (char === '"') {
      return { value, end: i + 1 };
    } else {
      value += char;
    }
  }
  return undefined;
}

function sticky(pattern: RegExp, text: string, at: number): { match: string; end: number } | undefined {
  pattern.lastIndex = at;
  const match = pattern.exec(text);
  return match ? { match: match[0], end: pattern.lastIndex } : undefined;
}

function unsupported(text: string, at: number): ReturnType<typeof badRequest> {
  const near = text.slice(at, at + 40);
  return badRequest({
    query: `unsupported query syntax near ${JSON.stringify(near)} (the simulator accepts field:"value" AND …)`,
  });
}
