/** Input checks and answer clean-up for IROH enrichment (api-contracts.md §3). */
import { isObservableType, type Observable } from './ctim.js';
import type { ModuleError, ReferResult } from './schemas.js';

/** Longest observable value sent for enrichment; IROH modules have no use for longer ones. */
export const MAX_OBSERVABLE_LENGTH = 4096;

/**
 * Checks observables before they are sent: known type, non-empty value of bounded length.
 * @throws TypeError naming the first bad observable by index.
 */
export function checkObservables(observables: readonly Observable[]): Observable[] {
  return observables.map((observable, index) => {
    const { type, value } = observable as { type: unknown; value: unknown };
    if (typeof type !== 'string' || !isObservableType(type)) {
      throw new TypeError(`observable ${index} has an unknown type`);
    }
    if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_OBSERVABLE_LENGTH) {
      throw new TypeError(`observable ${index} needs a value of 1 to ${MAX_OBSERVABLE_LENGTH} characters`);
    }
    return { type, value };
  });
}

/**
 * Keeps only pivot links with an http(s) URL. A module sending anything else (`javascript:`, a bare
 * path) has its link turned into a `warning` entry of `errors[]`, so nothing unsafe reaches a card.
 */
export function keepSafeReferences(result: ReferResult): ReferResult {
  const data: ReferResult['data'] = [];
  const errors: ModuleError[] = [...result.errors];
  for (const ref of result.data) {
    if (isHttpUrl(ref.url)) {
      data.push(ref);
    } else {
      errors.push({
        module: ref.module,
        module_instance_id: ref.module_instance_id,
        module_type_id: ref.module_type_id,
        code: 'invalid-reference-url',
        message: `dropped reference "${ref.id.slice(0, 80)}": its URL is not http(s)`,
        type: 'warning',
      });
    }
  }
  return { data, errors };
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
