/**
 * CTIM vocabulary (api-contracts.md §4): observable types, enums, and the bodies of the entities we
 * create. Field names stay CTIM's (snake_case) so what we build is what goes on the wire.
 */

/**
 * Observable types the project uses (CTIM 1.3, api-contracts.md §4.8). CTIM knows more; the server
 * validates, but we refuse unknown types before sending anything.
 */
export const OBSERVABLE_TYPES = [
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
] as const;

/** An observable type we accept on input. */
export type ObservableType = (typeof OBSERVABLE_TYPES)[number];

const OBSERVABLE_TYPE_SET: ReadonlySet<string> = new Set(OBSERVABLE_TYPES);

/** Whether `type` is one of {@link OBSERVABLE_TYPES}. */
export function isObservableType(type: string): type is ObservableType {
  return OBSERVABLE_TYPE_SET.has(type);
}

/** An observable we send. */
export interface Observable {
  type: ObservableType;
  value: string;
}

/** An observable as a server returned it: its type may be one we do not know. */
export interface WireObservable {
  type: string;
  value: string;
}

export type Tlp = 'white' | 'green' | 'amber' | 'red';
export type Confidence = 'High' | 'Medium' | 'Low' | 'Info' | 'None' | 'Unknown';
/** `Critical` exists from CTIM 1.3 on. */
export type Severity = Confidence | 'Critical';

/** Verdict dispositions: 1 Clean, 2 Malicious, 3 Suspicious, 4 Common, 5 Unknown. */
export type Disposition = 1 | 2 | 3 | 4 | 5;
export type DispositionName = 'Clean' | 'Malicious' | 'Suspicious' | 'Common' | 'Unknown';

/** The name CTIM pairs with each disposition number. */
export const DISPOSITION_NAMES: Readonly<Record<Disposition, DispositionName>> = Object.freeze({
  1: 'Clean',
  2: 'Malicious',
  3: 'Suspicious',
  4: 'Common',
  5: 'Unknown',
});

/** ISO-8601 times; on create, `start_time` defaults to now and `end_time` to 2525-01-01. */
export interface ValidTime {
  start_time?: string;
  end_time?: string;
}

export interface ExternalReference {
  source_name: string;
  url?: string;
  description?: string;
  external_id?: string;
  hashes?: string[];
}

/** Fields every CTIM entity we create may carry. */
interface NewEntityBase {
  /** Ignored by CTIA on create except `transient:` ids inside a bundle. */
  id?: string;
  schema_version?: string;
  tlp?: Tlp;
  external_ids?: string[];
  external_references?: ExternalReference[];
  timestamp?: string;
  source?: string;
  source_uri?: string;
  language?: string;
  revision?: number;
}

/**
 * A judgement to create. When only one of `disposition`/`disposition_name` is given CTIA derives
 * the other; when neither is, it stores 5/Unknown; a mismatch is a 400.
 */
export interface NewJudgement extends NewEntityBase {
  type?: 'judgement';
  observable: Observable;
  disposition?: Disposition;
  disposition_name?: DispositionName;
  /** At most 2048 characters. */
  source: string;
  /** 0–100: human 100, curated lists 95, automation 90 or less. */
  priority: number;
  confidence: Confidence;
  severity: Severity;
  /** At most 1024 characters. */
  reason?: string;
  reason_uri?: string;
  valid_time?: ValidTime;
}

/** Indicator types CTIM lists for observable lists and feeds. */
export type IndicatorType =
  | 'IP Watchlist'
  | 'Domain Watchlist'
  | 'URL Watchlist'
  | 'File Hash Watchlist'
  | 'Private Threat Feed'
  | (string & Record<never, never>);

/** An indicator to create; CTIA requires only `producer`. */
export interface NewIndicator extends NewEntityBase {
  type?: 'indicator';
  producer: string;
  title?: string;
  short_description?: string;
  description?: string;
  indicator_type?: IndicatorType[];
  severity?: Severity;
  confidence?: Confidence;
  tags?: string[];
  valid_time?: ValidTime;
}

/** A feed to create. CTIA generates `secret` and `feed_view_url`. */
export interface NewFeed extends NewEntityBase {
  type?: 'feed';
  feed_type: 'indicator';
  /** Default `observables` (a `view.txt` list); `judgements` serves JSON at `view`. */
  output?: 'observables' | 'judgements';
  title?: string;
  /** The long id of the indicator whose `element-of` judgements the feed lists. */
  indicator_id?: string;
  /** The feed answers 404 outside it. */
  lifetime?: ValidTime;
}

/** The CTIM relationship types (api-contracts.md §4.5). */
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

export type RelationshipType = (typeof RELATIONSHIP_TYPES)[number];

/** A relationship to create; refs are long ids (or `transient:` ids inside a bundle). */
export interface NewRelationship extends NewEntityBase {
  type?: 'relationship';
  relationship_type: RelationshipType;
  source_ref: string;
  target_ref: string;
  short_description?: string;
  description?: string;
}

/** A sighting target: the device where the observables were seen. */
export interface SightingTarget {
  type: string;
  observables: Observable[];
  observed_time: ValidTime & { start_time: string };
  os?: string;
}

/** A sighting to create. */
export interface NewSighting extends NewEntityBase {
  type?: 'sighting';
  confidence: Confidence;
  count: number;
  observed_time: ValidTime & { start_time: string };
  observables?: Observable[];
  title?: string;
  description?: string;
  short_description?: string;
  severity?: Severity;
  sensor?: string;
  targets?: SightingTarget[];
  internal?: boolean;
}

/** Incident statuses (CTIM); the list is open-ended on newer servers. */
export type IncidentStatus =
  | 'New'
  | 'Open'
  | 'Open: Investigating'
  | 'Open: Contained'
  | 'Closed: Confirmed Threat'
  | 'Closed: False Positive'
  | 'Containment Achieved'
  | 'Hold'
  | (string & Record<never, never>);

/** An incident to create. */
export interface NewIncident extends NewEntityBase {
  type?: 'incident';
  confidence: Confidence;
  status: IncidentStatus;
  incident_time: { opened: string; discovered?: string; closed?: string; remediated?: string };
  title?: string;
  description?: string;
  short_description?: string;
  severity?: Severity;
  categories?: string[];
  discovery_method?: string;
  assignees?: string[];
}

/** A CTIM bundle for `POST /ctia/bundle/import`; entities may reference each other by `transient:` ids. */
export interface CtimBundle {
  type: 'bundle';
  source: string;
  source_uri?: string;
  judgements?: NewJudgement[];
  indicators?: NewIndicator[];
  relationships?: NewRelationship[];
  sightings?: NewSighting[];
  incidents?: NewIncident[];
}
