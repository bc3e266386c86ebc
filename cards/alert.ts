/**
 * The alert card: one Adaptive Card per incident (inside host × event type), laid out for phones.
 */
import {
  cleanText,
  formatCount,
  formatNameList,
  formatNumber,
  formatUtc,
  httpUrl,
  truncateUtf8,
  userText,
} from './format.js';
import type {
  AdaptiveCard,
  AlertActionVerb,
  AlertCardInput,
  CardAction,
  CardElement,
  HostView,
  RenderedCard,
  Severity,
  SubmitData,
} from './types.js';
import { CARD_DATA_VERSION, MAX_CARD_ACTIONS, MAX_MARKDOWN_BYTES } from './types.js';

/** Code-point limits for text from outside systems, before escaping. */
const LIMITS = {
  eventName: 80,
  ip: 45,
  endpoint: 64,
  hostGroup: 40,
  hostGroupsShown: 3,
  personName: 64,
} as const;

type HeaderColor = 'Attention' | 'Warning' | 'Accent';

const SEVERITY_COLOR: Readonly<Record<Severity, HeaderColor>> = {
  critical: 'Attention',
  high: 'Attention',
  medium: 'Warning',
  low: 'Accent',
};

/** Button per verb, and whether it still makes sense for the incident's state. */
const SUBMIT_ACTIONS: Readonly<
  Record<AlertActionVerb, { title: string; offered: (input: AlertCardInput) => boolean }>
> = {
  ack: { title: 'Acknowledge', offered: (input) => input.state === 'open' },
};

/** Everything the card and the fallback show, already cleaned, truncated and escaped. */
interface AlertView {
  header: string;
  severityColor: HeaderColor;
  hostIp: string;
  hostGroups: string;
  peer: string | undefined;
  peerGroups: string;
  morePeers: string;
  points: string | undefined;
  firstActive: string;
  lastActive: string;
  activity: string;
  state: string;
  acked: boolean;
}

/**
 * Renders the alert card for one incident, plus the Markdown fallback for clients without cards.
 * Pure: the same input always gives equal, freshly built output. Text from outside systems is
 * escaped and truncated, the card never has more than five actions, and the fallback always fits
 * Webex's 7439-byte limit.
 */
export function alertCard(input: AlertCardInput): RenderedCard {
  const view = alertView(input);
  const actions = alertActions(input);
  const card: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.3',
    body: alertBody(view),
    ...(actions.length > 0 ? { actions } : {}),
  };
  return { card, fallbackText: alertFallback(view, httpUrl(input.smcUrl)) };
}

function alertView(input: AlertCardInput): AlertView {
  const eventName = cleanText(input.eventName) === '' ? `Event ${input.eventTypeId}` : input.eventName;
  const acked = input.state === 'acked';
  return {
    header: `${input.severity.toUpperCase()} · ${userText(eventName, LIMITS.eventName)}`,
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
    state: acked ? ackedLine(input) : 'Open',
    acked,
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
  const protocol = host.protocol === undefined || cleanText(host.protocol) === '' ? '' : `/${cleanText(host.protocol)}`;
  return `${address}${port}${protocol}`;
}

function morePeers(input: AlertCardInput): string {
  if (!(input.otherPeers > 0)) return '';
  return input.peer === undefined
    ? formatCount(input.otherPeers, 'peer')
    : `+${formatNumber(input.otherPeers)} more ${input.otherPeers === 1 ? 'peer' : 'peers'}`;
}

/** "Acknowledged by Jane Doe · 23 Nov 14:07 UTC", dropping whichever part is unknown. */
function ackedLine(input: AlertCardInput): string {
  const name = input.ackedBy === undefined ? '' : userText(input.ackedBy.name, LIMITS.personName);
  const by = name === '' ? 'Acknowledged' : `Acknowledged by ${name}`;
  return input.ackedAt === undefined ? by : `${by} · ${formatUtc(input.ackedAt, 'short')}`;
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
  body.push({
    type: 'TextBlock',
    text: view.state,
    weight: 'Bolder',
    ...(view.acked ? { color: 'Good' } : {}),
    wrap: true,
    separator: true,
  });
  return body;
}

function alertFacts(view: AlertView): { title: string; value: string }[] {
  const facts: { title: string; value: string }[] = [];
  if (view.peer !== undefined) {
    facts.push({ title: 'Peer', value: view.morePeers === '' ? view.peer : `${view.peer} · ${view.morePeers}` });
    if (view.peerGroups !== '') facts.push({ title: 'Peer groups', value: view.peerGroups });
  } else if (view.morePeers !== '') {
    facts.push({ title: 'Peers', value: view.morePeers });
  }
  if (view.points !== undefined) facts.push({ title: 'Points', value: view.points });
  facts.push({ title: 'First active', value: view.firstActive });
  facts.push({ title: 'Last active', value: view.lastActive });
  facts.push({ title: 'Activity', value: view.activity });
  return facts;
}

function alertActions(input: AlertCardInput): CardAction[] {
  const actions: CardAction[] = [];
  for (const verb of new Set(input.actions)) {
    const action = SUBMIT_ACTIONS[verb];
    if (!action.offered(input)) continue;
    const data: SubmitData = { action: verb, v: CARD_DATA_VERSION, incidentId: input.incidentId };
    actions.push({ type: 'Action.Submit', title: action.title, data });
  }
  const smcUrl = httpUrl(input.smcUrl);
  if (smcUrl !== undefined) actions.push({ type: 'Action.OpenUrl', title: 'Open in SMC', url: smcUrl });
  return actions.slice(0, MAX_CARD_ACTIONS);
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
  const lines = [
    `**${view.header}** on **${view.hostIp}**`,
    view.hostGroups === '' ? '' : `Host groups: ${view.hostGroups}`,
    peer === '' ? '' : `Peer: ${peer}`,
    [view.points === undefined ? '' : `Points: ${view.points}`, view.activity]
      .filter((part) => part !== '')
      .join(' · '),
    `First active ${view.firstActive} · last ${view.lastActive}`,
    `State: ${view.state}`,
    smcUrl === undefined ? '' : `[Open in SMC](${smcUrl})`,
  ];
  return truncateUtf8(lines.filter((line) => line !== '').join('\n'), MAX_MARKDOWN_BYTES);
}
