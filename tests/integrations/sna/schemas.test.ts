import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WireError } from '../../../integrations/http.js';
import { parseWire } from '../../../integrations/wire.js';
import { toSnaEvent } from '../../../integrations/sna/normalize.js';
import {
  eventDetailSchema,
  eventTemplateListSchema,
  hostGroupListSchema,
  hostGroupResponseSchema,
  queryResultsSchema,
  queryStartSchema,
  queryStatusSchema,
  securityEventRecordSchema,
  tenantListSchema,
} from '../../../integrations/sna/schemas.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../fixtures/sna/${name}`, import.meta.url), 'utf8'));
}

const ctx = { service: 'sna', method: 'GET', url: 'https://smc.test/x' } as const;

describe('SNA wire schemas', () => {
  it('accept the captured tenants, templates, query, tag-list and tag payloads', () => {
    expect(parseWire(tenantListSchema, fixture('tenants.json'), ctx).data).toEqual([
      { id: 102, displayName: 'companyname' },
    ]);
    const templates = parseWire(eventTemplateListSchema, fixture('templates.json'), ctx).data;
    expect(templates.map((t) => t.id)).toEqual([16, 30, 262, 310]);
    expect(templates[3]).toEqual({ id: 310, name: 'Flow_Denied', description: '' });
    expect(parseWire(queryStartSchema, fixture('query-start.json'), ctx).data.searchJob.id).toBe(
      '6029011fe4b0d6d2a1ffd2d7',
    );
    expect(parseWire(queryStatusSchema, fixture('query-status.json'), ctx).data).toEqual({
      status: 'COMPLETED',
      percentComplete: 100,
    });
    expect(parseWire(hostGroupListSchema, fixture('tags.json'), ctx).data[1]).toEqual({
      id: 6,
      name: 'Other',
      parentId: 23,
      location: 'INSIDE',
    });
  });

  it('normalize the captured results record to Z timestamps, host groups, points and a details map', () => {
    const [record] = parseWire(queryResultsSchema, fixture('query-results.json'), ctx).data.results;
    expect(record && toSnaEvent(record)).toEqual({
      id: 5223,
      typeId: 310,
      firstActive: '2021-02-04T13:20:38.000Z',
      lastActive: '2021-02-04T13:20:38.000Z',
      source: { ip: '192.168.91.6', port: 0, protocol: 'udp', hostGroups: [{ id: 65534, name: 'Catch All' }] },
      target: { ip: '52.109.8.21', port: 137, protocol: 'udp', hostGroups: [{ id: 61627, name: 'United States' }] },
      hitCount: 1,
      points: 162,
      details: {
        'source_host@username': '',
        'category_points@high-concern-index': '162',
        'baseline@threshold': '0',
        'flow@target_port': '137',
        targetIPAddress: '52.109.8.21',
        points: '162',
      },
    });
  });

  it('tolerate unknown fields, a null or absent target, missing tags, other offsets and non-string detail values', () => {
    const [first, second] = parseWire(
      queryResultsSchema,
      fixture('query-results-tolerated.json'),
      ctx,
    ).data.results.map(toSnaEvent);
    expect(first).toMatchObject({
      id: 5224,
      firstActive: '2021-02-04T13:20:38.000Z',
      lastActive: '2021-02-04T13:35:00.123Z',
      source: { ip: '2001:db8::1', protocol: 'tcp', hostGroups: [] },
      hitCount: 7,
      points: 35,
    });
    expect(first?.target).toBeUndefined();
    expect(first?.details.note).toBe('');
    expect(second?.lastActive).toBe('2021-02-04T13:20:39.500Z');
    expect(second?.target).toBeUndefined();
    expect(second?.points).toBeUndefined();
  });

  it('keep a "__proto__" detail key as plain data instead of a prototype', () => {
    const [event] = parseWire(queryResultsSchema, fixture('query-results-tolerated.json'), ctx).data.results.map(
      toSnaEvent,
    );
    expect(Object.getPrototypeOf(event?.details)).toBe(Object.prototype);
    expect(Object.hasOwn(event?.details ?? {}, '__proto__')).toBe(true);
  });

  const hostile = fixture('security-event-records-hostile.json') as { defect: string; record: unknown }[];

  it.each(hostile)('reject a record when $defect', ({ record }) => {
    expect(securityEventRecordSchema.safeParse(record).success).toBe(false);
  });

  it('reject a whole results payload as WireError when one record is malformed, naming where', () => {
    const good = (fixture('query-results.json') as { data: { results: unknown[] } }).data.results[0];
    const payload = { data: { results: [good, hostile[2]?.record] } };
    expect(() => parseWire(queryResultsSchema, payload, ctx)).toThrow(WireError);
    expect(() => parseWire(queryResultsSchema, payload, ctx)).toThrow(
      expect.objectContaining({ issues: [expect.stringMatching(/^data\.results\.1\.hitCount:/)] }),
    );
  });

  it('name the bad details pair, with the same messages for every kind of defect', () => {
    const good = (fixture('query-results.json') as { data: { results: Array<{ details: unknown[] }> } }).data
      .results[0];
    const record = {
      ...good,
      details: [
        { key: 'points', value: '1' },
        { key: 'x', value: 'y'.repeat(5000) },
      ],
    };
    const result = securityEventRecordSchema.safeParse(record);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['details.1.value']);
  });

  it('convert details the same on the fast path and through the pair schema', () => {
    const pairs = [
      { key: 'points', value: '162' },
      { key: 'n', value: 7.5 },
      { key: 'empty', value: null },
      { key: 'extra', value: 'kept', unknown: 'dropped' },
    ];
    const good = (fixture('query-results.json') as { data: { results: Array<Record<string, unknown>> } }).data
      .results[0];
    const parsed = securityEventRecordSchema.parse({ ...good, details: pairs });
    expect(parsed.details).toEqual(pairs.map((p) => eventDetailSchema.parse(p)));
    expect(parsed.details).toEqual([
      { key: 'points', value: '162' },
      { key: 'n', value: '7.5' },
      { key: 'empty', value: '' },
      { key: 'extra', value: 'kept' },
    ]);
  });

  it('refuse a search job id that could leave its URL path segment', () => {
    expect(queryStartSchema.safeParse(fixture('query-start-hostile.json')).success).toBe(false);
  });

  it('keep every field of a full tag object, unknown ones included, for read-modify-write updates', () => {
    const tag = parseWire(hostGroupResponseSchema, fixture('tag.json'), ctx).data;
    expect(tag.ranges).toEqual(['10.1.2.3', '10.9.0.0/16']);
    expect(tag.sendToCognitiveFilter).toBe('CROSS_PERIMETER');
    expect(tag.display).toMatchObject({ idPath: [1, 23, 6], path: ['Inside Hosts', 'By Function'] });
  });

  it('read a group holding no range, which a real SMC sends without a ranges key, as having none', () => {
    const tag = parseWire(hostGroupResponseSchema, fixture('tag-no-ranges.json'), ctx).data;
    expect(tag.ranges).toEqual([]);
    expect(tag.display).toMatchObject({ idPath: [1], path: [] });
    expect(tag.parentId).toBe(2147483647);
  });

  it('reject a tag object whose ranges are not a list of strings', () => {
    const { data } = fixture('tag.json') as { data: Record<string, unknown> };
    expect(hostGroupResponseSchema.safeParse({ data: { ...data, ranges: 'x' } }).success).toBe(false);
    expect(hostGroupResponseSchema.safeParse({ data: { ...data, ranges: [1] } }).success).toBe(false);
  });
});
