/**
 * The alert card: one Adaptive Card per incident (inside host × event type), laid out for phones.
 * Under the facts, a status section says in one short line each what responders did: acknowledged,
 * assigned, snoozed, blocked, tagged, escalated, resolved.
 */
import {
  adaptiveCard,
  capActions,
  DISPOSITION_STYLE,
  linkUrl,
  SEVERITY_COLOR,
  severityLabel,
  submitActions,
} from './common.js';
import type { TextColor } from './common.js';
import {
  cleanText,
  isBlank,
  formatCount,
  formatNameList,
  formatNumber,
  formatUtc,
  formatUtcAfter,
  httpUrl,
  truncateUtf8,
  userText,
} from './format.js';
import { topTalkersText } from './flows.js';
import type { AlertCardInput, CardAction, CardElement, HostView, PersonRef, RenderedCard } from './types.js';
import { MAX_MARKDOWN_BYTES } from './types.js';

/** Code-point limits for text from outside systems, before escaping. */
const LIMITS = {
  eventName: 80,
  ip: 45,
  endpoint: 64,
  hostGroup: 40,
  hostGroupsShown: 3,
  personName: 64,
  incidentId: 100,
  observable: 64,
  note: 200,
  verdictSummary: 160,
  escalationId: 64,
  digestReason: 80,
  digestReasons: 4,
} as const;

/** One line of text with its look; used for the status section and the peer verdict. */
interface StyledLine {
  text: string;
  color?: TextColor | undefined;
  subtle?: boolean | undefined;
}

/** Everything the card and the fallback show, already cleaned, truncated and escaped. */
interface AlertView {
  header: string;
  severityColor: TextColor;
  hostIp: string;
  hostGroups: string;
  peer: string | undefined;
  peerGroups: string;
  morePeers: string;
  points: string | undefined;
  firstActive: string;
  lastActive: string;
  activity: string;
  peerVerdict: StyledLine | undefined;
  /** "203.0.113.45:443/tcp 4.2 MB · …" from SMC flows, or "" before the flow context arrives. */
  topTalkers: string;
  incidentId: string;
  /** The state first ("Open", "Acknowledged by …", "✅ Resolved by …"), then what responders did. */
  status: [StyledLine, ...StyledLine[]];
}

/**
 * Renders the alert card for one incident, plus the Markdown fallback for clients without cards.
 * Pure: the same input always gives equal, freshly built output. Text from outside systems is
 * escaped and truncated, the card never has more than five actions, and the fallback always fits
 * Webex's 7439-byte limit.
 */
export function alertCard(input: AlertCardInput): RenderedCard {
  const view = alertView(input);
  const card = adaptiveCard(alertBody(view), alertActions(input));
  return { card, fallbackText: alertFallback(view, httpUrl(input.smcUrl)) };
}

function alertView(input: AlertCardInput): AlertView {
  const eventName = isBlank(input.eventName) ? `Event ${input.eventTypeId}` : input.eventName;
  return {
    header: `${severityLabel(input.severity)} · ${userText(eventName, LIMITS.eventName)}`,
    severityColor: SEVERITY_COLOR[input.severity],
    hostIp: userText(input.host.ip, LIMITS.ip) || 'unknown host',
    hostGroups: hostGroupList(input.host),
    peer: input.peer === undefined ? undefined : userText(endpoint(input.peer), LIMITS.endpoint),
    peerGroups: input.peer === undefined ? '' : hostGroupList(input.peer),
    morePeers: morePeers(input),
    points: input.points === undefined ? undefined : formatNumber(input.points),
    firstActive: formatUtc(input.firstActive),
    lastActive: formatUtc(input.lastActive),
    activity: `${formatCount(input.eventCount, 'event')} · ${formatCount(input.hitCount, 'hit')}`,
    peerVerdict: peerVerdictLine(input),
    topTalkers: input.topTalkers === undefined ? '' : topTalkersText(input.topTalkers),
    incidentId: userText(input.incidentId, LIMITS.incidentId),
    status: [stateLine(input), ...responseLines(input)],
  };
}

function hostGroupList(host: HostView): string {
  return formatNameList(host.hostGroups, { maxItems: LIMITS.hostGroupsShown, maxItemCodePoints: LIMITS.hostGroup });
}

/** "ip:port/protocol"; IPv6 addresses are bracketed, and SNA's port 0 ("no port") is left out. */
function endpoint(host: HostView): string {
  const ip = cleanText(host.ip);
  const port = host.port !== undefined && host.port > 0 ? `:${host.port}` : '';
  const address = port !== '' && ip.includes(':') ? `[${ip}]` : ip;
  const protocol = host.protocol === undefined || isBlank(host.protocol) ? '' : `/${cleanText(host.protocol)}`;
  return `${address}${port}${protocol}`;
}

function morePeers(input: AlertCardInput): string {
  if (!(input.otherPeers > 0)) return '';
  return input.peer === undefined
    ? formatCount(input.otherPeers, 'peer')
    : `+${formatNumber(input.otherPeers)} more ${input.otherPeers === 1 ? 'peer' : 'peers'}`;
}

/** " by Jane Doe", or "" when nobody or a blank name is given. */
function byPerson(person: PersonRef | undefined): string {
  const name = person === undefined ? '' : userText(person.name, LIMITS.personName);
  return name === '' ? '' : ` by ${name}`;
}

/** " · 23 Nov 14:07 UTC", or "" when no time is given. */
function atTime(timestamp: string | undefined): string {
  return timestamp === undefined ? '' : ` · ${formatUtc(timestamp, 'short')}`;
}

/** "Open", "Acknowledged by Jane Doe · 23 Nov 14:07 UTC", "✅ Resolved by … · … — note". */
function stateLine(input: AlertCardInput): StyledLine {
  switch (input.state) {
    case 'open':
      return { text: 'Open' };
    case 'acked':
      return { text: `Acknowledged${byPerson(input.ackedBy)}${atTime(input.ackedAt)}`, color: 'Good' };
    case 'resolved': {
      const note = input.resolved?.note === undefined ? '' : userText(input.resolved.note, LIMITS.note);
      const by = `${byPerson(input.resolved?.by)}${atTime(input.resolved?.at)}`;
      return { text: `✅ Resolved${by}${note === '' ? '' : ` — ${note}`}`, color: 'Good' };
    }
  }
}

/** Where the card came from, assignment, snooze, block, tag and escalation, in that order; absent ones are left out. */
function responseLines(input: AlertCardInput): StyledLine[] {
  const assignee = input.assignee === undefined ? '' : userText(input.assignee.name, LIMITS.personName);
  const snoozed = input.snoozedUntil === undefined ? '' : formatUtc(input.snoozedUntil, 'short');
  return [
    digestLine(input),
    assignee === '' ? undefined : { text: `👤 Assigned to ${assignee}` },
    snoozed === '' ? undefined : { text: `💤 Snoozed until ${snoozed}` },
    blockLine(input),
    tagLine(input),
    escalationLine(input),
  ].filter((line) => line !== undefined);
}

/** "📋 Listed in the digest of 23 Nov 14:05 UTC · own card for 2 new events, 1 new peer" */
function digestLine({ fromDigest }: AlertCardInput): StyledLine | undefined {
  if (fromDigest === undefined) return undefined;
  const why = fromDigest.why
    .slice(0, LIMITS.digestReasons)
    .map((reason) => userText(reason, LIMITS.digestReason))
    .filter((reason) => reason !== '')
    .join(', ');
  const listed = `📋 Listed in the digest of ${formatUtc(fromDigest.listedAt, 'short')}`;
  return { text: why === '' ? listed : `${listed} · own card for ${why}`, subtle: true };
}

function blockLine({ block }: AlertCardInput): StyledLine | undefined {
  if (block === undefined) return undefined;
  const observable = userText(block.observable, LIMITS.observable) || 'the peer';
  switch (block.state) {
    case 'pending': {
      const deadline = formatUtcAfter(block.requestedAt, block.expiresAt);
      const requested = `⏳ Block of ${observable} requested${byPerson(block.requestedBy)}`;
      return { text: `${requested} · needs a second responder by ${deadline}`, color: 'Warning' };
    }
    case 'blocked': {
      const approved = byPerson(block.approvedBy);
      const until = ` · until ${formatUtc(block.until, 'short')}`;
      const text = `⛔ Blocked ${observable}${byPerson(block.by)}${atTime(block.at)}${until}`;
      return { text: approved === '' ? text : `${text} · approved${approved}`, color: 'Attention' };
    }
    case 'unblocked':
      return { text: `Unblocked ${observable}${byPerson(block.by)}${atTime(block.at)}`, subtle: true };
    case 'expired':
      return {
        text: `Block request for ${observable}${byPerson(block.requestedBy)} expired at ${formatUtc(block.expiredAt, 'short')} unapproved`,
        subtle: true,
      };
  }
}

function tagLine({ tag }: AlertCardInput): StyledLine | undefined {
  if (tag === undefined) return undefined;
  const group = userText(tag.hostGroup, LIMITS.hostGroup) || 'a host group';
  const by = `${byPerson(tag.by)}${atTime(tag.at)}`;
  return tag.state === 'tagged'
    ? { text: `🏷 Tagged in ${group}${by}` }
    : { text: `Removed from ${group}${by}`, subtle: true };
}

/** "⬆ Escalated to XDR incident [id](url)", linked only when the URL is http(s). */
function escalationLine({ escalation }: AlertCardInput): StyledLine | undefined {
  if (escalation === undefined) return undefined;
  const id = userText(escalation.id, LIMITS.escalationId) || 'incident';
  const url = linkUrl(escalation.url);
  return { text: `⬆ Escalated to XDR incident ${url === undefined ? id : `[${id}](${url})`}` };
}

/** "🔴 Peer verdict: Malicious — summary", in the verdict's colour. */
function peerVerdictLine({ peerVerdict }: AlertCardInput): StyledLine | undefined {
  if (peerVerdict === undefined) return undefined;
  const style = DISPOSITION_STYLE[peerVerdict.disposition];
  const summary = userText(peerVerdict.summary, LIMITS.verdictSummary);
  const verdict = `${style.dot} Peer verdict: ${style.label}`;
  return { text: summary === '' ? verdict : `${verdict} — ${summary}`, color: style.color };
}

function alertBody(view: AlertView): CardElement[] {
  const body: CardElement[] = [
    { type: 'TextBlock', text: view.header, weight: 'Bolder', color: view.severityColor, wrap: true },
    { type: 'TextBlock', text: view.hostIp, size: 'Large', weight: 'Bolder', wrap: true, spacing: 'Small' },
  ];
  if (view.hostGroups !== '') {
    body.push({ type: 'TextBlock', text: view.hostGroups, isSubtle: true, wrap: true, spacing: 'None' });
  }
  body.push({ type: 'FactSet', facts: alertFacts(view) });
  if (view.peerVerdict !== undefined) body.push(textBlock(view.peerVerdict, { spacing: 'Small' }));
  body.push({ type: 'TextBlock', text: `ID ${view.incidentId}`, size: 'Small', isSubtle: true, wrap: true });
  const [state, ...responses] = view.status;
  body.push(textBlock(state, { weight: 'Bolder', separator: true }));
  for (const line of responses) body.push(textBlock(line, { spacing: 'Small' }));
  return body;
}

function textBlock(line: StyledLine, extra: Record<string, unknown>): CardElement {
  return {
    type: 'TextBlock',
    text: line.text,
    ...(line.color === undefined || line.color === 'Default' ? {} : { color: line.color }),
    ...(line.subtle === true ? { isSubtle: true } : {}),
    wrap: true,
    ...extra,
  };
}

function alertFacts(view: AlertView): { title: string; value: string }[] {
  const facts: { title: string; value: string }[] = [];
  if (view.peer !== undefined) {
    facts.push({ title: 'Peer', value: view.morePeers === '' ? view.peer : `${view.peer} · ${view.morePeers}` });
    if (view.peerGroups !== '') facts.push({ title: 'Peer groups', value: view.peerGroups });
  } else if (view.morePeers !== '') {
    facts.push({ title: 'Peers', value: view.morePeers });
  }
  if (view.topTalkers !== '') facts.push({ title: 'Top talkers', value: view.topTalkers });
  if (view.points !== undefined) facts.push({ title: 'Points', value: view.points });
  facts.push({ title: 'First active', value: view.firstActive });
  facts.push({ title: 'Last active', value: view.lastActive });
  facts.push({ title: 'Activity', value: view.activity });
  return facts;
}

/**
 * The allowed verbs as Submit buttons in priority order (approve-block, block/unblock, tag/untag, ack,
 * enrich, escalate), then "Open in SMC", cut to Webex's five. Acknowledge only makes sense while open.
 */
function alertActions(input: AlertCardInput): CardAction[] {
  const verbs = input.actions.filter((verb) => verb !== 'ack' || input.state === 'open');
  const actions = submitActions(verbs, input.incidentId);
  const smcUrl = httpUrl(input.smcUrl);
  if (smcUrl !== undefined) actions.push({ type: 'Action.OpenUrl', title: 'Open in SMC', url: smcUrl });
  return capActions(actions);
}

/** Compact Markdown with the same essentials, one fact per line. */
function alertFallback(view: AlertView, smcUrl: string | undefined): string {
  const peer =
    view.peer === undefined
      ? view.morePeers
      : [
          view.peer,
          view.peerGroups === '' ? '' : `(${view.peerGroups})`,
          view.morePeers === '' ? '' : `· ${view.morePeers}`,
        ]
          .filter((part) => part !== '')
          .join(' ');
  const [state, ...responses] = view.status;
  const lines = [
    `**${view.header}** on **${view.hostIp}**`,
    view.hostGroups === '' ? '' : `Host groups: ${view.hostGroups}`,
    peer === '' ? '' : `Peer: ${peer}`,
    view.peerVerdict?.text ?? '',
    view.topTalkers === '' ? '' : `Top talkers: ${view.topTalkers}`,
    [view.points === undefined ? '' : `Points: ${view.points}`, view.activity]
      .filter((part) => part !== '')
      .join(' · '),
    `First active ${view.firstActive} · last ${view.lastActive}`,
    `State: ${state.text}`,
    ...responses.map((line) => line.text),
    `ID: ${view.incidentId}`,
    smcUrl === undefined ? '' : `[Open in SMC](${smcUrl})`,
  ];
  return truncateUtf8(lines.filter((line) => line !== '').join('\n'), MAX_MARKDOWN_BYTES);
}
