/**
 * The guardrails hold for every spelling of an address: what Block and Tag refuse, judged on the
 * canonical observable a person's input becomes.
 */
import { describe, expect, it } from 'vitest';
import { parseObservable } from '../../../bot/observables/parse.js';
import { Guardrails } from '../../../bot/response/guardrails.js';

const guardrails = new Guardrails({
  protectedRanges: ['198.51.100.0/24', '2001:db8:beef::/48', '192.0.2.10'],
  protectedDomains: ['Corp.Example.', '*.bücher.example', 'пример.example'],
});

/** What Block decides for `text` as typed in `/block`. */
function block(text: string) {
  const observable = parseObservable(text);
  if (!observable) throw new Error(`not an observable: ${text}`);
  return guardrails.check(observable);
}

describe('Block guardrails', () => {
  it.each([
    // Private, loopback and friends, in every IPv4 and IPv6 spelling.
    ['10.0.0.1', /private/],
    ['::ffff:10.0.0.1', /private/],
    ['::ffff:a00:1', /private/],
    ['::FFFF:A00:1', /private/],
    ['0:0:0:0:0:ffff:0a00:0001', /private/],
    ['::10.0.0.1', /private/],
    ['::a00:1', /private/],
    ['64:ff9b::10.0.0.1', /private/],
    ['64:ff9b::a00:1', /private/],
    ['2002:0a00:0001::1', /private/],
    ['2001:0:4136:e378:8000:63bf:f5ff:fffe', /private|reserved|special|loopback|link-local/],
    ['127.0.0.1', /loopback/],
    ['::ffff:127.0.0.1', /loopback/],
    ['::1', /loopback/],
    ['169.254.169.254', /link-local/],
    ['::ffff:169.254.169.254', /link-local/],
    ['fe80::1', /link-local/],
    ['fe80::1%eth0', /link-local/],
    ['fd00::1', /unique local/],
    ['ff02::1', /multicast/],
    ['224.0.0.1', /multicast/],
    ['0.0.0.0', /unspecified/],
    ['::', /unspecified/],
    ['100.64.1.1', /carrier-grade/],
    ['240.1.2.3', /reserved/],
    ['255.255.255.255', /broadcast/],
    // Inside URLs: the host is judged the same way, whatever spelling the URL parser saw.
    ['http://10.0.0.1/x', /private/],
    ['http://[::ffff:10.0.0.1]/x', /private/],
    ['http://[::ffff:a00:1]/x', /private/],
    ['http://0x7f.1/', /loopback/],
    ['http://2130706433/', /loopback/],
    ['http://[::1]:8080/', /loopback/],
    ['http://[64:ff9b::7f00:1]/', /loopback/],
    ['hxxp://192.168.1[.]1/admin', /private/],
    // PROTECTED_RANGES, in any spelling.
    ['198.51.100.20', /PROTECTED_RANGES \(198\.51\.100\.0\/24\)/],
    ['::ffff:198.51.100.20', /PROTECTED_RANGES/],
    ['64:ff9b::198.51.100.20', /PROTECTED_RANGES/],
    ['192.0.2.10', /PROTECTED_RANGES/],
    ['2001:DB8:BEEF:0::7', /PROTECTED_RANGES \(2001:db8:beef::\/48\)/],
    ['https://198.51.100.20/login', /PROTECTED_RANGES/],
    // PROTECTED_DOMAINS, normalised: case, trailing dot, punycode, subdomains.
    ['corp.example', /PROTECTED_DOMAINS/],
    ['CORP.EXAMPLE.', /PROTECTED_DOMAINS/],
    ['vpn.corp.example', /PROTECTED_DOMAINS/],
    ['https://VPN.Corp.Example./login', /PROTECTED_DOMAINS/],
    ['bücher.example', /PROTECTED_DOMAINS/],
    ['shop.xn--bcher-kva.example', /PROTECTED_DOMAINS/],
    ['xn--e1afmkfd.example', /PROTECTED_DOMAINS/],
    ['mail.ПРИМЕР.example', /PROTECTED_DOMAINS/],
    // Too broad or not for a feed.
    ['d41d8cd98f00b204e9800998ecf8427e', /IPv4, IPv6, domain, URL and SHA-256/],
  ])('refuses %s', (text, reason) => {
    const verdict = block(text);
    expect(verdict.ok, text).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(reason);
  });

  it.each([
    ['203.0.113.7', 'ip'],
    ['198.51.101.1', 'ip'],
    ['192.0.2.11', 'ip'],
    ['2001:db8::1', 'ipv6'],
    ['2001:DB8:0:0::1', 'ipv6'],
    ['::ffff:203.0.113.7', 'ip'],
    ['64:ff9b::203.0.113.7', 'ipv6'],
    ['8.8.8.8', 'ip'],
    ['evil.example', 'domain'],
    ['EVIL.example.', 'domain'],
    ['notcorp.example', 'domain'],
    ['https://evil.example/login', 'url'],
    ['http://[2001:db8::5]/', 'url'],
    ['a'.repeat(64), 'sha256'],
  ])('lets %s through as %s', (text, type) => {
    expect(block(text)).toEqual({ ok: true, type });
  });
});

describe('Tag guardrails', () => {
  it.each(['198.51.100.20', '::ffff:198.51.100.20', '::ffff:c633:6414', '192.0.2.10', '2001:db8:beef::1'])(
    'refuses to quarantine the protected host %s',
    (ip) => {
      const verdict = guardrails.checkTag(ip);
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) expect(verdict.reason).toContain('PROTECTED_RANGES');
    },
  );

  it.each(['10.20.4.17', '192.168.1.1', 'fd00::5', '198.51.101.1'])('lets an inside host %s be quarantined', (ip) => {
    expect(guardrails.checkTag(ip)).toEqual({ ok: true });
  });
});

describe('canonical observables', () => {
  it.each([
    ['bücher.example', { type: 'domain', value: 'xn--bcher-kva.example' }],
    ['XN--BCHER-KVA.EXAMPLE.', { type: 'domain', value: 'xn--bcher-kva.example' }],
    ['Evil.Example.', { type: 'domain', value: 'evil.example' }],
    ['evil[.]example', { type: 'domain', value: 'evil.example' }],
    ['https://Bücher.Example./Pfad', { type: 'url', value: 'https://xn--bcher-kva.example/Pfad' }],
    ['hxxp://EVIL.example/', { type: 'url', value: 'http://evil.example/' }],
    ['Jane@Bücher.Example', { type: 'email', value: 'jane@xn--bcher-kva.example' }],
    ['::FFFF:203.0.113.7', { type: 'ip', value: '203.0.113.7' }],
    ['2001:DB8:0000::0001', { type: 'ipv6', value: '2001:db8::1' }],
  ])('%s → %j', (text, expected) => {
    expect(parseObservable(text)).toEqual(expected);
  });
});
