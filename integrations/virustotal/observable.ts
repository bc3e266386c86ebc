/** Validation of observables and their VirusTotal paths, ids and GUI kinds. */
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import type { VtObservable } from './types.js';

/** Where an observable lives: API collection and GUI kind. */
export interface VtTarget {
  /** API path under the base, e.g. `/urls/aHR0cHM6Ly9leGFtcGxlLmNvbS8`. */
  path: string;
  /** GUI kind: `file`, `ip-address`, `domain` or `url`. */
  kind: 'file' | 'ip-address' | 'domain' | 'url';
}

const HASH_LENGTH = { sha256: 64, sha1: 40, md5: 32 } as const;
const LABEL = '[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?';
const HOSTNAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`);
/** `domainToASCII` parses like a URL host and silently drops what follows a `/`, `?`, `#`…: refuse those first. */
const NAME_CHARACTERS = /^[\p{L}\p{M}\p{N}._-]{1,253}$/u;
const MAX_URL_LENGTH = 4096;

/**
 * The API path and GUI kind of an observable, after validating and normalizing its value.
 * @throws RangeError when the value does not fit its type.
 */
export function targetOf(observable: VtObservable): VtTarget {
  const value = observable.value.trim();
  const invalid = (): RangeError =>
    new RangeError(`not a valid ${observable.type}: ${JSON.stringify(observable.value.slice(0, 100))}`);
  switch (observable.type) {
    case 'ip':
    case 'ipv6': {
      const version = isIP(value);
      if (version === 0 || (observable.type === 'ipv6' && version !== 6)) throw invalid();
      return { path: `/ip_addresses/${encodeURIComponent(value.toLowerCase())}`, kind: 'ip-address' };
    }
    case 'domain': {
      const name = value.replace(/\.$/, '');
      const ascii = NAME_CHARACTERS.test(name) ? domainToASCII(name) : '';
      if (!HOSTNAME.test(ascii) || /^\d+$/.test(ascii.slice(ascii.lastIndexOf('.') + 1))) throw invalid();
      return { path: `/domains/${encodeURIComponent(ascii)}`, kind: 'domain' };
    }
    case 'url':
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
      if (value === '' || value.length > MAX_URL_LENGTH || /[\s\u0000-\u001f\u007f]/.test(value)) throw invalid();
      return { path: `/urls/${urlId(value)}`, kind: 'url' };
    case 'sha256':
    case 'sha1':
    case 'md5': {
      const hash = value.toLowerCase();
      if (!new RegExp(`^[0-9a-f]{${HASH_LENGTH[observable.type]}}$`).test(hash)) throw invalid();
      return { path: `/files/${hash}`, kind: 'file' };
    }
  }
}

/** VirusTotal's URL identifier: URL-safe base64 of the URL, without `=` padding. */
export function urlId(url: string): string {
  return Buffer.from(url, 'utf8').toString('base64url');
}
