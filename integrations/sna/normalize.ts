/** Turns validated SMC records into the bot's {@link SnaEvent}s. */
import type { EventEndpointRecord, SecurityEventRecord } from './schemas.js';
import type { SnaEndpoint, SnaEvent } from './types.js';

const NUMERIC = /^-?\d+(?:\.\d+)?$/;

/** Maps one validated security-event record to an {@link SnaEvent}. */
export function toSnaEvent(record: SecurityEventRecord): SnaEvent {
  // fromEntries defines own properties, so a `__proto__` key stays data instead of a prototype.
  const details: Record<string, string> = Object.fromEntries(record.details.map((d) => [d.key, d.value]));
  const points = details.points;
  const event: SnaEvent = {
    id: record.id,
    typeId: record.securityEventType,
    firstActive: record.firstActiveTime,
    lastActive: record.lastActiveTime,
    source: toEndpoint(record.source),
    ...(record.target ? { target: toEndpoint(record.target) } : {}),
    hitCount: record.hitCount,
    details,
  };
  if (points !== undefined && NUMERIC.test(points.trim())) event.points = Number(points);
  return event;
}

function toEndpoint(record: EventEndpointRecord): SnaEndpoint {
  const endpoint: SnaEndpoint = {
    ip: record.ipAddress,
    hostGroups: record.tags.map((tag) => ({ id: tag.id, name: tag.name })),
  };
  if (record.port !== null && record.port !== undefined) endpoint.port = record.port;
  if (record.protocol) endpoint.protocol = record.protocol;
  return endpoint;
}
