/**
 * Building CTIA search queries (Lucene `query_string` syntax) from values users typed.
 *
 * Every value becomes a quoted phrase, `field:"value"`, with `\` and `"` escaped: inside a phrase
 * Lucene's operators (`OR`, `*`, `:`, `(`…) are plain text, so `1.2.3.4" OR *:*` stays one literal
 * value instead of widening the search. Field names are never user input and are checked.
 */

/** Longest value accepted in a term; longer ones are refused rather than sent. */
export const MAX_LUCENE_VALUE_LENGTH = 4096;

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Quotes a value as a Lucene phrase, escaping backslashes and double quotes. */
export function quoteLucene(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/**
 * One exact-match term, `field:"value"`.
 * @throws RangeError on an invalid field name, an empty value, or one longer than
 * {@link MAX_LUCENE_VALUE_LENGTH}.
 */
export function luceneTerm(field: string, value: string | number): string {
  if (!FIELD.test(field)) throw new RangeError(`invalid search field name: ${JSON.stringify(field.slice(0, 64))}`);
  const text = String(value);
  if (text === '') throw new RangeError(`empty search value for ${field}`);
  if (text.length > MAX_LUCENE_VALUE_LENGTH) {
    throw new RangeError(`search value for ${field} is longer than ${MAX_LUCENE_VALUE_LENGTH} characters`);
  }
  return `${field}:${quoteLucene(text)}`;
}

/**
 * A conjunction of exact-match terms: `lucene({ 'observable.type': 'ip', 'observable.value': v })`
 * → `observable.type:"ip" AND observable.value:"…"`. Undefined values are skipped.
 * @throws RangeError when no term is left, or as {@link luceneTerm}.
 */
export function lucene(terms: Readonly<Record<string, string | number | undefined>>): string {
  const parts = Object.entries(terms)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([field, value]) => luceneTerm(field, value));
  if (parts.length === 0) throw new RangeError('a search query needs at least one term');
  return parts.join(' AND ');
}
