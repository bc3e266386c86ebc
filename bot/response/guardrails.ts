/**
 * What Block refuses, and why: addresses that are never "the attacker" (private, loopback,
 * link-local, multicast, unspecified, reserved), anything the team listed as protected,
 * and observables too broad to put on a firewall feed.
 */
import { BlockList, isIP } from 'node:net';
import type { Observable } from '../observables/parse.js';

export interface GuardrailConfig {
  /** CIDRs or single addresses, e.g. `203.0.113.0/24`. */
  protectedRanges: string[];
  /** Domains; their subdomains are protected too. */
  protectedDomains: string[];
}

const SPECIAL_V4: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'an unspecified/"this network" address'],
  ['10.0.0.0', 8, 'a private address (RFC 1918)'],
  ['100.64.0.0', 10, 'a carrier-grade NAT address'],
  ['127.0.0.0', 8, 'a loopback address'],
  ['169.254.0.0', 16, 'a link-local address'],
  ['172.16.0.0', 12, 'a private address (RFC 1918)'],
  ['192.168.0.0', 16, 'a private address (RFC 1918)'],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, 'a reserved or broadcast address'],
];
const SPECIAL_V6: Array<[string, number, string]> = [
  ['::', 128, 'the unspecified address'],
  ['::1', 128, 'a loopback address'],
  ['fe80::', 10, 'a link-local address'],
  ['fc00::', 7, 'a private (unique local) address'],
  ['ff00::', 8, 'a multicast address'],
];

/** Types the XDR blocking feeds carry (one feed per type, as firewalls expect). */
export const BLOCKABLE_TYPES = ['ip', 'ipv6', 'domain', 'url', 'sha256'] as const;
export type BlockableType = (typeof BLOCKABLE_TYPES)[number];

export type GuardrailVerdict = { ok: true; type: BlockableType } | { ok: false; reason: string };

export class Guardrails {
  private readonly protectedList = new BlockList();
  private readonly protectedDomains: string[];

  constructor(config: GuardrailConfig) {
    for (const range of config.protectedRanges) addRange(this.protectedList, range);
    this.protectedDomains = config.protectedDomains.map((d) => d.toLowerCase().replace(/^\*?\.|\.$/g, ''));
  }

  /** Whether Block may put this observable on a feed; the reason is for the operator. */
  check(observable: Observable): GuardrailVerdict {
    if (!(BLOCKABLE_TYPES as readonly string[]).includes(observable.type)) {
      return { ok: false, reason: 'blocking feeds take IPv4, IPv6, domain, URL and SHA-256 observables only' };
    }
    const type = observable.type as BlockableType;
    if (type === 'ip' || type === 'ipv6') {
      const family = type === 'ip' ? 'ipv4' : 'ipv6';
      const special = (type === 'ip' ? SPECIAL_V4 : SPECIAL_V6).find(([net, prefix]) =>
        inSubnet(observable.value, net, prefix, family),
      );
      if (special) return { ok: false, reason: `${observable.value} is ${special[2]}, never blocked` };
      if (this.protectedList.check(observable.value, family)) {
        return { ok: false, reason: `${observable.value} is in PROTECTED_RANGES` };
      }
    }
    const host = type === 'domain' ? observable.value : type === 'url' ? hostOf(observable.value) : undefined;
    if (host) {
      const protectedBy = this.protectedDomains.find((d) => host === d || host.endsWith(`.${d}`));
      if (protectedBy) return { ok: false, reason: `${host} is protected (PROTECTED_DOMAINS: ${protectedBy})` };
      if (type === 'domain' && !host.includes('.'))
        return { ok: false, reason: 'a top-level domain is too broad to block' };
      const bare = host.replace(/^\[|\]$/g, '');
      const kind = isIP(bare);
      if (type === 'url' && kind !== 0) {
        const inner = this.check({ type: kind === 4 ? 'ip' : 'ipv6', value: bare });
        if (!inner.ok) return inner;
      }
    }
    return { ok: true, type };
  }
}

/** Refuses CIDR input outright: feeds list single observables, and a range is over-broad. */
export function looksLikeCidr(text: string): boolean {
  return /^[\d.]+\/\d{1,2}$|^[0-9a-f:]+\/\d{1,3}$/i.test(text.trim());
}

function addRange(list: BlockList, range: string): void {
  const [address, prefixText] = range.trim().split('/');
  if (!address) return;
  const family = address.includes(':') ? 'ipv6' : 'ipv4';
  if (prefixText === undefined) list.addAddress(address, family);
  else list.addSubnet(address, Number(prefixText), family);
}

function inSubnet(address: string, net: string, prefix: number, family: 'ipv4' | 'ipv6'): boolean {
  const list = new BlockList();
  list.addSubnet(net, prefix, family);
  return list.check(address, family);
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}
