/** CTIA ids: long URIs on the wire, short ids in URL paths (api-contracts.md §4.1). */

/** The CTIA entities the client reads and writes. */
export const CTIA_ENTITIES = ['judgement', 'indicator', 'feed', 'relationship', 'sighting', 'incident'] as const;

export type CtiaEntity = (typeof CTIA_ENTITIES)[number];

/** `judgement-<uuid>`: the entity name, a dash, then letters, digits, `-` or `_` only. */
const SHORT_ID = /^([a-z][a-z_]*)-[A-Za-z0-9_-]{1,128}$/;

/**
 * The short id (`judgement-<uuid>`) of a CTIA id, long
 * (`https://private.intel.amp.cisco.com:443/ctia/judgement/judgement-<uuid>`) or already short.
 * With `entity`, the id must be one of that entity. Since the result becomes a URL path segment,
 * anything that could leave it (`/`, `?`, `%`, `..`) or a `transient:` id is refused.
 * @throws RangeError when `id` is not a CTIA id (of `entity`).
 */
export function shortId(id: string, entity?: CtiaEntity): string {
  const candidate = /^https?:\/\//i.test(id) ? lastPathSegment(id) : id;
  const match = candidate === undefined ? null : SHORT_ID.exec(candidate);
  if (!match || candidate === undefined) throw new RangeError(`not a CTIA id: ${preview(id)}`);
  if (entity !== undefined && match[1] !== entity) {
    throw new RangeError(`not a CTIA ${entity} id: ${preview(id)}`);
  }
  return candidate;
}

function lastPathSegment(url: string): string | undefined {
  try {
    const { pathname, search, hash } = new URL(url);
    if (search || hash) return undefined;
    const segments = pathname.split('/');
    return segments[segments.length - 1];
  } catch {
    return undefined;
  }
}

/** Ids can be hostile input; error messages show a bounded, printable prefix only. */
function preview(id: string): string {
  const printable = id.replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(printable.length > 80 ? `${printable.slice(0, 80)}…` : printable);
}
