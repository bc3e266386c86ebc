/**
 * Routes chat messages to commands and card presses to actions, inside one error boundary.
 * Transport-agnostic: the Webex adapter hands it normalized messages and presses.
 */
import { z } from 'zod';
import { userText } from '../../cards/format.js';
import { CARD_DATA_VERSION } from '../../cards/types.js';
import { userMessageFor } from '../errors.js';
import type { Logger } from '../log.js';
import type { Services } from '../services.js';
import { IncomingClaims } from './claims.js';
import { type MessageText, parseCommand, suggest } from './parse-command.js';
import type { ActionDefinition, Actor, Audience, Command, ReplyContext } from './types.js';

export interface Conversation {
  reply(markdown: string): Promise<void>;
  replyCard: ReplyContext['replyCard'];
}

export interface IncomingMessage extends MessageText {
  id: string;
  roomId: string;
  /** When Webex created the message: a replayed webhook of an old one is not acted on. */
  created?: string | undefined;
  isDirect: boolean;
  actor: Actor;
}

export interface IncomingPress {
  id: string;
  messageId: string;
  roomId: string;
  created?: string | undefined;
  isDirect: boolean;
  inputs: unknown;
  actor: Actor;
}

const submitDataSchema = z.looseObject({
  action: z.string().min(1).max(64),
  v: z.coerce.number(),
  incidentId: z.string().min(1).max(64),
});

/**
 * Webex signs its webhooks without a timestamp, so a captured one can be replayed at any time.
 * Every message and press is claimed by its id before anything runs (once across replays and
 * replicas), and one created more than MAX_AGE_MS ago is not acted on at all: the claims are kept
 * longer than that, so a replay is always either claimed or too old.
 */
const MAX_AGE_MS = 3600 * 1000;
const CLAIM_MEMORY_MS = 2 * MAX_AGE_MS;

export interface RouterOptions {
  commands: readonly Command[];
  actions: readonly ActionDefinition[];
  services: Services;
  log: Logger;
  botIdentity(): { id: string; displayName: string };
}

export class Router {
  private readonly commandsByName = new Map<string, Command>();
  private readonly actionsByVerb = new Map<string, ActionDefinition>();
  private readonly claims: IncomingClaims;

  constructor(private readonly opts: RouterOptions) {
    this.claims = new IncomingClaims(opts.services.state);
    for (const c of opts.commands) for (const n of [c.name, ...c.aliases]) this.commandsByName.set(n, c);
    for (const a of opts.actions) this.actionsByVerb.set(a.verb, a);
  }

  /** Handles a message addressed to the bot; never rejects. */
  async onMessage(msg: IncomingMessage, conversation: Conversation): Promise<void> {
    const ctx = this.context(msg.actor, msg.roomId, msg.isDirect, conversation, msg.id, { messageId: msg.id });
    await this.guard(ctx, { messageId: msg.id }, async () => {
      if (!(await this.firstTime('message', msg.id, msg.created, ctx))) return;
      const parsed = parseCommand(msg, this.opts.botIdentity());
      if (!parsed) {
        await ctx.reply('Hi! Send `/help` to see what I can do.');
        return;
      }
      const command = this.commandsByName.get(parsed.name);
      if (!command) {
        const hint = suggest(parsed.name, [...this.commandsByName.keys()]);
        await ctx.reply(
          `I don't know "/${userText(parsed.name, 40)}".${hint ? ` Did you mean \`/${hint}\`?` : ''} Send \`/help\` for the list.`,
        );
        return;
      }
      if (!(await this.opts.services.roles.allows(ctx.actor, command.audience))) {
        await this.refuse(ctx, `/${command.name}`, command.audience, `command:${command.name}`);
        return;
      }
      const result = await command.execute(ctx, parsed.args);
      if (!result.ok) {
        await ctx.reply(
          `\`/${command.name}\` ${result.reason}. Usage: \`/${command.name}${command.usage ? ` ${command.usage}` : ''}\``,
        );
      }
    });
  }

  /** Handles a card button press; never rejects. Replays of the same press are ignored. */
  async onPress(press: IncomingPress, conversation: Conversation): Promise<void> {
    const { incidents } = this.opts.services;
    const ctx = this.context(press.actor, press.roomId, press.isDirect, conversation, press.id, { pressId: press.id });
    await this.guard(ctx, { pressId: press.id, messageId: press.messageId }, async () => {
      // First one wins, across replicas: Webex may deliver the same press twice.
      if (!(await this.firstTime('press', press.id, press.created, ctx))) return;
      const data = submitDataSchema.safeParse(press.inputs);
      const action = data.success ? this.actionsByVerb.get(data.data.action) : undefined;
      if (!data.success || !action || data.data.v !== CARD_DATA_VERSION) {
        await ctx.reply(
          'That button is from a card I no longer understand. Send `/status` or wait for the next alert.',
        );
        return;
      }
      // The card's data is not trusted: the incident must be the one this very card shows.
      const incident = await incidents.get(data.data.incidentId);
      const shownOnThisCard = incident !== undefined && (await incidents.isShownOn(incident, press.messageId));
      if (!incident || !shownOnThisCard) {
        await ctx.reply('That card is out of date; use the latest card for this incident.');
        return;
      }
      if (!(await this.opts.services.roles.allows(ctx.actor, action.audience))) {
        await this.refuse(
          ctx,
          `the ${action.summary} button`,
          action.audience,
          `incident:${incident.id}`,
          incident.id,
          action.verb,
        );
        return;
      }
      await action.run({ ...ctx, actionId: press.id, messageId: press.messageId }, { incident, inputs: data.data });
    });
  }

  /** True for the first delivery of a recent message or press; replays and stale events are ignored. */
  private async firstTime(kind: 'message' | 'press', id: string, created: string | undefined, ctx: ReplyContext) {
    const age = created === undefined ? 0 : this.opts.services.now().getTime() - Date.parse(created);
    if (age > MAX_AGE_MS) {
      ctx.log.warn(
        { kind, id, created },
        `ignoring a ${kind} created over an hour ago (a replay, or delivered very late)`,
      );
      return false;
    }
    let first: boolean;
    try {
      first = await this.claims.claim(kind, id, CLAIM_MEMORY_MS);
    } catch (err) {
      // The state store is away: answer anyway (`/status` says so); anything that changes state
      // fails on its own lock with a clear message, so nothing can run twice meanwhile.
      ctx.log.warn({ err, kind, id }, `could not claim a ${kind} (state store unreachable); handling it anyway`);
      return true;
    }
    if (!first) ctx.log.info({ kind, id }, `ignoring a ${kind} that was already handled`);
    return first;
  }

  /** Tells the person, politely, and keeps a record of the attempt. */
  private async refuse(
    ctx: ReplyContext,
    what: string,
    audience: Audience,
    target: string,
    incidentId?: string,
    action = what,
  ): Promise<void> {
    const who = audience === 'everyone' ? 'everyone' : this.opts.services.roles.describe(audience);
    await this.opts.services.audit.record({
      actor: { id: ctx.actor.id, name: ctx.actor.displayName, email: ctx.actor.email },
      action,
      target,
      outcome: 'denied',
      incidentId,
      detail: `needs ${audience}`,
    });
    ctx.log.warn({ action, audience }, 'refused: not authorized');
    await ctx.reply(
      `Sorry, ${what} is for ${who}. Nothing was changed; ask ${audience === 'operator' ? 'an' : 'a'} ${audience} or your bot admin.`,
    );
  }

  private context(
    actor: Actor,
    roomId: string,
    isDirect: boolean,
    conversation: Conversation,
    triggerId: string,
    bindings: Record<string, string>,
  ): ReplyContext {
    return {
      actor,
      triggerId,
      roomId,
      isDirect,
      reply: (markdown) => conversation.reply(markdown),
      replyCard: (rendered) => conversation.replyCard(rendered),
      log: this.opts.log.child({ ...bindings, actorId: actor.id, roomId }),
      services: this.opts.services,
    };
  }

  private async guard(ctx: ReplyContext, context: Record<string, unknown>, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      const message = userMessageFor(err, ctx.log, context);
      await ctx
        .reply(message)
        .catch((replyErr: unknown) => ctx.log.error({ err: replyErr }, 'could not tell the user about a failure'));
    }
  }
}
