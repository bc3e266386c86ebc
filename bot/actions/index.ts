/** The card-action registry: one file per verb, listed here once. */
import type { ActionDefinition } from '../router/types.js';
import { ack } from './ack.js';
import { tagHost } from './tag.js';
import { untagHost } from './untag.js';

export const actions: readonly ActionDefinition[] = Object.freeze([ack, tagHost, untagHost]);
