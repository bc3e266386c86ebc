/**
 * What CTIA accepts on create (CTIM 1.3, api-contracts.md §4), as the simulator enforces it. Written
 * from the contract, independently of the client's types, so a client mistake shows up as a 400.
 * Objects are closed: CTIA answers `disallowed-key` to fields it does not know.
 */
import { z } from 'zod';
import { HIGH_MED_LOW, OBSERVED_RELATIONS, RESOLUTIONS, SENSORS } from './vocab.js';

/** CTIM 1.3 observable types: the project's list plus newer ones the XDR spec lists. */
export const SIM_OBSERVABLE_TYPES = [
  'ip',
  'ipv6',
  'domain',
  'hostname',
  'url',
  'sha256',
  'sha1',
  'md5',
  'email',
  'email_subject',
  'email_messageid',
  'file_name',
  'file_path',
  'mac_address',
  'user',
  'user_agent',
  'amp_computer_guid',
  'device',
  'ms_machine_id',
  'process_name',
  'mutex',
  'registry_key',
  'pki_serial',
  'odns_identity',
  'odns_identity_label',
  'orbital_node_id',
  'ngfw_id',
  'ngfw_name',
  's1_agent_id',
  'cisco_mid',
  'certificate_common_name',
  'certificate_issuer',
  'certificate_serial',
  'imei',
  'imsi',
  'swc_device_id',
  'secure_access_id',
  'crowdstrike_id',
  'process_hash',
  'process_path',
  'process_args',
  'serial_number',
] as const;

export const RELATIONSHIP_TYPES = [
  'attributed-to',
  'based-on',
  'derived-from',
  'detects',
  'duplicate-of',
  'element-of',
  'exploits',
  'indicates',
  'member-of',
  'mitigates',
  'phase-of',
  'related-to',
  'sighting-of',
  'subtechnique-of',
  'targets',
  'task-of',
  'technique-of',
  'uses',
  'variant-of',
] as const;

export const DISPOSITION_NAMES = ['Clean', 'Malicious', 'Suspicious', 'Common', 'Unknown'] as const;

const tlp = z.enum(['white', 'green', 'amber', 'red']);
const confidence = z.enum(['High', 'Medium', 'Low', 'Info', 'None', 'Unknown']);
const severity = z.enum(['Critical', 'High', 'Medium', 'Low', 'Info', 'None', 'Unknown']);
const time = z.iso.datetime({ offset: true });
const shortText = z.string().max(1024);
const observable = z.strictObject({ type: z.enum(SIM_OBSERVABLE_TYPES), value: z.string().min(1).max(4096) });
const validTime = z.strictObject({ start_time: time.optional(), end_time: time.optional() });
/** A long CTIA id, `https://host[:port]/ctia/<entity>/<entity>-<id>`. */
export const LONG_ID = /^https?:\/\/[^/\s]+\/ctia\/([a-z_]+)\/([a-z_]+-[A-Za-z0-9_-]+)$/;
const longId = z.string().regex(LONG_ID, 'not a CTIA id URI');

/** Fields every entity may carry. `id` is only read inside bundles (as a `transient:` id). */
const base = {
  id: z.string().max(1024).optional(),
  schema_version: z.string().max(32).optional(),
  tlp: tlp.optional(),
  external_ids: z.array(z.string().min(1).max(1024)).max(100).optional(),
  external_references: z.array(z.looseObject({ source_name: z.string().min(1) })).optional(),
  timestamp: time.optional(),
  source: z.string().max(2048).optional(),
  source_uri: z.string().max(2048).optional(),
  language: z.string().max(64).optional(),
  revision: z.int().min(0).optional(),
};

export const newJudgementSchema = z.strictObject({
  ...base,
  type: z.literal('judgement').optional(),
  observable,
  disposition: z.int().min(1).max(5).optional(),
  disposition_name: z.enum(DISPOSITION_NAMES).optional(),
  source: z.string().min(1).max(2048),
  priority: z.int().min(0).max(100),
  confidence,
  severity,
  reason: shortText.optional(),
  reason_uri: z.string().max(2048).optional(),
  valid_time: validTime.optional(),
});

export const newIndicatorSchema = z.strictObject({
  ...base,
  type: z.literal('indicator').optional(),
  producer: z.string().min(1).max(1024),
  title: shortText.optional(),
  short_description: z.string().max(2048).optional(),
  description: z.string().max(5000).optional(),
  indicator_type: z.array(z.string().min(1).max(256)).optional(),
  severity: severity.optional(),
  confidence: confidence.optional(),
  tags: z.array(z.string().max(256)).optional(),
  valid_time: validTime.optional(),
});

export const newFeedSchema = z.strictObject({
  ...base,
  type: z.literal('feed').optional(),
  feed_type: z.literal('indicator'),
  output: z.enum(['observables', 'judgements']).optional(),
  title: shortText.optional(),
  indicator_id: longId.optional(),
  lifetime: validTime.optional(),
});

/** Refs are long ids; inside a bundle, `transient:` refs are resolved before this check. */
export const newRelationshipSchema = z.strictObject({
  ...base,
  type: z.literal('relationship').optional(),
  relationship_type: z.enum(RELATIONSHIP_TYPES),
  source_ref: longId,
  target_ref: longId,
  short_description: z.string().max(2048).optional(),
  description: z.string().max(5000).optional(),
});

const observedTime = z.strictObject({ start_time: time, end_time: time.optional() });

/** ObservedRelation (CTIM): what the observable was seen doing, e.g. a host `Connected_To` a peer. */
const observedRelation = z.strictObject({
  origin: z.string().min(1),
  relation: z.enum(OBSERVED_RELATIONS),
  source: observable,
  related: observable,
  origin_uri: z.string().max(2048).optional(),
  relation_info: z.record(z.string(), z.unknown()).optional(),
});

/** Sighting (CTIM 1.3 `doc/structures/bundle/Sighting.md`): confidence and severity are HighMedLow (no Critical). */
export const newSightingSchema = z.strictObject({
  ...base,
  type: z.literal('sighting').optional(),
  confidence: z.enum(HIGH_MED_LOW),
  count: z.int().min(0),
  observed_time: observedTime,
  observables: z.array(observable).optional(),
  title: shortText.optional(),
  description: z.string().max(5000).optional(),
  short_description: z.string().max(2048).optional(),
  severity: z.enum(HIGH_MED_LOW).optional(),
  sensor: z.enum(SENSORS).optional(),
  internal: z.boolean().optional(),
  resolution: z.enum(RESOLUTIONS).optional(),
  relations: z.array(observedRelation).optional(),
  targets: z
    .array(
      z.strictObject({
        type: z.enum(SENSORS),
        observables: z.array(observable),
        observed_time: observedTime,
        os: z.string().optional(),
      }),
    )
    .optional(),
});

export const newIncidentSchema = z.strictObject({
  ...base,
  type: z.literal('incident').optional(),
  confidence,
  status: z.string().min(1).max(64),
  incident_time: z.strictObject({
    opened: time,
    discovered: time.optional(),
    closed: time.optional(),
    remediated: time.optional(),
    rejected: time.optional(),
  }),
  title: shortText.optional(),
  description: z.string().max(5000).optional(),
  short_description: z.string().max(2048).optional(),
  severity: severity.optional(),
  categories: z.array(z.string()).optional(),
  discovery_method: z.string().optional(),
  assignees: z.array(z.string()).optional(),
});
