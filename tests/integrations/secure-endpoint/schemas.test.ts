import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { WireError } from '../../../integrations/http.js';
import { parseWire } from '../../../integrations/wire.js';
import { toComputer, toEvent } from '../../../integrations/secure-endpoint/normalize.js';
import { computerSchema, envelopeSchema, eventSchema } from '../../../integrations/secure-endpoint/schemas.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../fixtures/secure-endpoint/${name}`, import.meta.url), 'utf8'));
}

const ctx = { service: 'secure-endpoint', method: 'GET', url: 'https://api.amp.test/v1/x' } as const;
const SCHEMAS: Record<string, z.ZodType> = {
  computer: computerSchema,
  event: eventSchema,
  envelope: envelopeSchema(computerSchema),
};

describe('Secure Endpoint wire schemas', () => {
  it('normalize a documented computer, keeping isolation, addresses and links', () => {
    const [computer] = parseWire(envelopeSchema(computerSchema), fixture('computers.json'), ctx).data;
    expect(computer && toComputer(computer)).toEqual({
      connectorGuid: '5e8a4a8c-16f6-4e8b-9d1b-1a0c8f9e2b11',
      hostname: 'Demo_AMP_Intel.corp.example',
      active: true,
      operatingSystem: 'Windows 10, SP 0.0',
      internalIps: ['10.10.20.7', '192.168.56.1'],
      externalIp: '198.51.100.7',
      isolation: { available: true, status: 'not_isolated' },
      links: {
        computer: 'https://api.amp.cisco.com/v1/computers/5e8a4a8c-16f6-4e8b-9d1b-1a0c8f9e2b11',
        trajectory: 'https://api.amp.cisco.com/v1/computers/5e8a4a8c-16f6-4e8b-9d1b-1a0c8f9e2b11/trajectory',
        group: 'https://api.amp.cisco.com/v1/groups/b077d6bc-bbdf-42f7-8838-a06053fbd98a',
      },
    });
  });

  it('accept the activity envelope, whose items lack the full computer fields, with its next link', () => {
    const page = parseWire(envelopeSchema(computerSchema), fixture('activity.json'), ctx);
    expect(page.metadata?.results?.total).toBe(7);
    expect(page.metadata?.links?.next).toContain('offset=2');
    expect(page.data.map(toComputer).map((c) => [c.hostname, c.active, c.internalIps])).toEqual([
      ['Demo_AMP_Intel.corp.example', true, []],
      ['Demo_AMP_Threat_Audit', false, []],
    ]);
  });

  it('normalize a documented event: id as a string, UTC time, user, file hashes lower-cased', () => {
    const [event] = parseWire(envelopeSchema(eventSchema), fixture('events.json'), ctx).data;
    expect(event && toEvent(event)).toEqual({
      id: '6455442249407791000',
      time: '2023-11-15T11:54:50.000Z',
      eventType: 'Threat Detected',
      eventTypeId: 1090519054,
      detection: 'W32.EICAR.Test.Sig',
      severity: 'Medium',
      connectorGuid: '5e8a4a8c-16f6-4e8b-9d1b-1a0c8f9e2b11',
      computer: {
        connectorGuid: '5e8a4a8c-16f6-4e8b-9d1b-1a0c8f9e2b11',
        hostname: 'Demo_AMP_Intel.corp.example',
        user: 'alice@corp.example',
        externalIp: '198.51.100.7',
        internalIps: ['10.10.20.7'],
      },
      file: {
        disposition: 'Malicious',
        fileName: 'eicar.com',
        filePath: '\\\\?\\C:\\Users\\alice\\Downloads\\eicar.com',
        sha256: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
        sha1: '3395856ce81f2b7382dee72602f798b642f14140',
        md5: '44d88612fea8a8f36de82e1278abb02f',
        parentFileName: 'chrome.exe',
        parentSha256: 'ef'.repeat(32),
      },
    });
  });

  const hostile = fixture('hostile.json') as { defect: string; schema: string; body: unknown }[];
  it.each(hostile.map((c) => [c.defect, c] as const))('reject a hostile payload: %s', (_defect, hostileCase) => {
    const schema = SCHEMAS[hostileCase.schema];
    if (!schema) throw new Error(`fixture names an unknown schema ${hostileCase.schema}`);
    expect(() => parseWire(schema, hostileCase.body, ctx)).toThrow(WireError);
  });

  it('reject a page of more than 500 items', () => {
    const [computer] = (fixture('computers.json') as { data: unknown[] }).data;
    expect(() => parseWire(envelopeSchema(computerSchema), { data: Array(501).fill(computer) }, ctx)).toThrow(
      WireError,
    );
  });
});
