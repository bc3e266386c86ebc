/**
 * Who may do what. Closed by default: BOT_RESPONDERS may block, unblock and approve; operators
 * may acknowledge, tag, enrich and work incidents. Operators are BOT_OPERATORS (emails or
 * `@domain`) when it is set, `*` opens the bot to everyone (an explicit opt-in), and when it is
 * empty the operators are the members of the alert space. Identity always comes from Webex (the
 * person behind the message or press), never from a card's data.
 */
import type { Actor, Audience } from '../router/types.js';
import type { AlertSpaceMembers } from './alert-space.js';

export type Role = 'responder' | 'operator' | 'none';

/** Where operators come from: the list, everyone (`*`), or the alert space's members. */
export type OperatorSource = 'listed' | 'everyone' | 'alert-space';

export interface RoleConfig {
  operators: string[];
  responders: string[];
  /** Consulted when `operators` is empty. */
  members: Pick<AlertSpaceMembers, 'has'>;
}

export class Roles {
  private readonly operators: string[];
  private readonly responders: string[];

  constructor(private readonly config: RoleConfig) {
    this.operators = config.operators.map(normalize);
    this.responders = config.responders.map(normalize);
  }

  get operatorSource(): OperatorSource {
    if (this.operators.includes('*')) return 'everyone';
    return this.operators.length > 0 ? 'listed' : 'alert-space';
  }

  async roleOf(actor: Pick<Actor, 'id' | 'email'>): Promise<Role> {
    const email = actor.email ? normalize(actor.email) : undefined;
    if (email && matches(email, this.responders)) return 'responder';
    switch (this.operatorSource) {
      case 'everyone':
        return 'operator';
      case 'listed':
        return email && matches(email, this.operators) ? 'operator' : 'none';
      case 'alert-space':
        return actor.id !== '' && (await this.config.members.has(actor.id)) ? 'operator' : 'none';
    }
  }

  async allows(actor: Pick<Actor, 'id' | 'email'>, audience: Audience): Promise<boolean> {
    if (audience === 'everyone') return true;
    const role = await this.roleOf(actor);
    return audience === 'operator' ? role !== 'none' : role === 'responder';
  }

  /** Who an audience is, for refusals and `/help`. */
  describe(audience: Exclude<Audience, 'everyone'>): string {
    if (audience === 'responder') return 'responders (BOT_RESPONDERS)';
    return this.operatorSource === 'alert-space'
      ? 'operators (the members of the alert space)'
      : 'operators (BOT_OPERATORS)';
  }
}

function normalize(entry: string): string {
  return entry.trim().toLowerCase();
}

function matches(email: string, entries: string[]): boolean {
  const domain = email.slice(email.lastIndexOf('@'));
  return entries.some((entry) => (entry.startsWith('@') ? domain === entry : email === entry));
}
