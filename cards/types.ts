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
  state: 'open' | 'acked';
  ackedBy?: PersonRef | undefined;
  ackedAt?: string | undefined;
  /** Verbs whose buttons are shown; only verbs the bot implements are ever listed. */
  actions: AlertActionVerb[];
}

export type AlertActionVerb = 'ack';
