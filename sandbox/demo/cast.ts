/** The people of the demo: who you can be in the web space, and what the bot is told about them. */
import type { DemoRole } from '../web-space/index.js';

/** A simulated person of the demo. */
export interface CastMember {
  displayName: string;
  email: string;
  role: DemoRole;
}

/** Responder, operator and outsider: enough to show who may do what once the bot enforces roles. */
export const CAST: readonly CastMember[] = [
  { displayName: 'Riley Responder', email: 'riley@soc.example', role: 'responder' },
  { displayName: 'Oli Operator', email: 'oli@soc.example', role: 'operator' },
  { displayName: 'Sam Outsider', email: 'sam@contractor.example', role: 'outsider' },
];

/** Emails of the cast members with a role, comma-separated (the form BOT_OPERATORS / BOT_RESPONDERS take). */
export function emailsOf(role: DemoRole): string {
  return CAST.filter((member) => member.role === role)
    .map((member) => member.email)
    .join(',');
}
