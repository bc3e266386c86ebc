/**
 * Observables as operators paste them: IPv4/IPv6, domains, URLs, hashes and emails,
 * including defanged forms (`1.2.3[.]4`, `hxxp://`, `example[.]com`, `[:]//`).
 */
import { isIP } from 'node:net';

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
  const ipKind = isIP(text);
  if (ipKind === 4) return { type: 'ip', value: text };
  if (ipKind === 6) return { type: 'ipv6', value: text.toLowerCase() };
  if (/^[a-f0-9]{64}$/i.test(text)) return { type: 'sha256', value: text.toLowerCase() };
  if (/^[a-f0-9]{40}$/i.test(text)) return { type: 'sha1', value: text.toLowerCase() };
  if (/^[a-f0-9]{32}$/i.test(text)) return { type: 'md5', value: text.toLowerCase() };
  if (/^https?:\/\//i.test(text)) {
    try {
      const url = new URL(text);
      return url.hostname ? { type: 'url', value: url.toString() } : undefined;
    } catch {
      return undefined;
    }
  }
  const email = EMAIL.exec(text);
  if (email && DOMAIN.test(email[1] ?? '')) return { type: 'email', value: text.toLowerCase() };
  const domain = text.replace(/\.$/, '').toLowerCase();
  if (DOMAIN.test(domain)) return { type: 'domain', value: domain };
  return undefined;
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
