import { UserInputError } from '../errors.js';
import { parseObservable } from '../observables/parse.js';
import { runUnblock } from '../response/run-block.js';
import { defineAction } from '../router/types.js';

/** Unblock: lifts the block the card shows. */
export const unblockPeer = defineAction({
  verb: 'unblock',
  summary: 'Unblock',
  audience: 'responder',
  async run(ctx, { incident }) {
    const value = incident.block?.observable ?? incident.peers[0]?.ip;
    const observable = value ? parseObservable(value) : undefined;
    if (!observable) throw new UserInputError('This incident has nothing blocked.');
    await runUnblock(ctx, { observable, incidentId: incident.id });
  },
});
