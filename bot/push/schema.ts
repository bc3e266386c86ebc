/**
 * What `POST /sna/alarms` accepts: the JSON an SNA Response Management webhook action sends
 * with the template in the README (flat fields), or security-event records exactly as the
 * SMC's own API returns them. One object, an array, or `{ "events": [...] }`.
 */
import { z } from 'zod';
import type { IncidentEvent } from '../incidents/store.js';
import { canonicalIp } from '../observables/ip.js';

const ip = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const address = canonicalIp(v);
    if (!address) {
      ctx.addIssue({ code: 'custom', message: 'must be an IP address' });
      return z.NEVER;
    }
    return address.value;
  });
const count = z.coerce.number().int().min(0).max(1e9);
/** SMC times look like `2021-02-04T13:20:38.000+0000`; `Date.parse` takes both forms once the offset has a colon. */
const time = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const ms = Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: 'custom', message: 'must be a date-time like 2024-06-18T10:00:00.000+0000' });
      return z.NEVER;
    }
    return new Date(ms).toISOString();
  });
const groups = z.array(z.string().max(256)).max(50).default([]);

/** The flat form our documented SNA template produces. */
const flatAlarm = z.object({
  id: count,
  typeId: count,
  typeName: z.string().max(200).optional(),
  sourceIp: ip,
  sourceHostGroups: groups,
  targetIp: ip.optional(),
  targetPort: z.coerce.number().int().min(0).max(65535).optional(),
  protocol: z.string().max(16).optional(),
  targetHostGroups: groups,
  points: count.optional(),
  hitCount: count.default(1),
  firstActive: time,
  lastActive: time.optional(),
  tenantId: count.optional(),
});

const endpoint = z.object({
  ipAddress: ip,
  port: z.coerce.number().int().min(0).max(65535).optional(),
  protocol: z.string().max(16).optional(),
  tags: z
    .array(z.object({ name: z.string().max(256) }))
    .max(50)
    .default([]),
});

/** A record as in `GET …/security-events/results/{id}`. */
const smcRecord = z.object({
  id: count,
  domainId: count.optional(),
  securityEventType: count,
  firstActiveTime: time,
  lastActiveTime: time.optional(),
  source: endpoint,
  target: endpoint.nullish(),
  details: z
    .array(z.object({ key: z.string(), value: z.union([z.string(), z.number()]).nullish() }))
    .max(200)
    .default([]),
  hitCount: count.default(1),
});

const one = z.union([flatAlarm, smcRecord]);
export const pushBodySchema = z.union([
  one,
  z.array(one).min(1).max(1000),
  z.object({ events: z.array(one).min(1).max(1000) }),
]);

export interface PushedEvent extends IncidentEvent {
  typeName?: string | undefined;
  tenantId?: number | undefined;
}

export function toEvents(body: z.output<typeof pushBodySchema>): PushedEvent[] {
  const list = Array.isArray(body) ? body : 'events' in body ? body.events : [body];
  return list.map((item) =>
    'sourceIp' in item
      ? {
          id: item.id,
          typeId: item.typeId,
          typeName: item.typeName,
          tenantId: item.tenantId,
          firstActive: item.firstActive,
          lastActive: item.lastActive ?? item.firstActive,
          source: { ip: item.sourceIp, hostGroups: item.sourceHostGroups.map((name) => ({ name })) },
          target: item.targetIp
            ? {
                ip: item.targetIp,
                port: item.targetPort,
                protocol: item.protocol,
                hostGroups: item.targetHostGroups.map((name) => ({ name })),
              }
            : undefined,
          hitCount: item.hitCount,
          points: item.points,
        }
      : {
          id: item.id,
          typeId: item.securityEventType,
          tenantId: item.domainId,
          firstActive: item.firstActiveTime,
          lastActive: item.lastActiveTime ?? item.firstActiveTime,
          source: {
            ip: item.source.ipAddress,
            port: item.source.port,
            protocol: item.source.protocol,
            hostGroups: item.source.tags,
          },
          target: item.target
            ? {
                ip: item.target.ipAddress,
                port: item.target.port,
                protocol: item.target.protocol,
                hostGroups: item.target.tags,
              }
            : undefined,
          hitCount: item.hitCount,
          points: pointsOf(item.details),
        },
  );
}

function pointsOf(details: Array<{ key: string; value?: string | number | null | undefined }>): number | undefined {
  const raw = details.find((d) => d.key === 'points')?.value;
  const n = Number(raw);
  return raw !== undefined && raw !== null && raw !== '' && Number.isFinite(n) ? n : undefined;
}
