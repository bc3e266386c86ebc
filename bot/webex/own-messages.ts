/**
 * The bot's own messages, seen coming back. Webex delivers a `messages`/`created` webhook for
 * every message in a space the bot's webhook covers, the bot's own posts included, and the
 * framework fetches each one (`GET /messages/{id}`) before it notices that the bot wrote it and
 * drops it: one wasted call for every card, reply and card replacement the bot makes. The
 * envelope's top-level `actorId` (documented, api-contracts.md §8.5) names who created the
 * message, so these events are recognized before the framework sees them.
 */
import { z } from 'zod';

const ownMessageEnvelope = z.object({
  resource: z.literal('messages'),
  event: z.literal('created'),
  actorId: z.string().min(1),
});

/** A `messages`/`created` webhook for a message the bot itself created. */
export function isOwnMessageEvent(body: unknown, botId: string | undefined): boolean {
  if (!botId) return false;
  const parsed = ownMessageEnvelope.safeParse(body);
  return parsed.success && parsed.data.actorId === botId;
}
