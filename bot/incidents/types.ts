/** The incident record kept in state: one per (inside host, event type) within a window. */
import type { Severity } from '../../cards/types.js';

export interface PeerRecord {
  ip: string;
  port?: number | undefined;
  protocol?: string | undefined;
  hostGroups: string[];
}

export interface ActorRecord {
  id: string;
  name: string;
  email?: string | undefined;
}

export interface Incident {
  id: string;
  /** `<host ip>|<event type id>`: what groups events together. */
  key: string;
  hostIp: string;
  hostGroups: string[];
  typeId: number;
  eventName: string;
  /** Peers seen, strongest first, capped. */
  peers: PeerRecord[];
  peerCount: number;
  points?: number | undefined;
  firstActive: string;
  lastActive: string;
  /** Per SNA event id: the last hit count and activity time seen. */
  events: Record<string, { hitCount: number; lastActive: string }>;
  eventCount: number;
  hitCount: number;
  state: 'open' | 'acked' | 'resolved';
  ack?: { by: ActorRecord; at: string } | undefined;
  assignee?: { name: string; email?: string | undefined; by: ActorRecord; at: string } | undefined;
  resolved?: { by: ActorRecord; at: string; note?: string | undefined } | undefined;
  /** No card posts or updates for this incident until then (the snooze itself is shown once). */
  snoozedUntil?: string | undefined;
  escalation?: { id: string; url?: string | undefined; at: string; by: ActorRecord } | undefined;
  /** Auto-enrichment of the leading peer (`ip`); stale once another peer leads. */
  peerVerdict?:
    | { ip?: string | undefined; disposition: 'malicious' | 'suspicious' | 'clean' | 'unknown'; summary: string }
    | undefined;
  /** The host's busiest peers from SMC flows (flow context, `bot/flows/context.ts`), busiest first. */
  topTalkers?:
    | {
        at: string;
        peers: Array<{ ip: string; port?: number | undefined; protocol?: string | undefined; bytes: number }>;
      }
    | undefined;
  /**
   * True while a digest card is this incident's only report (no card of its own is wanted yet);
   * cleared when it gets one: new activity, or an operator asking for it.
   */
  digested?: boolean | undefined;
  /** The digest that named it, and what the digest showed: new activity is measured against this. */
  digest?: DigestMark | undefined;
  /** An operator asked for its own card (a digest's Open card, `/incident`): posted even while snoozed. */
  cardRequested?: { by: ActorRecord; at: string } | undefined;
  block?: BlockState | undefined;
  tag?: { state: 'tagged' | 'untagged'; hostGroup: string; by: ActorRecord; at: string } | undefined;
  /** The Webex message that shows this incident, once posted. */
  card?: { messageId: string; postedAt: string; updatedAt: string; edits: number } | undefined;
  /** Earlier card message ids (after a card was replaced), so presses on them still resolve. */
  previousCards: string[];
  createdAt: string;
  updatedAt: string;
}

/** What a digest showed of an incident, and when (and why) the incident got a card of its own after it. */
export interface DigestMark {
  /** The digest record's id (`bot/incidents/digests.ts`). */
  id: string;
  at: string;
  eventCount: number;
  peerCount: number;
  severity: Severity;
  /** Set once it got (or is getting) its own card: when, and the changes (or request) that led to it. */
  promoted?: { at: string; why: string[] } | undefined;
}

export type BlockState =
  | {
      state: 'pending';
      observable: string;
      requestId: string;
      requestedBy: ActorRecord;
      requestedAt: string;
      expiresAt: string;
    }
  | {
      state: 'blocked';
      observable: string;
      by: ActorRecord;
      at: string;
      until: string;
      approvedBy?: ActorRecord | undefined;
    }
  | { state: 'unblocked'; observable: string; by: ActorRecord; at: string }
  | { state: 'expired'; observable: string; requestedBy: ActorRecord; expiredAt: string };

export type IngestOutcome = 'new' | 'updated' | 'unchanged';
