/**
 * What commands and card actions are: plain definitions, one file each, registered in
 * `bot/commands/index.ts` and `bot/actions/index.ts`. Handlers get one context object and
 * never touch the Webex SDK.
 */
import type { RenderedCard } from '../../cards/types.js';
import type { Incident } from '../incidents/types.js';
import type { Logger } from '../log.js';
import type { Services } from '../services.js';

/** The person behind a message or a button press, as Webex reported them (never the card's data). */
export interface Actor {
  id: string;
  email: string | undefined;
  displayName: string;
}

/** Who may run a command; the help groups commands by it. */
export type Audience = 'everyone' | 'operator' | 'responder';

export type ParseResult<A> = { ok: true; args: A } | { ok: false; reason: string };

export interface ReplyContext {
  actor: Actor;
  /** The Webex message or attachment-action id this work answers (unique per message or press). */
  triggerId: string;
  roomId: string;
  isDirect: boolean;
  /** Posts markdown in the conversation (threaded under the triggering message in spaces). */
  reply(markdown: string): Promise<void>;
  replyCard(rendered: RenderedCard): Promise<void>;
  log: Logger;
  services: Services;
}

export interface CommandDefinition<A = unknown> {
  name: string;
  aliases?: string[];
  /** Argument synopsis, e.g. `<ip|domain>`; empty for none. */
  usage: string;
  summary: string;
  audience: Audience;
  parse(args: string): ParseResult<A>;
  run(ctx: ReplyContext, args: A): Promise<void>;
}

export interface ActionContext extends ReplyContext {
  /** The Webex attachment-action id (unique per press). */
  actionId: string;
  /** The card message the press came from. */
  messageId: string;
}

export interface ActionDefinition {
  verb: string;
  summary: string;
  /** Who may press it; others get a polite refusal and the attempt is audited. */
  audience: Audience;
  /** `incident` is the one the pressed card shows (looked up by the router; the card's data is not trusted). */
  run(ctx: ActionContext, data: { incident: Incident; inputs: Record<string, unknown> }): Promise<void>;
}

/** A registered command with its argument type erased: parse and run happen together. */
export interface Command {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly usage: string;
  readonly summary: string;
  readonly audience: Audience;
  /** Parses `rawArgs` and runs; returns the usage problem instead of running when they don't parse. */
  execute(ctx: ReplyContext, rawArgs: string): Promise<{ ok: true } | { ok: false; reason: string }>;
}

/** Declares a command; each command file exports one. */
export function defineCommand<A>(def: CommandDefinition<A>): Command {
  return {
    name: def.name,
    aliases: def.aliases ?? [],
    usage: def.usage,
    summary: def.summary,
    audience: def.audience,
    async execute(ctx, rawArgs) {
      const parsed = def.parse(rawArgs);
      if (!parsed.ok) return parsed;
      await def.run(ctx, parsed.args);
      return { ok: true };
    },
  };
}

export function defineAction(def: ActionDefinition): ActionDefinition {
  return def;
}

export const noArgs = (args: string): ParseResult<undefined> =>
  args.trim() === '' ? { ok: true, args: undefined } : { ok: false, reason: 'takes no arguments' };
