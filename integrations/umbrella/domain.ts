/** Validation of domain names before they become path segments. */
import { domainToASCII } from 'node:url';

const LABEL = '[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?';
const HOSTNAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`);
/** `domainToASCII` parses like a URL host and silently drops what follows a `/`, `?`, `#`…: refuse those first. */
const NAME_CHARACTERS = /^[\p{L}\p{M}\p{N}._-]{1,253}$/u;

/**
 * Lower-case ASCII (punycode) form of a domain name, without a trailing dot.
 * @throws RangeError when `input` is not a domain name (an IP address is not one).
 */
export function normalizeDomain(input: string): string {
  const name = input.trim().replace(/\.$/, '');
  const ascii = NAME_CHARACTERS.test(name) ? domainToASCII(name) : '';
  const tld = ascii.slice(ascii.lastIndexOf('.') + 1);
  if (!HOSTNAME.test(ascii) || /^\d+$/.test(tld)) {
    throw new RangeError(`not a domain name: ${JSON.stringify(input.slice(0, 100))}`);
  }
  return ascii;
}
