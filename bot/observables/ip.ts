/**
 * IP addresses in one canonical form, and what a special-purpose address really is. Parsing and
 * the special-purpose ranges come from ipaddr.js (a well-kept library), never from hand-made
 * ranges: an IPv4 address written as IPv6 (`::ffff:10.0.0.1`, `::ffff:a00:1`, `::10.0.0.1`) is
 * that IPv4 address, and transition addresses (NAT64, 6to4, Teredo, IPv4-translated) are judged
 * by the IPv4 addresses they carry.
 */
import ipaddr from 'ipaddr.js';

export type IpFamily = 'ipv4' | 'ipv6';

export interface CanonicalIp {
  family: IpFamily;
  /** IPv4 dotted quad; IPv6 in RFC 5952 form (lower case, zeros compressed, no zone). */
  value: string;
}

type Address = ReturnType<typeof ipaddr.parse>;

/**
 * Parses an address as a person or an upstream wrote it and returns its one canonical form, or
 * `undefined` when it is not an address. IPv4 must be a plain dotted quad (no octal, hex or
 * shortened forms, which mean different things to different parsers); IPv6 may carry a zone,
 * which is dropped. IPv4-mapped and IPv4-compatible IPv6 addresses become the IPv4 address.
 */
export function canonicalIp(text: string): CanonicalIp | undefined {
  const trimmed = text.trim();
  if (ipaddr.IPv4.isValidFourPartDecimal(trimmed)) {
    return { family: 'ipv4', value: ipaddr.IPv4.parse(trimmed).toString() };
  }
  if (!ipaddr.IPv6.isValid(trimmed)) return undefined;
  const v6 = ipaddr.IPv6.parse(trimmed.replace(/%.*$/, ''));
  const v4 = ipv4Designated(v6);
  return v4 ? { family: 'ipv4', value: v4.toString() } : { family: 'ipv6', value: v6.toString() };
}

/** An IPv4 address written as IPv6: `::ffff:a.b.c.d` (mapped) or `::a.b.c.d` (compatible, deprecated). */
function ipv4Designated(v6: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  const [a, b, c, d, e, f, g = 0, h = 0] = v6.parts;
  // ::/96 without :: and ::1 (which the library names unspecified and loopback).
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0 && f === 0 && (g !== 0 || h > 1)) {
    return ipv4FromWords(g, h);
  }
  return undefined;
}

function ipv4FromWords(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/**
 * The IPv4 addresses a transition IPv6 address carries, which is what it really reaches:
 * NAT64 (64:ff9b::/96, 64:ff9b:1::/48), 6to4 (2002::/16), Teredo (2001::/32: the server and
 * the client's obfuscated public address), IPv4-translated (::ffff:0:0:0/96).
 */
export function embeddedIpv4(ip: CanonicalIp): string[] {
  if (ip.family !== 'ipv6') return [];
  const v6 = ipaddr.IPv6.parse(ip.value);
  const p = v6.parts.map((part) => part ?? 0);
  switch (v6.range()) {
    case 'rfc6052':
    case 'rfc6145':
      return [ipv4FromWords(p[6] ?? 0, p[7] ?? 0).toString()];
    case '6to4':
      return [ipv4FromWords(p[1] ?? 0, p[2] ?? 0).toString()];
    case 'teredo':
      return [
        ipv4FromWords(p[2] ?? 0, p[3] ?? 0).toString(),
        ipv4FromWords(~(p[6] ?? 0) & 0xffff, ~(p[7] ?? 0) & 0xffff).toString(),
      ];
    default:
      return [];
  }
}

/** Documentation ranges (RFC 5737, RFC 3849): nobody's inside network; demos and tests use them as public peers. */
const DOCUMENTATION: ReadonlyArray<[string, number]> = [
  ['192.0.2.0', 24],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['2001:db8::', 32],
];

/** How each special-purpose range of ipaddr.js reads to an operator. */
const RANGE_NAMES: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address (RFC 6598)',
  private: 'a private address (RFC 1918)',
  uniqueLocal: 'a private (unique local) address',
  deprecatedSiteLocal: 'a site-local address',
  reserved: 'a reserved address',
  benchmarking: 'a benchmarking address',
  amt: 'an AMT relay address',
  as112: 'an AS112 (DNS sink) address',
  as112v6: 'an AS112 (DNS sink) address',
  discard: 'a discard-only address',
  deprecatedOrchid: 'an ORCHID address',
  orchid2: 'an ORCHID address',
  droneRemoteIdProtocolEntityTags: 'a drone remote-ID address',
  segmentRouting: 'a segment-routing address',
};

/** Ranges whose meaning is an embedded IPv4 address: judged by that address instead. */
const TRANSITION = new Set(['rfc6052', 'rfc6145', '6to4', 'teredo']);

/**
 * Why an address is special-purpose (never "the attacker" on a blocking feed), or `undefined`
 * for an ordinary unicast address. Transition addresses are judged by the IPv4 they carry.
 */
export function specialPurpose(ip: CanonicalIp): string | undefined {
  const address = ipaddr.parse(ip.value);
  if (isDocumentation(address)) return undefined;
  const range = address.range();
  if (range === 'unicast') return undefined;
  if (TRANSITION.has(range)) {
    for (const inner of embeddedIpv4(ip)) {
      const why = specialPurpose({ family: 'ipv4', value: inner });
      if (why) return `an IPv6 form of ${inner}, which is ${why}`;
    }
    return undefined;
  }
  return RANGE_NAMES[range] ?? `a special-purpose address (${range})`;
}

function isDocumentation(address: Address): boolean {
  return DOCUMENTATION.some(([net, bits]) => {
    const range = ipaddr.parse(net);
    return range.kind() === address.kind() && address.match(range, bits);
  });
}

/** A parsed CIDR or single address, for PROTECTED_RANGES. */
export interface IpRange {
  address: Address;
  bits: number;
  text: string;
}

/** Parses `10.0.0.0/8`, `2001:db8::/32` or one address; `undefined` when it is neither. */
export function parseRange(text: string): IpRange | undefined {
  const trimmed = text.trim();
  try {
    if (trimmed.includes('/')) {
      // Strict forms only: `10.0.0/8` means different things to different parsers.
      if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(trimmed) && !ipaddr.IPv6.isValidCIDR(trimmed)) return undefined;
      const [address, bits] = ipaddr.parseCIDR(trimmed);
      const v4 = address.kind() === 'ipv6' ? ipv4Designated(address as ipaddr.IPv6) : undefined;
      // `::ffff:10.0.0.0/104` names the IPv4 range 10.0.0.0/8.
      if (v4 && bits >= 96) return { address: v4, bits: bits - 96, text: trimmed };
      return { address, bits, text: trimmed };
    }
    const ip = canonicalIp(trimmed);
    return ip ? { address: ipaddr.parse(ip.value), bits: ip.family === 'ipv4' ? 32 : 128, text: trimmed } : undefined;
  } catch {
    return undefined;
  }
}

/** The first range holding the address, or one of the IPv4 addresses it carries. */
export function rangeHolding(ip: CanonicalIp, ranges: readonly IpRange[]): IpRange | undefined {
  const candidates = [ip.value, ...embeddedIpv4(ip)].map((value) => ipaddr.parse(value));
  return ranges.find((range) =>
    candidates.some((address) => address.kind() === range.address.kind() && address.match(range.address, range.bits)),
  );
}
