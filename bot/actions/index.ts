/** The card-action registry: one file per verb, listed here once. */
import type { ActionDefinition } from '../router/types.js';
import { ack } from './ack.js';
import { approveBlock } from './approve-block.js';
import { blockPeer } from './block.js';
import { listDigest } from './digest-hosts.js';
import { openFromDigest } from './digest-open.js';
import { enrichPeer } from './enrich.js';
import { escalateIncident } from './escalate.js';
import { tagHost } from './tag.js';
import { unblockPeer } from './unblock.js';
import { untagHost } from './untag.js';

export const actions: readonly ActionDefinition[] = Object.freeze([
  ack,
  enrichPeer,
  blockPeer,
  unblockPeer,
  approveBlock,
  tagHost,
  untagHost,
  escalateIncident,
  openFromDigest,
  listDigest,
]);
