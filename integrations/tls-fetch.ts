/**
 * A fetch for appliances with their own certificates. SMCs usually present self-signed ones, so
 * `SNA_TLS_VERIFY=false` and `SNA_CA_FILE` map onto {@link createTlsFetch}.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Agent, RequestInit as UndiciRequestInit, fetch as undiciFetch } from 'undici';
import type { FetchLike } from './http.js';

/** TLS settings of one upstream. */
export interface TlsFetchOptions {
  /** `false` accepts any certificate (the connection is still encrypted, but not authenticated). */
  verify: boolean;
  /** PEM file of a CA (or of the self-signed certificate itself) to trust besides the public roots. */
  caFile?: string | undefined;
}

/**
 * Returns a fetch that applies `options` to every connection it opens; `globalThis.fetch` itself
 * when nothing differs from the defaults.
 * @throws Error when `caFile` cannot be read, so a bad path fails at start-up and not on first use.
 */
export function createTlsFetch(options: TlsFetchOptions): FetchLike {
  if (options.verify && !options.caFile) return globalThis.fetch;
  const ca = options.caFile ? [...rootCertificates, readCaFile(options.caFile)] : undefined;
  // undici is loaded on first use, so a bot whose upstreams all use public certificates never loads it.
  let loading: Promise<{ fetch: typeof undiciFetch; dispatcher: Agent }> | undefined;
  const load = () =>
    (loading ??= import('undici').then(({ Agent, fetch }) => ({
      fetch,
      dispatcher: new Agent({ connect: { rejectUnauthorized: options.verify, ...(ca ? { ca } : {}) } }),
    })));
  // undici's own types describe the same WHATWG shapes as the DOM lib, but TS sees them as distinct.
  return async (input, init) => {
    const { fetch, dispatcher } = await load();
    return (await fetch(input, { ...(init as UndiciRequestInit), dispatcher })) as unknown as Response;
  };
}

function readCaFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(`cannot read CA file ${path} (${code})`, { cause: error });
  }
}
