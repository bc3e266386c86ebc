/**
 * Every spelling of an address has one canonical form, and a special-purpose address is
 * recognised whatever family or transition format it is written in.
 */
import { describe, expect, it } from 'vitest';
import { canonicalIp, embeddedIpv4, parseRange, rangeHolding, specialPurpose } from '../../../bot/observables/ip.js';
import { parseObservable } from '../../../bot/observables/parse.js';

describe('canonicalIp', () => {
  it.each([
    ['1.2.3.4', 'ipv4', '1.2.3.4'],
    [' 203.0.113.7 ', 'ipv4', '203.0.113.7'],
    ['2001:db8::1', 'ipv6', '2001:db8::1'],
    ['2001:DB8:0:0::1', 'ipv6', '2001:db8::1'],
    ['2001:db8:0000::0001', 'ipv6', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', 'ipv6', '2001:db8::1'],
    ['::ffff:10.1.2.3', 'ipv4', '10.1.2.3'],
    ['::FFFF:a01:203', 'ipv4', '10.1.2.3'],
    ['0:0:0:0:0:ffff:0a01:0203', 'ipv4', '10.1.2.3'],
    ['::10.1.2.3', 'ipv4', '10.1.2.3'],
    ['::a01:203', 'ipv4', '10.1.2.3'],
    ['fe80::1%eth0', 'ipv6', 'fe80::1'],
    ['::1', 'ipv6', '::1'],
    ['::', 'ipv6', '::'],
  ])('%s → %s %s', (text, family, value) => {
    expect(canonicalIp(text)).toEqual({ family, value });
  });

  it.each(['010.0.0.1', '0x7f.1', '127.1', '2130706433', '1.2.3', '1.2.3.256', 'example.com', '', '::g'])(
    'refuses the ambiguous or invalid %j',
    (text) => {
      expect(canonicalIp(text)).toBeUndefined();
    },
  );

  it('makes every spelling of one IPv6 address one observable', () => {
    const spellings = ['2001:db8::1', '2001:DB8:0:0::1', '2001:db8:0000::0001'].map((s) => parseObservable(s));
    expect(new Set(spellings.map((o) => JSON.stringify(o)))).toEqual(
      new Set([JSON.stringify({ type: 'ipv6', value: '2001:db8::1' })]),
    );
  });
});

describe('embeddedIpv4', () => {
  it.each([
    ['64:ff9b::a00:1', ['10.0.0.1']],
    ['64:ff9b::10.0.0.1', ['10.0.0.1']],
    ['64:ff9b:1::c0a8:101', ['192.168.1.1']],
    ['2002:0a00:0001::1', ['10.0.0.1']],
    ['2002:c0a8:0101::', ['192.168.1.1']],
    // Teredo: server 65.54.227.120, client 192.0.2.45 (obfuscated 3fff:fdd2), RFC 4380 example.
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', ['65.54.227.120', '192.0.2.45']],
    ['::ffff:0:a00:1', ['10.0.0.1']],
    ['2001:db8::1', []],
  ])('%s carries %j', (text, expected) => {
    const ip = canonicalIp(text);
    expect(ip).toBeDefined();
    if (ip) expect(embeddedIpv4(ip)).toEqual(expected);
  });
});

describe('specialPurpose', () => {
  const special = (text: string) => {
    const ip = canonicalIp(text);
    if (!ip) throw new Error(`not an address: ${text}`);
    return specialPurpose(ip);
  };

  it.each([
    ['10.0.0.1', /private/],
    ['172.16.5.4', /private/],
    ['192.168.1.1', /private/],
    ['127.0.0.1', /loopback/],
    ['169.254.1.1', /link-local/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['0.0.0.0', /unspecified/],
    ['255.255.255.255', /broadcast/],
    ['224.0.0.251', /multicast/],
    ['240.0.0.1', /reserved/],
    ['192.0.0.8', /reserved/],
    ['198.18.0.1', /reserved|benchmarking/],
    ['::1', /loopback/],
    ['::', /unspecified/],
    ['fe80::1', /link-local/],
    ['fc00::1', /unique local/],
    ['fd12:3456::1', /unique local/],
    ['ff02::1', /multicast/],
    ['100::1', /discard/],
    ['2001:2::1', /benchmarking/],
    ['::ffff:10.1.2.3', /private/],
    ['::ffff:7f00:1', /loopback/],
    ['::127.0.0.1', /loopback/],
    ['64:ff9b::10.0.0.1', /IPv6 form of 10\.0\.0\.1, which is a private address/],
    ['64:ff9b::7f00:1', /loopback/],
    ['2002:0a00:0001::1', /private/],
    ['2002:7f00:0001::', /loopback/],
    ['2001:0:4136:e378:8000:63bf:f5ff:fffe', /private|loopback|link-local|reserved/],
    ['::ffff:0:a00:1', /private/],
  ])('%s is special (%s)', (text, reason) => {
    expect(special(text)).toMatch(reason);
  });

  it.each([
    '8.8.8.8',
    '52.109.8.21',
    '192.0.2.45',
    '198.51.100.7',
    '203.0.113.7',
    '2001:db8::1',
    '2606:4700::1111',
    '64:ff9b::808:808',
    '2002:808:808::1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
  ])('%s is an ordinary address (documentation ranges stay blockable)', (text) => {
    expect(special(text)).toBeUndefined();
  });
});

describe('parseRange and rangeHolding', () => {
  it.each(['10.0.0.0/8', '2001:db8::/32', '192.0.2.1', '2001:db8::1', '::ffff:10.0.0.0/104'])('parses %s', (text) => {
    expect(parseRange(text)).toBeDefined();
  });

  it.each(['10.0.0.0/33', '10.0.0/8', 'example.com', '10.0.0.0/8/1', '', '::/129'])('refuses %j', (text) => {
    expect(parseRange(text)).toBeUndefined();
  });

  it('finds an address in a range whatever the address spelling', () => {
    const ranges = ['198.51.100.0/24', '2001:db8:1::/48'].map((r) => parseRange(r)).filter((r) => r !== undefined);
    for (const text of [
      '198.51.100.9',
      '::ffff:198.51.100.9',
      '::ffff:c633:6409',
      '64:ff9b::198.51.100.9',
      '2002:c633:6409::1',
    ]) {
      const ip = canonicalIp(text);
      expect(ip && rangeHolding(ip, ranges)?.text, text).toBe('198.51.100.0/24');
    }
    const v6 = canonicalIp('2001:DB8:1:0::5');
    expect(v6 && rangeHolding(v6, ranges)?.text).toBe('2001:db8:1::/48');
    const outside = canonicalIp('198.51.101.9');
    expect(outside && rangeHolding(outside, ranges)).toBeUndefined();
  });

  it('reads an IPv4-mapped range as the IPv4 range it names', () => {
    const range = parseRange('::ffff:10.0.0.0/104');
    const ip = canonicalIp('10.20.30.40');
    expect(range && ip && rangeHolding(ip, [range])).toBeDefined();
  });
});
