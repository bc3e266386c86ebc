/**
 * The bot's chat side without the Webex framework or HTTP: the real Router with the real command
 * and card-action registries, over the real services (`buildServices`, as `bot/app.ts` builds
 * them) on memory:// state and a test clock. Webex is the recorded double of `webex-double.ts`;
 * the SMC and XDR are the simulators, and only when a test passes them in.
 */
import { pino } from 'pino';
import { actions } from '../../bot/actions/index.js';
import { type BuiltServices, buildServices } from '../../bot/build-services.js';
import { loadConfig } from '../../bot/config.js';
import type { Incident } from '../../bot/incidents/types.js';
import { Metrics } from '../../bot/metrics.js';
import { Router } from '../../bot/router/router.js';
import type { Actor } from '../../bot/router/types.js';
import type { Services } from '../../bot/services.js';
import { openStateStore } from '../../bot/state/store.js';
import type { SmcSimulator } from '../../sandbox/smc/index.js';
import type { XdrSimulator } from '../../sandbox/xdr/index.js';
import { testClock } from './clock.js';
import { RecordedAlertSpace, RecordedConversation, type SpaceMessage, cardButtons } from './webex-double.js';

export const ALERT_ROOM = 'room-soc-alerts';
export const BOT = { id: 'person-sna-bot', displayName: 'SNA Bot' } as const;

/** The people of the world (the same as the e2e world's, plus a stranger outside the alert space). */
export const PEOPLE = {
  /** An operator (BOT_OPERATORS=@soc.example). */
  operator: { id: 'person-jane', email: 'jane@soc.example', displayName: 'Jane Doe' },
  /** A responder (BOT_RESPONDERS). */
  responder: { id: 'person-riley', email: 'riley@soc.example', displayName: 'Riley Responder' },
  /** Another responder, for the two-person rule. */
  responder2: { id: 'person-robin', email: 'robin@soc.example', displayName: 'Robin Second' },
  /** In the alert space, in neither list. */
  outsider: { id: 'person-sam', email: 'sam@contractor.example', displayName: 'Sam Outsider' },
  /** Not in the alert space, in neither list: anyone can open a 1:1 with the bot. */
  stranger: { id: 'person-eve', email: 'eve@elsewhere.example', displayName: 'Eve Stranger' },
} as const satisfies Record<string, Actor>;

export interface ChatOptions {
  /** Variables on top of the defaults (operators @soc.example, two responders, no auto-enrichment). */
  env?: Record<string, string>;
  /** Configures SNA_URL and friends for this SMC simulator (tags, host groups). */
  smc?: SmcSimulator;
  /** Configures XDR_* for this XDR simulator (blocks, escalation, enrichment). */
  xdr?: XdrSimulator;
}

export interface SayOptions {
  /** The Webex message id; a new one by default (the same id again is a replay). */
  id?: string;
  /** A 1:1 space with the person instead of the alert space. */
  direct?: boolean;
  /** When Webex created the message; now by default. */
  created?: string;
  html?: string;
}

export interface PressOptions {
  /** The Webex attachment-action id; a new one by default (the same id again is a replay). */
  id?: string;
  /** What the press submits instead of the button's data (a forged or old card). */
  inputs?: unknown;
}

export interface Chat {
  readonly services: Services;
  readonly built: BuiltServices;
  readonly router: Router;
  readonly clock: ReturnType<typeof testClock>;
  /** The alert space: every card the outbox posted, replaced ones marked deleted. */
  readonly space: RecordedAlertSpace;
  /** Who Webex lists as members of the alert space (the operators when BOT_OPERATORS is empty). */
  readonly members: Set<string>;
  /** A person says `text`; resolves with the bot's answers once it handled it and the cards are current. */
  say(person: Actor, text: string, opts?: SayOptions): Promise<RecordedConversation>;
  /** A person presses the `verb` button of `card`; resolves with the answers under it once handled. */
  press(person: Actor, card: SpaceMessage, verb: string, opts?: PressOptions): Promise<RecordedConversation>;
  /** The SMC reports one event per host (talking to `peer`), in one batch; resolves once the cards are posted. */
  report(hosts: readonly string[], peer?: string): Promise<void>;
  /** The SMC reports an event for `host` (talking to `peer`); resolves with its incident and card. */
  alert(host: string, peer?: string): Promise<{ incident: Incident; card: SpaceMessage }>;
  /** The card the space shows for an incident now. */
  cardOf(incidentId: string): Promise<SpaceMessage>;
  close(): Promise<void>;
}

const log = pino({ level: 'silent' });

export async function startChat(opts: ChatOptions = {}): Promise<Chat> {
  const clock = testClock();
  const config = loadConfig({
    WEBEX_BOT_TOKEN: 'unit-test-bot-token',
    WEBEX_ALERT_ROOM_ID: ALERT_ROOM,
    STATE_URL: 'memory://',
    BOT_OPERATORS: '@soc.example',
    BOT_RESPONDERS: 'riley@soc.example,robin@soc.example',
    AUTO_ENRICH: 'false',
    LOG_LEVEL: 'silent',
    ...(opts.smc
      ? {
          SNA_URL: opts.smc.url,
          SNA_USERNAME: opts.smc.username,
          SNA_PASSWORD: opts.smc.password,
          SNA_FLOW_CONTEXT: 'false',
        }
      : {}),
    ...(opts.xdr
      ? {
          XDR_CLIENT_ID: opts.xdr.clientId,
          XDR_CLIENT_SECRET: opts.xdr.clientSecret,
          XDR_API_URL: opts.xdr.irohUrl,
          XDR_PRIVATE_INTEL_URL: opts.xdr.privateIntelUrl,
        }
      : {}),
    ...opts.env,
  });
  const state = await openStateStore(config.stateUrl, config.stateNamespace);
  const space = new RecordedAlertSpace();
  const members = new Set<string>([PEOPLE.operator.id, PEOPLE.responder.id, PEOPLE.responder2.id, PEOPLE.outsider.id]);
  const built = buildServices(
    config,
    {
      log,
      metrics: new Metrics(),
      sink: space,
      listMembers: async () => [...members].map((personId) => ({ personId })),
    },
    state,
    clock.now,
  );
  const { services } = built;
  const router = new Router({ commands: services.commands, actions, services, log, botIdentity: () => BOT });
  // As the app does: this (only) replica leads, so the outbox delivers.
  await services.leadership.start();
  services.outbox.start();

  let seq = 0;
  let eventId = 0;
  const cardOf = async (incidentId: string) => {
    const messageId = (await services.incidents.get(incidentId))?.card?.messageId;
    const card = space.messages.find((m) => m.id === messageId);
    if (!card) throw new Error(`incident ${incidentId} has no card`);
    return card;
  };

  const report = async (hosts: readonly string[], peer = '203.0.113.7') => {
    const now = clock.now().getTime();
    await built.pipeline.process(
      hosts.map((host) => ({
        id: ++eventId,
        typeId: 16,
        firstActive: new Date(now - 10 * 60_000).toISOString(),
        lastActive: new Date(now - 5 * 60_000).toISOString(),
        source: { ip: host, hostGroups: [] },
        target: { ip: peer, port: 443, protocol: 'tcp', hostGroups: [] },
        hitCount: 1,
        points: 300,
      })),
      {
        tenantKey: 'unit',
        names: new Map([[16, 'High Total Traffic']]),
        window: { from: new Date(now - 3_600_000), to: new Date(now) },
      },
    );
    await services.outbox.idle();
  };

  return {
    services,
    built,
    router,
    clock,
    space,
    members,
    async say(person, text, sayOpts = {}) {
      const conversation = new RecordedConversation();
      const direct = sayOpts.direct ?? false;
      await router.onMessage(
        {
          id: sayOpts.id ?? `message-${++seq}`,
          roomId: direct ? `room-direct-${person.id}` : ALERT_ROOM,
          created: sayOpts.created ?? clock.now().toISOString(),
          isDirect: direct,
          text,
          html: sayOpts.html,
          mentionedPeople: direct ? [] : [BOT.id],
          actor: person,
        },
        conversation,
      );
      await services.outbox.idle();
      return conversation;
    },
    async press(person, card, verb, pressOpts = {}) {
      const conversation = new RecordedConversation();
      const inputs = pressOpts.inputs ?? cardButtons(card.rendered).find((d) => d.action === verb);
      if (inputs === undefined) throw new Error(`the card has no ${verb} button`);
      await router.onPress(
        {
          id: pressOpts.id ?? `press-${++seq}`,
          messageId: card.id,
          roomId: ALERT_ROOM,
          created: clock.now().toISOString(),
          isDirect: false,
          inputs,
          actor: person,
        },
        conversation,
      );
      await services.outbox.idle();
      return conversation;
    },
    report,
    async alert(host, peer) {
      await report([host], peer);
      const incident = (await services.incidents.list()).find((i) => i.hostIp === host);
      if (!incident) throw new Error(`no incident for ${host}`);
      return { incident, card: await cardOf(incident.id) };
    },
    cardOf,
    async close() {
      await services.leadership.stop();
      await built.stop();
      await state.close();
    },
  };
}
