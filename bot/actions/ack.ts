import { userText } from '../../cards/format.js';
import { defineAction } from '../router/types.js';

/** Ack: the operator takes the incident; the card shows who and when. */
export const ack = defineAction({
  verb: 'ack',
  summary: 'Acknowledge',
  audience: 'operator',
  async run(ctx, { incident: { id: incidentId } }) {
    const { incidents, outbox } = ctx.services;
    const result = await incidents.acknowledge(
      incidentId,
      { id: ctx.actor.id, name: ctx.actor.displayName, email: ctx.actor.email },
      ctx.services.now(),
    );
    if (!result) {
      await ctx.reply('That incident no longer exists.');
      return;
    }
    if (!result.changed) {
      const { ack: done, state } = result.incident;
      await ctx.reply(
        done ? `Already acknowledged by ${userText(done.by.name, 80)}.` : `This incident is already ${state}.`,
      );
      return;
    }
    ctx.log.info({ incidentId, actorId: ctx.actor.id }, 'incident acknowledged');
    await outbox.enqueueAlert(incidentId);
  },
});
