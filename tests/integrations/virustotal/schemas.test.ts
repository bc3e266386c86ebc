import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WireError } from '../../../integrations/http.js';
import { parseWire } from '../../../integrations/wire.js';
import { targetOf, urlId } from '../../../integrations/virustotal/observable.js';
import { errorBodySchema, objectResponseSchema } from '../../../integrations/virustotal/schemas.js';
import type { VtObservableType } from '../../../integrations/virustotal/types.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../fixtures/virustotal/${name}`, import.meta.url), 'utf8'));
}

const ctx = { service: 'virustotal', method: 'GET', url: 'https://www.virustotal.test/api/v3/x' } as const;

describe('VirusTotal wire schemas', () => {
  it.each([
    ['file.json', 'file', 62],
    ['ip-address.json', 'ip_address', 12],
    ['domain.json', 'domain', 8],
    ['url.json', 'url', 9],
  ])('accept the documented %s object and read its last analysis stats', (name, type, malicious) => {
    const { data } = parseWire(objectResponseSchema, fixture(name), ctx);
    expect(data.type).toBe(type);
    expect(data.attributes.last_analysis_stats.malicious).toBe(malicious);
    expect(data.attributes.last_analysis_date).toBe(1700049290);
  });

  it('drop the file-only stats keys VirusTotal adds (type-unsupported, failure…)', () => {
    const { data } = parseWire(objectResponseSchema, fixture('file.json'), ctx);
    expect(data.attributes.last_analysis_stats).toEqual({
      harmless: 0,
      malicious: 62,
      suspicious: 0,
      undetected: 7,
      timeout: 0,
    });
  });

  it('read the error envelope of a 404 and of a 429', () => {
    expect(errorBodySchema.parse(fixture('not-found.json')).error.code).toBe('NotFoundError');
    expect(errorBodySchema.parse(fixture('quota-exceeded.json')).error.code).toBe('QuotaExceededError');
  });

  const hostile = fixture('hostile.json') as { defect: string; body: unknown }[];
  it.each(hostile.map((c) => [c.defect, c.body] as const))('reject a hostile object: %s', (_defect, body) => {
    expect(() => parseWire(objectResponseSchema, body, ctx)).toThrow(WireError);
  });
});

describe('VirusTotal observables', () => {
  it('encode a URL id as unpadded URL-safe base64', () => {
    // "?>>" encodes to "Pz4+" in standard base64: "-" and "_" prove the URL-safe alphabet.
    expect(urlId('http://a.example/?>>')).toBe('aHR0cDovL2EuZXhhbXBsZS8_Pj4');
    expect(urlId('https://example.com/')).not.toMatch(/[=+/]/);
    expect(Buffer.from(urlId('https://example.com/'), 'base64url').toString()).toBe('https://example.com/');
  });

  it.each([
    ['ip', '198.51.100.23', '/ip_addresses/198.51.100.23', 'ip-address'],
    ['ip', '2001:DB8::1', '/ip_addresses/2001%3Adb8%3A%3A1', 'ip-address'],
    ['ipv6', '2001:db8::1', '/ip_addresses/2001%3Adb8%3A%3A1', 'ip-address'],
    ['domain', 'Example.COM.', '/domains/example.com', 'domain'],
    ['sha256', 'AB'.repeat(32), `/files/${'ab'.repeat(32)}`, 'file'],
    ['sha1', 'a'.repeat(40), `/files/${'a'.repeat(40)}`, 'file'],
    ['md5', 'b'.repeat(32), `/files/${'b'.repeat(32)}`, 'file'],
    ['url', 'https://example.com/', '/urls/aHR0cHM6Ly9leGFtcGxlLmNvbS8', 'url'],
  ] as const)('map a %s to its collection path', (type, value, path, kind) => {
    expect(targetOf({ type, value })).toEqual({ path, kind });
  });

  it.each([
    ['ip', '999.1.1.1'],
    ['ipv6', '10.0.0.1'],
    ['domain', 'evil.com/../files'],
    ['domain', '10.0.0.1'],
    ['sha256', 'g'.repeat(64)],
    ['sha1', 'a'.repeat(64)],
    ['md5', ''],
    ['url', 'http://a b'],
    ['url', `http://x/${'a'.repeat(5000)}`],
  ] as [VtObservableType, string][])('refuse a malformed %s: %j', (type, value) => {
    expect(() => targetOf({ type, value })).toThrow(RangeError);
  });
});
