import { UserInputError } from '../errors.js';
import { parseObservable } from '../observables/parse.js';
import { runBlock } from '../response/run-block.js';
import { defineAction } from '../router/types.js';

/** Block peer: the incident's peer goes on the XDR blocking feed (or becomes a request to approve). */
export const blockPeer = defineAction({
  verb: 'block',
  summary: 'Block peer',
  audience: 'responder',
  async run(ctx, { incident }) {
    const peer = incident.peers[0]?.ip;
    const observable = peer ? parseObservable(peer) : undefined;
    if (!observable) throw new UserInputError('This incident has no peer address to block.');
    await runBlock(ctx, { observable, incidentId: incident.id });
  },
});
