/**
 * Security-event records that plainly fit {@link securityEventRecordSchema}, which is nearly all of
 * them, read without zod: a burst of 100,000 records made zod allocate about 5 KB per record, and
 * its per-parse bookkeeping (weak maps keyed by the values of each parse, for transforms) kept that
 * garbage alive past the young generation, so it piled up in the old one. Anything that does not
 * plainly fit gives `undefined`, and the schema itself then accepts it or names what is wrong: the
 * schema stays the one definition of a valid record. tests/integrations/sna/plain-record.test.ts
 * checks that whatever is read here, the schema reads the same.
 */
import { toUtcIso } from './time.js';
import {
  type EventEndpointRecord,
  ipAddressSchema,
  plainDetail,
  type SecurityEventRecord,
  SHORT_TEXT,
} from './schemas.js';

type Tag = EventEndpointRecord['tags'][number];

/** Reads records one at a time; remembers which addresses are valid (they repeat across a burst). */
export class PlainRecordReader {
  private readonly addresses = new Map<string, boolean>();

  /** The record as the schema would read it, or `undefined` when it does not plainly fit. */
  read(raw: unknown): SecurityEventRecord | undefined {
    if (!isObject(raw)) return undefined;
    const { id, domainId, deviceId, securityEventType, hitCount } = raw;
    if (!isInt(id) || !isInt(securityEventType) || !isInt(hitCount) || hitCount < 0) return undefined;
    if (!isNullishInt(domainId) || !isNullishInt(deviceId)) return undefined;
    const firstActiveTime = timestamp(raw.firstActiveTime);
    const lastActiveTime = timestamp(raw.lastActiveTime);
    if (firstActiveTime === undefined || lastActiveTime === undefined) return undefined;
    const source = this.endpoint(raw.source);
    if (!source) return undefined;
    let target: EventEndpointRecord | null | undefined = raw.target === null ? null : undefined;
    if (raw.target !== null && raw.target !== undefined) {
      target = this.endpoint(raw.target);
      if (!target) return undefined;
    }
    // The schema refuses a record without the `details` key (its schema is not optional), though it
    // takes `details: null` as none.
    const details = 'details' in raw ? plainDetails(raw.details) : undefined;
    if (!details) return undefined;
    return {
      id,
      domainId,
      deviceId,
      securityEventType,
      firstActiveTime,
      lastActiveTime,
      source,
      target,
      details,
      hitCount,
    };
  }

  private endpoint(raw: unknown): EventEndpointRecord | undefined {
    if (!isObject(raw)) return undefined;
    const { ipAddress, port, protocol, tags } = raw;
    if (typeof ipAddress !== 'string' || !this.validAddress(ipAddress)) return undefined;
    if (!isNullishInt(port) || (typeof port === 'number' && (port < 0 || port > 65_535))) return undefined;
    if (protocol !== null && protocol !== undefined && (typeof protocol !== 'string' || protocol.length > 32)) {
      return undefined;
    }
    const groups = plainTags(tags);
    return groups ? { ipAddress, port, protocol, tags: groups } : undefined;
  }

  private validAddress(value: string): boolean {
    let valid = this.addresses.get(value);
    if (valid === undefined) {
      valid = ipAddressSchema.safeParse(value).success;
      // A hostile answer could name a new address in every record: remember a bounded few.
      if (this.addresses.size < 10_000) this.addresses.set(value, valid);
    }
    return valid;
  }
}

function plainTags(raw: unknown): Tag[] | undefined {
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) return undefined;
  const tags: Tag[] = new Array<Tag>(raw.length);
  for (let n = 0; n < raw.length; n += 1) {
    const tag: unknown = raw[n];
    if (!isObject(tag) || !isInt(tag.id) || typeof tag.name !== 'string' || tag.name.length > SHORT_TEXT) {
      return undefined;
    }
    tags[n] = { id: tag.id, name: tag.name };
  }
  return tags;
}

function plainDetails(raw: unknown): SecurityEventRecord['details'] | undefined {
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) return undefined;
  const details: SecurityEventRecord['details'] = new Array<SecurityEventRecord['details'][number]>(raw.length);
  for (let n = 0; n < raw.length; n += 1) {
    const detail = plainDetail(raw[n]);
    if (!detail) return undefined;
    details[n] = detail;
  }
  return details;
}

function timestamp(value: unknown): string | undefined {
  return typeof value === 'string' ? toUtcIso(value) : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function isNullishInt(value: unknown): value is number | null | undefined {
  return value === null || value === undefined || isInt(value);
}
