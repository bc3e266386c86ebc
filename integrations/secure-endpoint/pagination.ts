/**
 * Paged listings: `limit` + `offset`, following `metadata.links.next` up to a page cap.
 *
 * The `next` link is never fetched as given: only its query is kept, and it is requested on our own
 * base URL. A link to another host would otherwise receive our Basic credentials.
 */
import type { z } from 'zod';
import { WireError } from '../http.js';
import { envelopeSchema } from './schemas.js';
import type { SeApi } from './api.js';
import type { SeList } from './types.js';

export interface Paging {
  pageSize: number;
  maxPages: number;
  signal?: AbortSignal | undefined;
}

/** Reads up to `maxPages` pages of `path` (e.g. `/v1/computers`) filtered by `query`. */
export async function readPages<T extends z.ZodType>(
  api: SeApi,
  path: string,
  query: Record<string, string>,
  item: T,
  paging: Paging,
): Promise<SeList<z.infer<T>>> {
  const schema = envelopeSchema(item);
  const items: z.infer<T>[] = [];
  let search = new URLSearchParams({ ...query, offset: '0', limit: String(paging.pageSize) }).toString();
  let total: number | undefined;
  let pending = false;
  for (let page = 1; ; page += 1) {
    const body = await api.get(`${path}?${search}`, schema, paging.signal);
    items.push(...body.data);
    total ??= body.metadata?.results?.total;
    const next = nextSearch(body.metadata?.links?.next, path, api.url(`${path}?${search}`));
    if (next === undefined || next === search || body.data.length === 0) break;
    if (page >= paging.maxPages) {
      pending = true;
      break;
    }
    search = next;
  }
  const known = Math.max(total ?? items.length, items.length);
  return { items, total: known, truncated: pending || items.length < known };
}

/** The query of a `next` link, which must point at the same API path. */
function nextSearch(next: string | undefined, path: string, requested: string): string | undefined {
  if (next === undefined || next === '') return undefined;
  let url: URL;
  try {
    url = new URL(next);
  } catch {
    url = new URL('http://invalid.invalid/');
  }
  if (!url.pathname.replace(/\/+$/, '').endsWith(path)) {
    throw new WireError({
      service: 'secure-endpoint',
      method: 'GET',
      url: requested,
      issues: [`metadata.links.next: does not continue ${path}`],
    });
  }
  return url.search.replace(/^\?/, '');
}
