/**
 * The simulator's control surface, used in-process by tests and over HTTP
 * (`/_sim/*`) by the local web space: create people and rooms, make people
 * talk and press card buttons, inject faults, inspect calls and deliveries.
 *
 * Everything a simulated person does goes through the same model code as the
 * REST API, so it produces exactly the state and webhook events Webex would.
 */
import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { WebhookDispatcher } from './delivery/dispatcher.js';
import { sparkSignature } from './delivery/signature.js';
import { type FaultMatch, FaultPlan } from './http/faults.js';
import { DeviceRegistry } from './mercury/devices.js';
import { MercuryHub } from './mercury/hub.js';
import { submitAttachmentAction } from './model/attachment-actions.js';
import type { SimContext } from './model/context.js';
import { notFound } from './model/errors.js';
import { webexId } from './model/ids.js';
import { postTypedMessage } from './model/messages.js';
import { createPerson } from './model/people.js';
import { addMembership, createRoom } from './model/rooms.js';
import { type SimEvents, SimStore } from './model/store.js';
import type {
  ApiCall,
  Delivery,
  RoomType,
  WebexAttachmentAction,
  WebexMembership,
  WebexMessage,
  WebexPerson,
  WebexRoom,
  WebexWebhook,
} from './model/types.js';

/** Options of a simulated Webex organisation. */
export interface SimulationOptions {
  bot?: {
    /** Default: `SIMBOTTOKEN_PF84_<uuid>` (three `_` parts, so the SDK's u2c bootstrap accepts it). */
    token?: string;
    /** Default: `SNA Bot`. */
    displayName?: string;
    /** Default: `sna-bot@webex.bot`. */
    email?: string;
  };
  /** Default: a fresh `ciscospark://us/ORGANIZATION/<uuid>` id. */
  orgId?: string;
}

/** A simulated person with the token they use against the API. */
export type SimPerson = WebexPerson & { token: string };

/** The bot identity (same shape as any person, `type: 'bot'`). */
export type SimBot = SimPerson;

/** A copy of the simulator's state. */
export interface SimSnapshot {
  bot: WebexPerson;
  people: WebexPerson[];
  rooms: WebexRoom[];
  memberships: WebexMembership[];
  messages: WebexMessage[];
  attachmentActions: WebexAttachmentAction[];
  webhooks: WebexWebhook[];
  deliveries: Delivery[];
}

/** What {@link WebexSimulation.userSays} takes. */
export interface UserSaysInput {
  personId: string;
  roomId: string;
  /** What the person types (without the mention; `mentionBot` adds it). */
  text: string;
  mentionBot?: boolean;
  parentId?: string;
}

/** What {@link WebexSimulation.submitCard} takes. */
export interface SubmitCardInput {
  personId: string;
  messageId: string;
  inputs: Record<string, unknown>;
}

/** The result of an action that emits webhook events, once every target answered. */
export interface WithDeliveries {
  deliveries: Delivery[];
}

type Falsy = false | 0 | '' | null | undefined;

function isTruthy<T>(value: T): value is Exclude<T, Falsy> {
  return Boolean(value);
}

/** The in-process control surface of the simulated Webex. */
export class WebexSimulation {
  /** Emits `'change'` with a {@link SimChange} after every state change. */
  readonly events: EventEmitter<SimEvents>;
  /** Fault injection (also reachable through `rateLimitNext` / `failNext`). */
  readonly faults = new FaultPlan();
  /** The bot identity, stable across {@link WebexSimulation.reset}. */
  readonly bot: SimBot;
  /** Device registrations (WDM), which websocket clients make before they connect. */
  readonly devices: DeviceRegistry;
  /** The Mercury websocket service: its connections and frames, and faults to inject into it. */
  readonly mercury: MercuryHub;

  protected readonly store: SimStore;
  protected readonly dispatcher: WebhookDispatcher;
  protected readonly ctx: SimContext;

  constructor(options: SimulationOptions = {}) {
    this.store = new SimStore(options.orgId ?? webexId('ORGANIZATION'), webexId('APPLICATION'));
    this.events = this.store.events;
    this.dispatcher = new WebhookDispatcher(this.store);
    const { person, token } = createPerson(this.store, {
      displayName: options.bot?.displayName ?? 'SNA Bot',
      email: options.bot?.email ?? 'sna-bot@webex.bot',
      type: 'bot',
      token: options.bot?.token ?? `SIMBOTTOKEN_PF84_${randomUUID()}`,
    });
    this.bot = { ...person, token };
    this.devices = new DeviceRegistry(this.store);
    this.mercury = new MercuryHub(this.store, this.devices);
    // Every event goes to the webhooks that want it and to the websockets of the people who may see it.
    const publish = (event: Parameters<WebhookDispatcher['publish']>[0]) => {
      this.mercury.publish(event);
      return this.dispatcher.publish(event);
    };
    this.ctx = { store: this.store, bot: person, publish };
  }

  /** The shared model context (for the HTTP routes). */
  get context(): SimContext {
    return this.ctx;
  }

  /** Every API request so far (`/v1`, `/u2c`), oldest first. Tokens are never recorded. */
  get calls(): readonly ApiCall[] {
    return [...this.store.calls];
  }

  /** Every webhook POST so far, with the target's answer, oldest first. */
  get deliveries(): readonly Delivery[] {
    return [...this.store.deliveries];
  }

  /** A deep copy of the whole state. */
  get state(): SimSnapshot {
    const s = this.store;
    return structuredClone({
      bot: this.ctx.bot,
      people: [...s.people.values()],
      rooms: [...s.rooms.values()],
      memberships: [...s.memberships.values()],
      messages: [...s.messages.values()].map((m) => m.message),
      attachmentActions: [...s.attachmentActions.values()],
      webhooks: [...s.webhooks.values()],
      deliveries: s.deliveries,
    });
  }

  /** Creates a person who can talk in rooms; the result carries their API token. */
  addPerson(input: { displayName: string; email: string }): SimPerson {
    const { person, token } = createPerson(this.store, input);
    return { ...person, token };
  }

  /** Every person but the bot, with their tokens (for the web space). */
  people(): SimPerson[] {
    return [...this.store.people.values()]
      .filter((p) => p.id !== this.bot.id)
      .map((p) => ({ ...p, token: this.store.tokenOf(p.id) ?? '' }));
  }

  /** The API token of a person created with {@link WebexSimulation.addPerson}. */
  tokenFor(personId: string): string {
    const token = this.store.tokenOf(personId);
    if (!token) throw notFound('Could not find a person with provided ID.');
    return token;
  }

  /**
   * Creates a room; the first member is its creator. A room that includes the
   * bot emits `memberships/created` for it. Resolves once webhooks are delivered.
   */
  async createRoom(input: { title: string; type: RoomType; memberIds: readonly string[] }): Promise<WebexRoom> {
    const { value, deliveries } = createRoom(this.ctx, input);
    await deliveries;
    return value;
  }

  /** A person adds the bot to a group room; the bot gets `memberships/created` with `actorId` = that person. */
  async addBotToRoom(
    roomId: string,
    addedByPersonId: string,
  ): Promise<{ membership: WebexMembership } & WithDeliveries> {
    const { value, deliveries } = addMembership(this.ctx, addedByPersonId, { roomId, personId: this.bot.id });
    return { membership: value, deliveries: await deliveries };
  }

  /**
   * A person types a message in a client. With `mentionBot`, it starts with an
   * @mention of the bot (text, html and `mentionedPeople` as Webex stores them).
   * Resolves with the message and the webhook deliveries it caused.
   */
  async userSays(input: UserSaysInput): Promise<{ message: WebexMessage } & WithDeliveries> {
    const { value, deliveries } = postTypedMessage(this.ctx, input.personId, input);
    return { message: value, deliveries: await deliveries };
  }

  /** A person presses a card's `Action.Submit`; the card's author gets `attachmentActions/created`. */
  async submitCard(input: SubmitCardInput): Promise<{ action: WebexAttachmentAction } & WithDeliveries> {
    const { value, deliveries } = submitAttachmentAction(this.ctx, input.personId, {
      messageId: input.messageId,
      inputs: input.inputs,
    });
    return { action: value, deliveries: await deliveries };
  }

  /**
   * POSTs `rawBody` byte for byte with exactly `headers` to one webhook's target
   * (by id) or to every active webhook (`'all'`). Nothing is signed for you; use
   * {@link WebexSimulation.sign} for a valid signature, or send a forged one.
   */
  deliverRaw(target: string, rawBody: string, headers: Record<string, string> = {}): Promise<Delivery[]> {
    return this.dispatcher.deliverRaw(target, rawBody, headers);
  }

  /** The `X-Spark-Signature` a webhook's secret gives `rawBody`. */
  sign(webhookId: string, rawBody: string): string {
    const webhook = this.store.webhooks.get(webhookId);
    if (!webhook?.secret) throw notFound('Could not find a webhook with a secret and the provided ID.');
    return sparkSignature(webhook.secret, rawBody);
  }

  /** The messages of a room, oldest first. */
  messagesIn(roomId: string): WebexMessage[] {
    return structuredClone([...this.store.messages.values()].map((m) => m.message).filter((m) => m.roomId === roomId));
  }

  /** The next `count` matching API calls answer 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitNext(count: number, retryAfterSeconds: number, match?: FaultMatch): void {
    this.faults.rateLimitNext(count, retryAfterSeconds, match);
  }

  /** The next `count` matching API calls answer `status` (e.g. 500, 503). */
  failNext(count: number, status: number, match?: FaultMatch): void {
    this.faults.failNext(count, status, match);
  }

  /** Forgets the recorded calls (not the deliveries). */
  clearCalls(): void {
    this.store.calls.length = 0;
  }

  /**
   * Back to an empty organisation with the same bot (id and token). By default
   * the bot's webhooks survive, so a running framework keeps receiving events;
   * pass `keepWebhooks: false` to drop them too. Faults are reset as well. Device registrations and open websockets stay (a running
   * bot in websocket mode keeps listening); the socket records and faults go.
   */
  reset(options: { keepWebhooks?: boolean } = {}): void {
    this.faults.clear();
    this.mercury.clearRecords();
    this.store.clear([this.bot.id], options.keepWebhooks ?? true);
  }

  /**
   * Resolves with the first truthy value of `predicate`, re-checked on every
   * state change and every 20 ms; rejects after `timeoutMs`.
   */
  waitFor<T>(predicate: () => T, timeoutMs = 5_000, description = 'condition'): Promise<Exclude<T, Falsy>> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        let value: T;
        try {
          value = predicate();
        } catch (error) {
          cleanup();
          reject(error);
          return;
        }
        if (!isTruthy(value)) return;
        cleanup();
        resolve(value);
      };
      const poll = setInterval(check, 20);
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`waitFor timed out after ${timeoutMs} ms: ${description}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearInterval(poll);
        clearTimeout(timer);
        this.events.off('change', check);
      };
      this.events.on('change', check);
      check();
    });
  }
}
