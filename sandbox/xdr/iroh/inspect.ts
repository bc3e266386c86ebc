/**
 * A small stand-in for IROH Inspect (api-contracts.md §3.1): finds ip, ipv6, domain, url, sha256,
 * sha1, md5 and email observables in free text, in order of appearance, without duplicates.
 * Defanged forms (`1.2.3[.]4`, `hxxp://`) are read as their plain form, as IROH does.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** An observable found in text. */
export interface FoundObservable {
  type: 'ip' | 'ipv6' | 'domain' | 'url' | 'sha256' | 'sha1' | 'md5' | 'email';
  value: string;
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const EMAIL_PATTERN = /\b[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,63}\b/g;
const HASH_PATTERN = /\b(?:[A-Fa-f0-9]{64}|[A-Fa-f0-9]{40}|[A-Fa-f0-9]{32})\b/g;
const IPV4_PATTERN = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
const IPV6_CANDIDATE = /(?<![\w:.])[A-Fa-f0-9:]*:[A-Fa-f0-9:.]*[A-Fa-f0-9](?![\w:])/g;
const DOMAIN_PATTERN = /\b(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\b/g;
const TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/;
const HASH_TYPES = { 64: 'sha256', 40: 'sha1', 32: 'md5' } as const;

/** Observables in `content`, in order of first appearance. */
export function inspectText(content: string): FoundObservable[] {
  let text = refang(content);
  const found: { at: number; observable: FoundObservable }[] = [];
  const take = (pattern: RegExp, toObservable: (match: string) => FoundObservable | undefined): void => {
    text = text.replace(pattern, (match: string, ...rest: unknown[]) => {
      const at = rest.find((r): r is number => typeof r === 'number') ?? 0;
      const observable = toObservable(match);
      if (!observable) return match;
      found.push({ at, observable });
      return ' '.repeat(match.length);
    });
  };
  take(URL_PATTERN, (match) => ({ type: 'url', value: match.replace(TRAILING_PUNCTUATION, '') }));
  take(EMAIL_PATTERN, (match) => ({ type: 'email', value: match }));
  take(HASH_PATTERN, (match) => ({ type: HASH_TYPES[match.length as 64 | 40 | 32], value: match.toLowerCase() }));
  take(IPV4_PATTERN, (match) => (isIPv4(match) ? { type: 'ip', value: match } : undefined));
  take(IPV6_CANDIDATE, (match) => (isIPv6(match) ? { type: 'ipv6', value: match.toLowerCase() } : undefined));
  take(DOMAIN_PATTERN, (match) => ({ type: 'domain', value: match.toLowerCase() }));
  const seen = new Set<string>();
  return found
    .sort((a, b) => a.at - b.at)
    .map((f) => f.observable)
    .filter((o) => {
      const key = `${o.type}\u0000${o.value}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** `1.2.3[.]4` → `1.2.3.4`, `example(.)com` → `example.com`, `hxxp://` → `http://`. */
function refang(text: string): string {
  return text.replace(/\[\.\]|\(\.\)|\{\.\}/g, '.').replace(/\bhxxp(s?):\/\//gi, 'http$1://');
}
