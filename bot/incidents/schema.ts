/**
 * The incident record as state keeps it, validated on every read (`bot/state/repository.ts`).
 * Version 2 dropped the in-record `v: 1` that nothing read (the repository stores the version).
 */
import { z } from 'zod';
import type { ActorRecord, BlockState, DigestMark, Incident, PeerRecord } from './types.js';

export const actorSchema: z.ZodType<ActorRecord> = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().optional(),
});

const severitySchema = z.enum(['low', 'medium', 'high', 'critical']);

const peerSchema: z.ZodType<PeerRecord> = z.object({
  ip: z.string(),
  port: z.number().optional(),
  protocol: z.string().optional(),
  hostGroups: z.array(z.string()),
});

const digestMarkSchema: z.ZodType<DigestMark> = z.object({
  id: z.string(),
  at: z.string(),
  eventCount: z.number(),
  peerCount: z.number(),
  severity: severitySchema,
  promoted: z.object({ at: z.string(), why: z.array(z.string()) }).optional(),
});

const blockStateSchema: z.ZodType<BlockState> = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('pending'),
    observable: z.string(),
    requestId: z.string(),
    requestedBy: actorSchema,
    requestedAt: z.string(),
    expiresAt: z.string(),
  }),
  z.object({
    state: z.literal('blocked'),
    observable: z.string(),
    by: actorSchema,
    at: z.string(),
    until: z.string(),
    approvedBy: actorSchema.optional(),
  }),
  z.object({ state: z.literal('unblocked'), observable: z.string(), by: actorSchema, at: z.string() }),
  z.object({ state: z.literal('expired'), observable: z.string(), requestedBy: actorSchema, expiredAt: z.string() }),
]);

export const INCIDENT_VERSION = 2;

export const incidentSchema: z.ZodType<Incident> = z.object({
  id: z.string(),
  key: z.string(),
  hostIp: z.string(),
  hostGroups: z.array(z.string()),
  typeId: z.number(),
  eventName: z.string(),
  peers: z.array(peerSchema),
  peerCount: z.number(),
  points: z.number().optional(),
  firstActive: z.string(),
  lastActive: z.string(),
  events: z.record(z.string(), z.object({ hitCount: z.number(), lastActive: z.string() })),
  eventCount: z.number(),
  hitCount: z.number(),
  state: z.enum(['open', 'acked', 'resolved']),
  ack: z.object({ by: actorSchema, at: z.string() }).optional(),
  assignee: z.object({ name: z.string(), email: z.string().optional(), by: actorSchema, at: z.string() }).optional(),
  resolved: z.object({ by: actorSchema, at: z.string(), note: z.string().optional() }).optional(),
  snoozedUntil: z.string().optional(),
  escalation: z.object({ id: z.string(), url: z.string().optional(), at: z.string(), by: actorSchema }).optional(),
  peerVerdict: z
    .object({
      ip: z.string().optional(),
      disposition: z.enum(['malicious', 'suspicious', 'clean', 'unknown']),
      summary: z.string(),
    })
    .optional(),
  topTalkers: z
    .object({
      at: z.string(),
      peers: z.array(
        z.object({ ip: z.string(), port: z.number().optional(), protocol: z.string().optional(), bytes: z.number() }),
      ),
    })
    .optional(),
  digested: z.boolean().optional(),
  digest: digestMarkSchema.optional(),
  cardRequested: z.object({ by: actorSchema, at: z.string() }).optional(),
  block: blockStateSchema.optional(),
  tag: z
    .object({ state: z.enum(['tagged', 'untagged']), hostGroup: z.string(), by: actorSchema, at: z.string() })
    .optional(),
  card: z.object({ messageId: z.string(), postedAt: z.string(), updatedAt: z.string(), edits: z.number() }).optional(),
  previousCards: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
