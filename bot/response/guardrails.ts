/**
 * What Block and Tag refuse, and why. Block never puts on a feed an address that is never "the
 * attacker" (every special-purpose range of both families, in any spelling: an IPv4 address
 * written as IPv6, or carried inside a NAT64, 6to4 or Teredo address, is judged as that IPv4
 * address, inside URLs too), anything the team listed as protected, or observables too broad
 * for a firewall feed. Tag (quarantine) refuses PROTECTED_RANGES: quarantining a domain
 * controller is as dangerous as blocking it. Observables arrive canonical (`parseObservable`).
 */
import { canonicalDomain, type Observable, urlHost } from '../observables/parse.js';
import {
  type CanonicalIp,
  canonicalIp,
  type IpRange,
  parseRange,
  rangeHolding,
  specialPurpose,
} from '../observables/ip.js';

export interface GuardrailConfig {
  /** CIDRs or single addresses, e.g. `203.0.113.0/24`. */
  protectedRanges: string[];
  /** Domains; their subdomains are protected too. */
  protectedDomains: string[];
}

/** Types the XDR blocking feeds carry (one feed per type, as firewalls expect). */
export const BLOCKABLE_TYPES = ['ip', 'ipv6', 'domain', 'url', 'sha256'] as const;
export type BlockableType = (typeof BLOCKABLE_TYPES)[number];

export type GuardrailVerdict = { ok: true; type: BlockableType } | { ok: false; reason: string };

export class Guardrails {
  private readonly ranges: IpRange[];
  private readonly domains: string[];

  constructor(config: GuardrailConfig) {
    this.ranges = config.protectedRanges.map(parseRange).filter((r): r is IpRange => r !== undefined);
    this.domains = config.protectedDomains
      .map((d) => canonicalDomain(d.trim().replace(/^\*?\./, '')) ?? d.trim().toLowerCase().replace(/\.$/, ''))
      .filter((d) => d !== '');
  }

  /** Whether Block may put this observable on a feed; the reason is for the operator. */
  check(observable: Observable): GuardrailVerdict {
    if (!(BLOCKABLE_TYPES as readonly string[]).includes(observable.type)) {
      return { ok: false, reason: 'blocking feeds take IPv4, IPv6, domain, URL and SHA-256 observables only' };
    }
    const type = observable.type as BlockableType;
    if (type === 'ip' || type === 'ipv6') return this.checkAddress(observable.value) ?? { ok: true, type };
    if (type === 'domain' || type === 'url') {
      const host = type === 'domain' ? observable.value : urlHost(observable.value);
      if (!host) return { ok: false, reason: 'that URL has no host to judge' };
      const ip = type === 'url' ? canonicalIp(host) : undefined;
      if (ip) return this.checkAddress(ip.value) ?? { ok: true, type };
      const domain = canonicalDomain(host) ?? host;
      const protectedBy = this.domains.find((d) => domain === d || domain.endsWith(`.${d}`));
      if (protectedBy) return { ok: false, reason: `${domain} is protected (PROTECTED_DOMAINS: ${protectedBy})` };
      if (type === 'domain' && !domain.includes('.'))
        return { ok: false, reason: 'a top-level domain is too broad to block' };
    }
    return { ok: true, type };
  }

  /** Whether Tag may put this host into a quarantine host group (Untag is never refused). */
  checkTag(address: string): { ok: true } | { ok: false; reason: string } {
    const ip = canonicalIp(address);
    if (!ip) return { ok: false, reason: `${address} is not an IP address` };
    const range = rangeHolding(ip, this.ranges);
    return range ? { ok: false, reason: protectedReason(ip, range) } : { ok: true };
  }

  private checkAddress(value: string): { ok: false; reason: string } | undefined {
    const ip = canonicalIp(value);
    if (!ip) return { ok: false, reason: `${value} is not an IP address` };
    const special = specialPurpose(ip);
    if (special) return { ok: false, reason: `${ip.value} is ${special}, never blocked` };
    const range = rangeHolding(ip, this.ranges);
    return range ? { ok: false, reason: protectedReason(ip, range) } : undefined;
  }
}

function protectedReason(ip: CanonicalIp, range: IpRange): string {
  return `${ip.value} is in PROTECTED_RANGES (${range.text})`;
}

/** Refuses CIDR input outright: feeds list single observables, and a range is over-broad. */
export function looksLikeCidr(text: string): boolean {
  return /^[\d.]+\/\d{1,2}$|^[0-9a-f:.]+\/\d{1,3}$/i.test(text.trim());
}
