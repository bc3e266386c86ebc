/**
 * Plain data the card builders render. Cards import nothing else of ours:
 * the bot maps its records onto these shapes.
 */

/** Adaptive Card JSON as sent to Webex (version 1.3). Kept loose on purpose: builders are tested against the real schema. */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: '1.3';
  body: CardElement[];
  actions?: CardAction[];
  fallbackText?: string;
}

export type CardElement = { type: string; [key: string]: unknown };
export type CardAction = {
  type: 'Action.Submit' | 'Action.OpenUrl' | 'Action.ShowCard';
  title: string;
  [key: string]: unknown;
};

/** What every card builder returns: the card and the markdown shown by clients without cards. */
export interface RenderedCard {
  card: AdaptiveCard;
  fallbackText: string;
}

/** Data every `Action.Submit` carries; `v` lets old cards be recognised after the format changes. */
export interface SubmitData {
  action: string;
  v: number;
  incidentId: string;
  [key: string]: string | number;
}

export const CARD_DATA_VERSION = 1;

/** Webex shows at most five buttons (actions) on one card. */
export const MAX_CARD_ACTIONS = 5;

/** Webex limit for a message's `text` and `markdown`, in UTF-8 bytes (not JS string length). */
export const MAX_MARKDOWN_BYTES = 7439;

/** Budget for one card's JSON in UTF-8 bytes; Webex documents no limit, so this is conservative. */
export const MAX_CARD_JSON_BYTES = 20_000;

export type Severity = 'low' | 'medium' | 'high' | 'critical';

export interface PersonRef {
  name: string;
  email?: string | undefined;
}

export interface HostView {
  ip: string;
  /** Host-group names SNA reported for this side of the event. */
  hostGroups: string[];
  port?: number | undefined;
  protocol?: string | undefined;
}

/** Everything the alert card shows about one incident. Times are ISO-8601 strings in UTC. */
export interface AlertCardInput {
  incidentId: string;
  eventTypeId: number;
  eventName: string;
  /** SNA points ("concern index") of the strongest event, when SNA reported them. */
  points?: number | undefined;
  severity: Severity;
  host: HostView;
  /** The other side of the strongest event; absent for events without a target. */
  peer?: HostView | undefined;
  /** Further peers seen in the incident (besides `peer`), for the "and N more" line. */
  otherPeers: number;
  firstActive: string;
  lastActive: string;
  /** Distinct SNA security events grouped into this incident. */
  eventCount: number;
  /** Sum of the events' hit counts. */
  hitCount: number;
  /** Link to the host in the SMC web UI. */
  smcUrl?: string | undefined;
  state: 'open' | 'acked' | 'resolved';
  ackedBy?: PersonRef | undefined;
  ackedAt?: string | undefined;
  /** Verbs the bot allows right now, shown as buttons in a fixed priority order (at most five buttons). */
  actions: AlertActionVerb[];
  /** Blocking the peer on an XDR blocking feed: waiting for a second responder, in force, or lifted. */
  block?: BlockStatus | undefined;
  /** Tagging the inside host into an SMC host group, or removing it again. */
  tag?: TagStatus | undefined;
  assignee?: PersonRef | undefined;
  resolved?: { by: PersonRef; at: string; note?: string | undefined } | undefined;
  snoozedUntil?: string | undefined;
  /** The XDR incident this one was escalated to; `url` is linked when it is http(s). */
  escalation?: { id: string; url?: string | undefined } | undefined;
  /** Auto-enrichment of the peer: overall verdict and a short summary. */
  peerVerdict?: { disposition: Disposition; summary: string } | undefined;
  /** Named in a digest before it got this card: when, and what brought it a card of its own. */
  fromDigest?: { listedAt: string; why: string[] } | undefined;
  /** The host's busiest peers by bytes from SMC flows (flow context), busiest first. */
  topTalkers?: TopTalker[] | undefined;
}

/** Card buttons the bot implements; the card shows them in the order of `ALERT_ACTION_PRIORITY`. */
export type AlertActionVerb = 'ack' | 'block' | 'unblock' | 'approve-block' | 'tag' | 'untag' | 'enrich' | 'escalate';

export type BlockStatus =
  | { state: 'pending'; observable: string; requestedBy: PersonRef; requestedAt: string; expiresAt: string }
  | {
      state: 'blocked';
      observable: string;
      by: PersonRef;
      at: string;
      until: string;
      approvedBy?: PersonRef | undefined;
    }
  | { state: 'unblocked'; observable: string; by: PersonRef; at: string }
  /** A two-person request nobody approved in time. */
  | { state: 'expired'; observable: string; requestedBy: PersonRef; expiredAt: string };

export type TagStatus =
  | { state: 'tagged'; hostGroup: string; by: PersonRef; at: string }
  | { state: 'untagged'; hostGroup: string; by: PersonRef; at: string };

/** Overall or per-source verdict about an observable. */
export type Disposition = 'malicious' | 'suspicious' | 'clean' | 'unknown';

/** The enrichment answer for one observable (`/enrich` or an alert's Enrich button). Times are ISO-8601 UTC. */
export interface VerdictCardInput {
  observable: { type: string; value: string };
  overall: Disposition;
  /** One entry per source asked (XDR, Umbrella, Secure Endpoint, SNA, VirusTotal), in display order. */
  sources: VerdictSource[];
  /** Links to the observable in the sources' own consoles; only http(s) URLs are shown. */
  pivots: Array<{ title: string; url: string }>;
  /** When every answer came from cache. */
  cachedAt?: string | undefined;
  generatedAt: string;
  /** Set when the card answers an alert's Enrich button; enables an action row for that incident. */
  incidentId?: string | undefined;
  /** Verbs offered for `incidentId`, e.g. `['block']` when the operator may block it from here. */
  actions?: AlertActionVerb[] | undefined;
}

export interface VerdictSource {
  name: string;
  status: 'ok' | 'partial' | 'unavailable' | 'not-applicable';
  verdict?: Disposition | undefined;
  /** Key facts; the card shows the first four. */
  facts: Array<{ title: string; value: string }>;
  /** Why the source is unavailable or partial, or any short remark. */
  note?: string | undefined;
}

/** One incident a digest names: host · peer · points, listed under its event type (and host group). */
export interface DigestRow {
  incidentId: string;
  host: string;
  /** The host's first host group as SNA reported it; rows are grouped by it where that helps. */
  hostGroup?: string | undefined;
  eventName: string;
  severity: Severity;
  /** SNA points of the strongest event, when SNA reported them. */
  points?: number | undefined;
  /** The leading peer's address; absent for events without a target. */
  peer?: string | undefined;
  /** Peers seen besides `peer`. */
  otherPeers?: number | undefined;
  eventCount: number;
}

/**
 * Many new incidents from one poll, named in one digest card instead of one card each; the rows
 * that do not fit the card go to a list threaded under it, page by page.
 */
export interface DigestCardInput {
  /** Every new incident of the poll: the digest names them all. */
  incidents: DigestRow[];
  window: { from: string; to: string };
  generatedAt: string;
}

/** A digest card or one page of its list, and the incidents it names (the ones its buttons act on). */
export interface DigestMessage extends RenderedCard {
  /** Ids of the incidents this message names, in the order shown. */
  incidentIds: string[];
}

/** The `/incidents` answer: one compact row per incident, in the given order. */
export interface IncidentListInput {
  title: string;
  incidents: IncidentListItem[];
  /** Incidents matching the query; may exceed `incidents.length`. */
  total: number;
  generatedAt: string;
}

export interface IncidentListItem {
  incidentId: string;
  host: string;
  eventName: string;
  severity: Severity;
  state: 'open' | 'acked' | 'resolved';
  /** Display name of the assignee. */
  assignee?: string | undefined;
  lastActive: string;
  snoozedUntil?: string | undefined;
}

/** One peer row of the `/flows` answer: a peer and service of the host, bytes each way. Times ISO-8601 UTC. */
export interface FlowPeerRow {
  peer: string;
  /** Host-group names of the peer, or its country when the SMC names no group. */
  where: string;
  port?: number | undefined;
  protocol?: string | undefined;
  /** Bytes the host sent to the peer, and received from it. */
  sent: number;
  received: number;
  firstSeen: string;
  lastSeen: string;
}

/** The `/flows <ip>` answer: the host's top peers by bytes within a window. */
export interface FlowsCardInput {
  ip: string;
  window: { from: string; to: string };
  /** Busiest first; the card shows at most ten. */
  peers: FlowPeerRow[];
  totals: { flows: number; peers: number; sent: number; received: number };
  /** The SMC returned as many records as asked for: there may be more. */
  capped: boolean;
  generatedAt: string;
}

/** A peer on the alert card's "Top talkers" line. */
export interface TopTalker {
  ip: string;
  port?: number | undefined;
  protocol?: string | undefined;
  /** Both directions. */
  bytes: number;
}
