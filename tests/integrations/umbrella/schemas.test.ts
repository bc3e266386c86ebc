import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { WireError } from '../../../integrations/http.js';
import { parseWire } from '../../../integrations/wire.js';
import { normalizeDomain } from '../../../integrations/umbrella/domain.js';
import {
  categorizationEntrySchema,
  riskScoreSchema,
  securitySchema,
  tokenResponseSchema,
} from '../../../integrations/umbrella/schemas.js';
import { umbrellaDisposition } from '../../../integrations/umbrella/verdict.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../fixtures/umbrella/${name}`, import.meta.url), 'utf8'));
}

const ctx = { service: 'umbrella', method: 'GET', url: 'https://api.umbrella.test/x' } as const;
const SCHEMAS: Record<string, z.ZodType> = {
  categorizationEntry: categorizationEntrySchema,
  security: securitySchema,
  riskScore: riskScoreSchema,
  token: tokenResponseSchema,
};

interface HostileCase {
  defect: string;
  schema: string;
  body: unknown;
}

describe('Umbrella wire schemas', () => {
  it('accept the documented token, categorization, security and risk-score payloads', () => {
    expect(parseWire(tokenResponseSchema, fixture('token.json'), ctx).expires_in).toBe(3600);
    const byDomain = fixture('categorization.json') as Record<string, unknown>;
    expect(parseWire(categorizationEntrySchema, byDomain['example.com'], ctx)).toEqual({
      status: 1,
      security_categories: [],
      content_categories: ['Ecommerce/Shopping'],
    });
    const security = parseWire(securitySchema, fixture('security.json'), ctx);
    expect(security.securerank2).toBeCloseTo(-1.3135);
    expect(security.geodiversity).toEqual([
      ['UA', 0.24074075],
      ['IN', 0.018518519],
    ]);
    const risk = parseWire(riskScoreSchema, fixture('risk-score.json'), ctx);
    expect(risk.risk_score).toBe(4);
    expect(risk.indicators).toHaveLength(4);
  });

  it('tolerate nulls in the security answer of a domain Investigate does not know', () => {
    const security = parseWire(securitySchema, fixture('security-unknown.json'), ctx);
    expect(security.found).toBe(false);
    expect(security.geodiversity).toEqual([]);
  });

  const hostile = fixture('hostile.json') as HostileCase[];
  it.each(hostile.map((c) => [c.defect, c] as const))('reject a hostile payload: %s', (_defect, hostileCase) => {
    const schema = SCHEMAS[hostileCase.schema];
    if (!schema) throw new Error(`fixture names an unknown schema ${hostileCase.schema}`);
    expect(() => parseWire(schema, hostileCase.body, ctx)).toThrow(WireError);
  });
});

describe('normalizeDomain', () => {
  it('lower-cases, drops a trailing dot and converts internationalized names to punycode', () => {
    expect(normalizeDomain(' Example.COM. ')).toBe('example.com');
    expect(normalizeDomain('bücher.example')).toBe('xn--bcher-kva.example');
  });

  it.each([
    '',
    '1.2.3.4',
    'a/b.com',
    'evil.com/../../admin',
    'has space.com',
    `${'a'.repeat(64)}.com`,
    'x'.repeat(300),
  ])('refuses %j', (input) => {
    expect(() => normalizeDomain(input)).toThrow(RangeError);
  });
});

describe('umbrellaDisposition', () => {
  const none = { securityCategories: [], contentCategories: [] };
  it('reads status -1 as malicious even with a low risk score', () => {
    expect(umbrellaDisposition({ ...none, status: -1 }, 0)).toBe('malicious');
  });
  it('reads a security category or a risk score of 70 and more as suspicious', () => {
    expect(umbrellaDisposition({ ...none, status: 0, securityCategories: ['Newly Seen Domains'] })).toBe('suspicious');
    expect(umbrellaDisposition({ ...none, status: 1 }, 70)).toBe('suspicious');
    expect(umbrellaDisposition({ ...none, status: 1 }, 69)).toBe('clean');
  });
  it('reads status 0 without other signal as unknown', () => {
    expect(umbrellaDisposition({ ...none, status: 0 }, 10)).toBe('unknown');
  });
});
