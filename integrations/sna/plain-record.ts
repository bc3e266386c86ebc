/**
 * Security-event records that plainly fit {@link securityEventRecordSchema}, which is nearly all of
 * them, read without zod: a burst of 100,000 records made zod allocate about 5 KB per record, and
 * its per-parse bookkeeping (weak maps keyed by the values of each parse, for transforms) kept that
 * garbage alive past the young generation, so it piled up in the old one. Such a record is turned
 * straight into the {@link SnaEvent} that `toSnaEvent` makes of the schema's reading, with no
 * validated record in between (that copy of every endpoint, tag and detail was most of what was
 * left of the garbage). Anything that does not plainly fit gives `undefined`, and the schema itself
 * then accepts it or names what is wrong: the schema stays the one definition of a valid record.
 * tests/integrations/sna/plain-record.test.ts checks that whatever is read here, the schema and
 * `toSnaEvent` read the same.
 */
import { toUtcIso } from './time.js';
import { ipAddressSchema, LONG_TEXT, SHORT_TEXT } from './schemas.js';
import type { SnaEndpoint, SnaEvent, SnaHostGroupRef } from './types.js';

/** A `points` detail `toSnaEvent` reads as a number. */
const NUMERIC = /^-?\d+(?:\.\d+)?$/;

/** Reads records one at a time; remembers which addresses are valid (they repeat across a burst). */
export class PlainRecordReader {
  private readonly addresses = new Map<string, boolean>();

  /** The event of the record as the schema and `toSnaEvent` would read it, or `undefined` when it does not plainly fit. */
  read(raw: unknown): SnaEvent | undefined {
    if (!isObject(raw)) return undefined;
    const { id, domainId, deviceId, securityEventType, hitCount } = raw;
    if (!isInt(id) || !isInt(securityEventType) || !isInt(hitCount) || hitCount < 0) return undefined;
    if (!isNullishInt(domainId) || !isNullishInt(deviceId)) return undefined;
    const firstActive = timestamp(raw.firstActiveTime);
    const lastActive = timestamp(raw.lastActiveTime);
    if (firstActive === undefined || lastActive === undefined) return undefined;
    const source = this.endpoint(raw.source);
    if (!source) return undefined;
    let target: SnaEndpoint | undefined;
    if (raw.target !== null && raw.target !== undefined) {
      target = this.endpoint(raw.target);
      if (!target) return undefined;
    }
    // The schema refuses a record without the `details` key (its schema is not optional), though it
    // takes `details: null` as none.
    const details = 'details' in raw ? plainDetails(raw.details) : undefined;
    if (!details) return undefined;
    const event: SnaEvent = target
      ? { id, typeId: securityEventType, firstActive, lastActive, source, target, hitCount, details }
      : { id, typeId: securityEventType, firstActive, lastActive, source, hitCount, details };
    const points = details.points;
    if (points !== undefined && NUMERIC.test(points.trim())) event.points = Number(points);
    return event;
  }

  private endpoint(raw: unknown): SnaEndpoint | undefined {
    if (!isObject(raw)) return undefined;
    const { ipAddress, port, protocol, tags } = raw;
    if (typeof ipAddress !== 'string' || !this.validAddress(ipAddress)) return undefined;
    if (!isNullishInt(port) || (typeof port === 'number' && (port < 0 || port > 65_535))) return undefined;
    if (protocol !== null && protocol !== undefined && (typeof protocol !== 'string' || protocol.length > 32)) {
      return undefined;
    }
    const hostGroups = plainTags(tags);
    if (!hostGroups) return undefined;
    const endpoint: SnaEndpoint = { ip: ipAddress, hostGroups };
    if (port !== null && port !== undefined) endpoint.port = port;
    if (protocol) endpoint.protocol = protocol;
    return endpoint;
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

function plainTags(raw: unknown): SnaHostGroupRef[] | undefined {
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) return undefined;
  const tags: SnaHostGroupRef[] = new Array<SnaHostGroupRef>(raw.length);
  for (let n = 0; n < raw.length; n += 1) {
    const tag: unknown = raw[n];
    if (!isObject(tag) || !isInt(tag.id) || typeof tag.name !== 'string' || tag.name.length > SHORT_TEXT) {
      return undefined;
    }
    tags[n] = { id: tag.id, name: tag.name };
  }
  return tags;
}

/**
 * `details[]` as `toSnaEvent` maps it (key → value as text; a later pair of one key wins, in the
 * first one's place), when every pair plainly fits `eventDetailSchema`.
 */
function plainDetails(raw: unknown): Record<string, string> | undefined {
  if (raw === null || raw === undefined) return {};
  if (!Array.isArray(raw)) return undefined;
  const details: Record<string, string> = {};
  for (let n = 0; n < raw.length; n += 1) {
    const entry: unknown = raw[n];
    if (!isObject(entry)) return undefined;
    const { key, value } = entry;
    if (typeof key !== 'string' || key.length < 1 || key.length > SHORT_TEXT) return undefined;
    let text: string;
    if (typeof value === 'string') {
      if (value.length > LONG_TEXT) return undefined;
      text = value;
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) return undefined;
      text = String(value);
    } else if (value === null) {
      text = '';
    } else {
      return undefined;
    }
    // An assignment to `__proto__` would set the prototype: `toSnaEvent`'s `fromEntries` makes it a key.
    if (key === '__proto__')
      Object.defineProperty(details, key, { value: text, enumerable: true, writable: true, configurable: true });
    else details[key] = text;
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
