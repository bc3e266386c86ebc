import { describe, expect, it } from 'vitest';
import {
  type CtiaEntity,
  lucene,
  luceneTerm,
  MAX_LUCENE_VALUE_LENGTH,
  quoteLucene,
  shortId,
  XDR_REGIONS,
  XdrClient,
} from '../../../integrations/xdr/index.js';
import { fixture, huge } from './helpers.js';

describe('lucene', () => {
  it('quotes values as phrases joined by AND', () => {
    expect(lucene({ 'observable.type': 'ip', 'observable.value': '203.0.113.7', skipped: undefined })).toBe(
      'observable.type:"ip" AND observable.value:"203.0.113.7"',
    );
  });

  it.each(fixture<{ name: string; value: string }[]>('hostile-search-values.json'))(
    'keeps $name inside one phrase',
    ({ value }) => {
      const term = luceneTerm('observable.value', value);
      const inner = term.slice('observable.value:"'.length, -1);
      // Every quote inside is escaped, and the phrase does not end on an escaping backslash.
      expect(inner.replace(/\\[\\"]/g, '')).not.toMatch(/["\\]/);
      expect(term).toBe(`observable.value:${quoteLucene(value)}`);
    },
  );

  it('refuses a value longer than the cap, an empty value, and a field name that is not a dotted identifier', () => {
    expect(() => luceneTerm('title', huge('luceneValue'))).toThrow(RangeError);
    expect(() => luceneTerm('title', 'x'.repeat(MAX_LUCENE_VALUE_LENGTH))).not.toThrow();
    expect(() => luceneTerm('title', '')).toThrow(RangeError);
    expect(() => luceneTerm('title:"x" OR owner', 'y')).toThrow(RangeError);
    expect(() => lucene({})).toThrow(RangeError);
  });
});

describe('shortId', () => {
  const ids = fixture<{ valid: { long: string; short: string; entity: CtiaEntity }[]; invalid: string[] }>('ids.json');

  it.each(ids.valid)('reads $short from $long', ({ long, short, entity }) => {
    expect(shortId(long)).toBe(short);
    expect(shortId(long, entity)).toBe(short);
  });

  it.each(ids.invalid)('refuses %j', (id) => {
    expect(() => shortId(id)).toThrow(RangeError);
  });

  it('refuses an id of another entity when one is expected', () => {
    expect(() => shortId('feed-20a06ebf-bb3d-4f39-b7ed-c6cfa1c6d7be', 'judgement')).toThrow(/not a CTIA judgement id/);
  });

  it('bounds and sanitizes what a refused id looks like in the message', () => {
    const error = (() => {
      try {
        shortId(`\u0000${'x'.repeat(500)}`);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message.length).toBeLessThan(120);
    expect(error?.message).not.toContain('\u0000');
  });
});

describe('regions', () => {
  it('maps each region to its IROH and private-intel hosts', () => {
    expect(XDR_REGIONS.eu).toEqual({
      iroh: 'https://visibility.eu.amp.cisco.com',
      privateIntel: 'https://private.intel.eu.amp.cisco.com',
    });
    expect(new XdrClient({ clientId: 'client-1', clientSecret: 's', region: 'apjc' }).hosts).toEqual(XDR_REGIONS.apjc);
    expect(new XdrClient({ clientId: 'client-1', clientSecret: 's' }).hosts).toEqual(XDR_REGIONS.us);
  });

  it('refuses an unknown region, credentials in a base URL, and missing credentials', () => {
    const base = { clientId: 'client-1', clientSecret: 's' };
    expect(() => new XdrClient({ ...base, region: 'mars' as 'us' })).toThrow(TypeError);
    expect(() => new XdrClient({ ...base, apiUrl: 'https://user:pw@visibility.amp.cisco.com' })).toThrow(TypeError);
    expect(() => new XdrClient({ ...base, privateIntelUrl: 'ftp://x' })).toThrow(TypeError);
    expect(() => new XdrClient({ ...base, clientSecret: '' })).toThrow(/clientSecret is required/);
  });
});
