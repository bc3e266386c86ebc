/**
 * Observables as operators paste them: IPv4/IPv6, domains, URLs, hashes and emails,
 * including defanged forms (`1.2.3[.]4`, `hxxp://`, `example[.]com`, `[:]//`). Every value
 * leaves here in its one canonical form, before any check or write: IPs as `canonicalIp`
 * gives them (an IPv4 address written as IPv6 is that IPv4 address), domains and URL hosts
 * lower case, without a trailing dot, international names in punycode.
 */
import { domainToASCII } from 'node:url';
import { canonicalIp } from './ip.js';

export type ObservableType = 'ip' | 'ipv6' | 'domain' | 'url' | 'sha256' | 'sha1' | 'md5' | 'email';

export interface Observable {
  type: ObservableType;
  value: string;
}

/** Undoes the usual defanging: `[.]`, `(.)`, `{.}`, `[dot]`, `hxxp`, `[:]`, `[@]`. */
export function refang(text: string): string {
  return text
    .replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)/gi, '.')
    .replace(/\[:\]|\(:\)/g, ':')
    .replace(/\[@\]|\(@\)|\[at\]/gi, '@')
    .replace(/\bhxxp(s?):\/\//gi, 'http$1://')
    .replace(/\bhxxp(s?)(?=\[?:)/gi, 'http$1');
}

const DOMAIN = /^(?=.{1,253}$)(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/i;
const EMAIL = /^[^\s@<>()[\]]{1,64}@([^\s@<>()[\]]{1,253})$/;

/** Classifies one token; undefined when it is not an observable we handle. */
export function parseObservable(raw: string): Observable | undefined {
  const text = refang(raw.trim()).replace(/^[<("'`]+|[>)"'`,;]+$/g, '');
  if (text === '' || text.length > 2048) return undefined;
  const ip = canonicalIp(text);
  if (ip) return { type: ip.family === 'ipv4' ? 'ip' : 'ipv6', value: ip.value };
  if (/^[a-f0-9]{64}$/i.test(text)) return { type: 'sha256', value: text.toLowerCase() };
  if (/^[a-f0-9]{40}$/i.test(text)) return { type: 'sha1', value: text.toLowerCase() };
  if (/^[a-f0-9]{32}$/i.test(text)) return { type: 'md5', value: text.toLowerCase() };
  if (/^https?:\/\//i.test(text)) {
    const url = canonicalUrl(text);
    return url ? { type: 'url', value: url } : undefined;
  }
  const email = EMAIL.exec(text);
  if (email) {
    const domain = canonicalDomain(email[1] ?? '');
    const local = text.slice(0, text.lastIndexOf('@')).toLowerCase();
    return domain ? { type: 'email', value: `${local}@${domain}` } : undefined;
  }
  const domain = canonicalDomain(text);
  return domain ? { type: 'domain', value: domain } : undefined;
}

/**
 * A domain in its one form: lower case, one trailing dot removed, international names in
 * punycode (`bücher.example` → `xn--bcher-kva.example`); `undefined` when it is not a domain.
 */
export function canonicalDomain(text: string): string | undefined {
  const ascii = domainToASCII(text.trim().replace(/\.$/, ''));
  return ascii !== '' && DOMAIN.test(ascii) ? ascii : undefined;
}

/**
 * An http(s) URL as the WHATWG parser writes it (host lower case and in punycode, IPv4 spellings
 * like `0x7f.1` resolved, IPv6 compressed), with one trailing dot of the host removed.
 */
export function canonicalUrl(text: string): string | undefined {
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  if (!/^https?:$/.test(url.protocol) || url.hostname === '') return undefined;
  if (url.hostname.endsWith('.')) url.hostname = url.hostname.slice(0, -1);
  return url.hostname === '' ? undefined : url.toString();
}

/** The host of a URL observable without IPv6 brackets, for guardrails. */
export function urlHost(url: string): string | undefined {
  return URL.canParse(url) ? new URL(url).hostname.replace(/^\[|\]$/g, '') : undefined;
}

/** Every observable in free text, in order of appearance, without duplicates. */
export function extractObservables(text: string, max = 20): Observable[] {
  const found = new Map<string, Observable>();
  for (const token of refang(text).split(/[\s,;|]+/)) {
    const observable = parseObservable(token);
    if (observable) found.set(`${observable.type}:${observable.value}`, observable);
    if (found.size >= max) break;
  }
  return [...found.values()];
}

/** A short human label: `IP 1.2.3.4`, `domain example.com`. */
export function describeObservable(o: Observable): string {
  const names: Record<ObservableType, string> = {
    ip: 'IP',
    ipv6: 'IPv6',
    domain: 'domain',
    url: 'URL',
    sha256: 'SHA-256',
    sha1: 'SHA-1',
    md5: 'MD5',
    email: 'email',
  };
  return `${names[o.type]} ${o.value}`;
}
