/**
 * Who may do what. BOT_OPERATORS may acknowledge, tag and enrich; BOT_RESPONDERS may also
 * block and unblock. Entries are emails or `@domain`. Identity always comes from Webex
 * (the person behind the message or press), never from a card's data.
 */
import type { Actor, Audience } from '../router/types.js';

export type Role = 'responder' | 'operator' | 'none';

export interface RoleConfig {
  operators: string[];
  responders: string[];
}

export class Roles {
  private readonly operators: string[];
  private readonly responders: string[];

  constructor(config: RoleConfig) {
    this.operators = config.operators.map(normalize);
    this.responders = config.responders.map(normalize);
  }

  /** True when BOT_OPERATORS is empty: then anyone in the bot's spaces is an operator. */
  get openToEveryone(): boolean {
    return this.operators.length === 0;
  }

  roleOf(actor: Pick<Actor, 'email'>): Role {
    const email = actor.email ? normalize(actor.email) : undefined;
    if (email && matches(email, this.responders)) return 'responder';
    if (this.openToEveryone || (email && matches(email, this.operators))) return 'operator';
    return 'none';
  }

  allows(actor: Pick<Actor, 'email'>, audience: Audience): boolean {
    if (audience === 'everyone') return true;
    const role = this.roleOf(actor);
    return audience === 'operator' ? role !== 'none' : role === 'responder';
  }
}

function normalize(entry: string): string {
  return entry.trim().toLowerCase();
}

function matches(email: string, entries: string[]): boolean {
  const domain = email.slice(email.lastIndexOf('@'));
  return entries.some((entry) => (entry.startsWith('@') ? domain === entry : email === entry));
}
